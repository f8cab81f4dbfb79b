/// Emits the loops that stream rows through a chain of stages without
/// storing whole maps: stage i produces its rows one at a time into a ring,
/// and before producing row r it makes sure stage i-1 has produced every row
/// its window reads (rows up to r*stride - pad + kernel - 1). No row is ever
/// computed twice.
///
///     for (; row_b <= H_b - 1; ++row_b) {
///         for (; row_a <= SQ_MIN(row_b * s - p + k - 1, H_a - 1); ++row_a) {
///             <produce row_a>
///         }
///         <produce row_b>
///     }
struct RowPipeline {
    struct Stage {
        /// The C variable counting produced rows of this stage.
        var counter: String
        var height: Int
        /// How this stage's window reads the previous stage's rows.
        var kernel: Int
        var stride: Int
        var padTop: Int
        /// Emits the production of row `counter` (one row).
        var produce: (inout CPrinter, String) -> Void
    }

    var stages: [Stage]

    func emit(_ p: inout CPrinter) {
        p.line("int " + stages.map { "\($0.counter) = 0" }.joined(separator: ", ") + ";")
        ensure(&p, stages.count - 1, need: "\(stages[stages.count - 1].height - 1)")
    }

    private func ensure(_ p: inout CPrinter, _ i: Int, need: String) {
        let stage = stages[i]
        p.scope("for (; \(stage.counter) <= \(need); ++\(stage.counter))") { p in
            if i > 0 {
                let previous = stages[i - 1]
                let last = "\(stage.counter) * \(stage.stride) + \(stage.kernel - 1 - stage.padTop)"
                ensure(&p, i - 1, need: "SQ_MIN(\(last), \(previous.height - 1))")
            }
            stage.produce(&p, stage.counter)
        }
    }
}

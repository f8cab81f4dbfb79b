import SqueezeIR

/// Replays the streaming schedule row by row, in exactly the order the
/// generated code runs it (pull-based: before a stage computes row r it makes
/// each input produce the rows r's window reads), and measures how many rows
/// of every value must be kept at once: the size of its ring.
public enum RowStreamSimulator {
    public struct Result: Sendable, Equatable {
        /// Rows each value's ring must hold.
        public var ringRows: [String: Int]
        /// Rows computed in all (for tests: every row exactly once).
        public var productions: Int
    }

    /// `whole` values are kept whole (graph inputs, outputs, values the tail reads).
    /// `pulled` values have no stage but are fetched a row at a time, in
    /// order, when a stage first needs the row (the graph input with
    /// `--row-input`): their rings are measured like a stage's output.
    public static func run(_ stages: [StreamStage], shapes: [String: TensorShape], whole: Set<String>,
                           pulled: Set<String> = []) throws(Diagnostic) -> Result {
        var producer: [String: Int] = [:]
        for (i, stage) in stages.enumerated() {
            guard producer[stage.output] == nil else { throw .internal("value '\(stage.output)' has two producing stages") }
            producer[stage.output] = i
        }
        var consumers: [String: [(stage: Int, input: StreamInput)]] = [:]
        for (i, stage) in stages.enumerated() {
            for input in stage.inputs { consumers[input.value, default: []].append((i, input)) }
        }
        /// Output rows completed, and rows computed (pre-pool rows with a pool).
        var done = [Int](repeating: 0, count: stages.count)
        var computed = [Int](repeating: 0, count: stages.count)
        /// Highest output row that has received data (pooled rows fill over time).
        var started = [Int](repeating: -1, count: stages.count)
        var ring: [String: Int] = [:]
        var productions = 0
        /// Rows fetched of each pulled value.
        var fetched: [String: Int] = [:]

        func height(_ value: String) throws(Diagnostic) -> Int {
            guard let shape = shapes[value] else { throw .internal("value '\(value)' has no shape") }
            return shape.h
        }
        /// The oldest row of `value` some consumer will still read.
        func oldestNeeded(_ value: String) -> Int? {
            var oldest: Int?
            for (index, input) in consumers[value] ?? [] where computed[index] < stages[index].computedRows {
                let first = stages[index].accumulates ? computed[index] : input.firstRow(for: computed[index])
                oldest = min(oldest ?? first, first)
            }
            return oldest
        }
        func record(_ index: Int) {
            let stage = stages[index]
            guard !stage.accumulates, started[index] >= 0 else { return }
            let window = started[index] - (oldestNeeded(stage.output) ?? started[index]) + 1
            ring[stage.output] = max(ring[stage.output] ?? 1, window)
        }
        /// Computes one row (pre-pool row with a pool) of the stage.
        func compute(_ index: Int, depth: Int) throws(Diagnostic) {
            let stage = stages[index]
            let row = computed[index]
            for input in stage.inputs {
                let last = stage.lastInputRow(input, for: row, height: try height(input.value))
                if pulled.contains(input.value) {
                    fetched[input.value] = max(fetched[input.value] ?? 0, last + 1)
                    let newest = fetched[input.value]! - 1
                    let window = newest - (oldestNeeded(input.value) ?? newest) + 1
                    ring[input.value] = max(ring[input.value] ?? 1, window)
                }
                guard let source = producer[input.value] else { continue }
                try ensure(source, last, depth: depth + 1)
            }
            productions += 1
            if let pool = stage.pool {
                // Output rows whose window holds pre-pool row `row`.
                var r = max(0, started[index])
                while r < stage.rows && max(r * pool.stride.h - pool.padding.top, 0) <= row {
                    if row <= r * pool.stride.h - pool.padding.top + pool.kernel.h - 1 { started[index] = max(started[index], r) }
                    r += 1
                }
            } else {
                started[index] = row
            }
            computed[index] += 1
            record(index)
        }
        func ensure(_ index: Int, _ need: Int, depth: Int) throws(Diagnostic) {
            guard depth <= 2 * stages.count else { throw .internal("streaming stages form a cycle") }
            let stage = stages[index]
            while done[index] <= min(need, stage.rows - 1) {
                let row = done[index]
                let last = stage.pool.map { p in min(row * p.stride.h - p.padding.top + p.kernel.h - 1, stage.preRows - 1) }
                    ?? row
                while computed[index] <= last { try compute(index, depth: depth) }
                done[index] += 1
                record(index)
            }
        }
        let sinks = stages.indices.filter { consumers[stages[$0].output] == nil }
        for sink in sinks { try ensure(sink, stages[sink].rows - 1, depth: 0) }
        for (i, stage) in stages.enumerated() where done[i] != stage.rows || computed[i] != stage.computedRows {
            throw .internal("stage '\(stage.name)' produced \(done[i]) of \(stage.rows) rows")
        }
        var result: [String: Int] = [:]
        for stage in stages {
            let h = try height(stage.output)
            result[stage.output] = stage.accumulates || whole.contains(stage.output) ? h : min(ring[stage.output] ?? 1, h)
        }
        // (Rows no window reads, such as the last row under a 3x3/2 conv
        // without padding, are fetched after the stream: they need no slot.)
        for value in pulled {
            result[value] = min(ring[value] ?? 1, try height(value))
        }
        return Result(ringRows: result, productions: productions)
    }
}

import SqueezeIR

/// Replays the streaming schedule row by row, in exactly the order the
/// generated code runs it (pull-based: before a stage produces row r it makes
/// each input produce the rows r's window reads), and measures how many rows
/// of every value must be kept at once: the size of its ring.
public enum RowStreamSimulator {
    public struct Result: Sendable, Equatable {
        /// Rows each value's ring must hold.
        public var ringRows: [String: Int]
        /// Stage names in production order, one entry per produced row
        /// (for tests; its length is the total number of rows produced).
        public var productions: Int
    }

    /// `whole` values are kept whole (graph inputs, outputs, values the tail reads).
    public static func run(_ stages: [StreamStage], shapes: [String: TensorShape], whole: Set<String>) throws(Diagnostic) -> Result {
        var producer: [String: Int] = [:]
        for (i, stage) in stages.enumerated() {
            guard producer[stage.output] == nil else { throw .internal("value '\(stage.output)' has two producing stages") }
            producer[stage.output] = i
        }
        var consumers: [String: [(stage: Int, input: StreamInput)]] = [:]
        for (i, stage) in stages.enumerated() {
            for input in stage.inputs { consumers[input.value, default: []].append((i, input)) }
        }
        var done = [Int](repeating: 0, count: stages.count)
        var ring: [String: Int] = [:]
        var productions = 0

        func height(_ value: String) throws(Diagnostic) -> Int {
            guard let shape = shapes[value] else { throw .internal("value '\(value)' has no shape") }
            return shape.h
        }
        /// The oldest row of `value` some consumer will still read.
        func oldestNeeded(_ value: String) -> Int? {
            var oldest: Int?
            for (stage, input) in consumers[value] ?? [] where done[stage] < stages[stage].rows {
                let first = stages[stage].accumulates ? done[stage] : input.firstRow(for: done[stage])
                oldest = min(oldest ?? first, first)
            }
            return oldest
        }
        func ensure(_ index: Int, _ need: Int, depth: Int) throws(Diagnostic) {
            guard depth <= stages.count else { throw .internal("streaming stages form a cycle") }
            let stage = stages[index]
            while done[index] <= min(need, stage.rows - 1) {
                let row = done[index]
                for input in stage.inputs {
                    guard let source = producer[input.value] else { continue }
                    let last = stage.accumulates ? row : input.lastRow(for: row, height: try height(input.value))
                    try ensure(source, last, depth: depth + 1)
                }
                productions += 1
                if !stage.accumulates {
                    let window = row - (oldestNeeded(stage.output) ?? row) + 1
                    ring[stage.output] = max(ring[stage.output] ?? 1, window)
                }
                done[index] += 1
            }
        }
        let sinks = stages.indices.filter { consumers[stages[$0].output] == nil }
        for sink in sinks { try ensure(sink, stages[sink].rows - 1, depth: 0) }
        for (i, stage) in stages.enumerated() where done[i] != stage.rows {
            throw .internal("stage '\(stage.name)' produced \(done[i]) of \(stage.rows) rows")
        }
        var result: [String: Int] = [:]
        for stage in stages {
            let h = try height(stage.output)
            result[stage.output] = stage.accumulates || whole.contains(stage.output) ? h : min(ring[stage.output] ?? 1, h)
        }
        return Result(ringRows: result, productions: productions)
    }
}

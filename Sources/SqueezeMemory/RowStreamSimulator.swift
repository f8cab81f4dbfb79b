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
        /// Stages with output rows no consumer reads (a stride larger than
        /// the kernel skips rows; a window that stops short of the last
        /// rows): after the sinks, they are pulled to their last row, in this
        /// order, so every row is computed once and every value is complete.
        public var drained: [Int] = []
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
        /// What is left to do, innermost last: an explicit stack instead of
        /// recursion, so a chain of thousands of stages cannot overflow the
        /// thread's stack. `ensure`: make the stage complete output rows up to
        /// `need`; `compute`: make the stage's inputs from `next` on ready,
        /// then compute one row (pre-pool row with a pool) of it.
        enum Task {
            case ensure(stage: Int, need: Int)
            case compute(stage: Int, next: Int)
        }
        /// Every stage is at most once on the stack as `ensure` and once as
        /// `compute` unless the stages form a cycle.
        let depthLimit = 2 * stages.count + 2
        func finishRow(_ index: Int) {
            let stage = stages[index]
            let row = computed[index]
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
        func pull(_ sink: Int) throws(Diagnostic) {
            var stack: [Task] = [.ensure(stage: sink, need: stages[sink].rows - 1)]
            while let task = stack.last {
                guard stack.count <= depthLimit else { throw .internal("streaming stages form a cycle") }
                switch task {
                case .ensure(let index, let need):
                    let stage = stages[index]
                    guard done[index] <= min(need, stage.rows - 1) else {
                        stack.removeLast()
                        continue
                    }
                    let row = done[index]
                    let last = stage.pool.map { p in min(row * p.stride.h - p.padding.top + p.kernel.h - 1, stage.preRows - 1) } ?? row
                    if computed[index] <= last {
                        stack.append(.compute(stage: index, next: 0))
                    } else {
                        done[index] += 1
                        record(index)
                    }
                case .compute(let index, let next):
                    let stage = stages[index]
                    guard next < stage.inputs.count else {
                        stack.removeLast()
                        finishRow(index)
                        continue
                    }
                    stack[stack.count - 1] = .compute(stage: index, next: next + 1)
                    let input = stage.inputs[next]
                    let need = stage.lastInputRow(input, for: computed[index], height: try height(input.value))
                    if pulled.contains(input.value) {
                        fetched[input.value] = max(fetched[input.value] ?? 0, need + 1)
                        let newest = fetched[input.value]! - 1
                        let window = newest - (oldestNeeded(input.value) ?? newest) + 1
                        ring[input.value] = max(ring[input.value] ?? 1, window)
                    }
                    guard let source = producer[input.value] else { continue }
                    stack.append(.ensure(stage: source, need: need))
                }
            }
        }
        let sinks = stages.indices.filter { consumers[stages[$0].output] == nil }
        for sink in sinks { try pull(sink) }
        var drained: [Int] = []
        for index in stages.indices where done[index] < stages[index].rows {
            drained.append(index)
            try pull(index)
        }
        // A fused pool in floor mode may leave its last pre-pool rows unread: they are not computed.
        for (i, stage) in stages.enumerated() where done[i] != stage.rows || computed[i] > stage.computedRows {
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
        return Result(ringRows: result, productions: productions, drained: drained)
    }
}

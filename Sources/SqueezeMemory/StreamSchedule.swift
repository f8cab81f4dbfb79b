import SqueezeIR

/// The row-streaming schedule: every stage of the network produces rows into
/// a ring just large enough for its consumers, so no large feature map is
/// stored whole. All rings are live during the stream (step 0); nodes that
/// need whole tensors (flatten, softmax) run afterwards as steps 1, 2, ...
public struct StreamSchedule: Schedule {
    public var graph: Graph
    public var stages: [StreamStage]
    /// Shapes of all streamed values, internal ones (`fire2.squeeze`) included.
    public var shapes: [String: TensorShape]
    /// Rows kept of each value (its full height when stored whole).
    public var ringRows: [String: Int]
    /// Graph nodes run after the stream (indices into graph.nodes).
    public var tail: [Int]
    /// Stages pulled to their last row after the sinks, in order, because
    /// no consumer reads all their rows (`RowStreamSimulator.Result.drained`).
    public var drained: [Int]
    public var storage: ValueStorageTable
    /// Arena buffers: rings, shared row hand-off buffers, and the whole
    /// tensors around the tail.
    public var buffers: [BufferLifetime]
    /// The arena buffer holding each value's rows (`.value`) and each pooled
    /// stage's pre-pool row scratch (`.prePoolRow`). Values handed from
    /// producer to a single consumer that reads the row at once share a few
    /// hand-off buffers (`.handoff`).
    public var bufferOf: [BufferID: BufferID]
    /// With `--row-input`: the graph input, fetched a row at a time from the
    /// caller into a ring in the arena (`ringRows` has its rows, `buffers`
    /// the ring as `.value(input)`); nil when the caller passes the whole image.
    public var inputRing: String?

    public var kind: ScheduleKind { .stream }

    /// A pooled stage's one-row pre-pool scratch.
    public static func prePoolRow(_ stage: StreamStage) -> BufferID { .prePoolRow(stage: stage.name) }

    /// `rowInput`: the input is fetched row by row into a ring in the arena
    /// (placed by the planner like every other ring) instead of being read
    /// from the caller's whole image.
    public init(graph: Graph, rowInput: Bool = false) throws(Diagnostic) {
        let decomposition = try StreamDecomposition.decompose(graph)
        self.graph = graph
        stages = decomposition.stages
        shapes = decomposition.shapes
        tail = decomposition.tail

        var storage = try ValueStorageTable.standard(graph, nodes: tail.map { graph.nodes[$0] })
        for stage in stages { storage[stage.output] = .arena }
        try storage.placeOutputs(graph)
        // Values the tail reads, and graph outputs, are kept whole.
        var whole = Set(graph.outputs)
        for index in tail { whole.formUnion(graph.nodes[index].inputs) }
        let resolved = whole.map { storage.owner(of: $0) }
        var pulled: Set<String> = []
        if rowInput {
            guard graph.inputs.count == 1, let input = graph.inputs.first else {
                throw .unsupported("--row-input needs a model with one input (got \(graph.inputs.count))")
            }
            guard !whole.contains(input.name), !resolved.contains(input.name), stages.contains(where: { $0.inputs.contains { $0.value == input.name } }) else {
                throw .unsupported("--row-input: the input '\(input.name)' is read whole (by a step after the stream, or as the output)")
            }
            pulled = [input.name]
        }
        let simulation = try RowStreamSimulator.run(stages, shapes: shapes, whole: whole.union(resolved), pulled: pulled)
        ringRows = simulation.ringRows
        drained = simulation.drained
        for input in graph.inputs where !pulled.contains(input.name) { ringRows[input.name] = input.type.shape.h }

        var lastUse: [String: Int] = [:]
        for (step, index) in tail.enumerated() {
            for input in graph.nodes[index].inputs { lastUse[storage.owner(of: input)] = step + 1 }
        }
        let element = graph.inputs.first?.type.elementType.byteSize ?? 4
        let handoff = Self.handoffs(stages, ringRows: ringRows, whole: whole, storage: storage)
        var rowBytes: [BufferID: Int] = [:]
        for stage in stages {
            let shape = shapes[stage.output]!
            rowBytes[.value(stage.output)] = shape.w * shape.c * element
            if stage.pool != nil, let pre = shapes[Lowering.prePoolValue(stage.node)] {
                rowBytes[Self.prePoolRow(stage)] = pre.w * pre.c * element
            }
        }
        // Colour the hand-off buffers: what one stage touches at once must differ.
        var colour: [BufferID: Int] = [:]
        for stage in stages {
            var touched = stage.inputs.map { BufferID.value($0.value) }.filter { handoff.contains($0) }
            if handoff.contains(.value(stage.output)) { touched.append(.value(stage.output)) }
            if stage.pool != nil { touched.append(Self.prePoolRow(stage)) }
            for member in touched where colour[member] == nil {
                let taken = Set(touched.compactMap { colour[$0] })
                colour[member] = (0...).first { !taken.contains($0) }!
            }
        }
        var bufferOf: [BufferID: BufferID] = [:]
        var sizes: [BufferID: Int] = [:]
        for (member, c) in colour {
            let buffer = BufferID.handoff(c)
            bufferOf[member] = buffer
            sizes[buffer] = max(sizes[buffer] ?? 0, rowBytes[member] ?? 0)
        }
        var buffers: [BufferLifetime] = []
        for (buffer, bytes) in sizes {
            buffers.append(BufferLifetime(id: buffer, bytes: ExecutionSchedule.rounded(bytes), firstUse: 0, lastUse: 0))
        }
        for stage in stages where storage[stage.output] == .arena && bufferOf[.value(stage.output)] == nil {
            let shape = shapes[stage.output]!
            let rows = ringRows[stage.output] ?? shape.h
            bufferOf[.value(stage.output)] = .value(stage.output)
            buffers.append(BufferLifetime(name: stage.output, bytes: ExecutionSchedule.rounded(rows * shape.w * shape.c * element),
                                          firstUse: 0, lastUse: lastUse[stage.output] ?? 0))
        }
        for input in graph.inputs where pulled.contains(input.name) {
            let shape = input.type.shape
            storage[input.name] = .arena
            bufferOf[.value(input.name)] = .value(input.name)
            buffers.append(BufferLifetime(name: input.name, bytes: ExecutionSchedule.rounded((ringRows[input.name] ?? shape.h) * shape.w * shape.c * element),
                                          firstUse: 0, lastUse: 0))
        }
        for (step, index) in tail.enumerated() {
            let node = graph.nodes[index]
            guard storage[node.output] == .arena else { continue }
            buffers.append(BufferLifetime(name: node.output, bytes: ExecutionSchedule.rounded(try graph.type(of: node.output).byteCount),
                                          firstUse: step + 1, lastUse: lastUse[node.output] ?? step + 1))
        }
        self.storage = storage
        self.bufferOf = bufferOf
        inputRing = pulled.first
        self.buffers = buffers.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
    }

    /// Values written one row at a time and read at once by their only
    /// consumer (a single-input stage reading one row, k = 1), plus every
    /// pooled stage's pre-pool row scratch: their contents live only between
    /// one write and the next read, so they can share buffers.
    static func handoffs(_ stages: [StreamStage], ringRows: [String: Int], whole: Set<String>,
                         storage: ValueStorageTable) -> Set<BufferID> {
        var consumers: [String: [StreamStage]] = [:]
        for stage in stages {
            for input in stage.inputs { consumers[input.value, default: []].append(stage) }
        }
        var result = Set<BufferID>()
        for stage in stages {
            if stage.pool != nil { result.insert(prePoolRow(stage)) }
            guard stage.pool == nil, !stage.accumulates, storage[stage.output] == .arena, !whole.contains(stage.output),
                  ringRows[stage.output] == 1, let readers = consumers[stage.output], readers.count == 1,
                  readers[0].inputs.count == 1, readers[0].inputs[0].kernel == 1, readers[0].inputs[0].stride == 1,
                  readers[0].inputs[0].padTop == 0
            else { continue }
            result.insert(.value(stage.output))
        }
        return result
    }

    /// The shape of a pooled stage's pre-pool rows.
    public func prePoolShape(_ stage: StreamStage) -> TensorShape? {
        stage.pool == nil ? nil : shapes[Lowering.prePoolValue(stage.node)]
    }

    public var stepNames: [String] { ["stream"] + tail.map { graph.nodes[$0].name } }

    /// The steps after the stream (1, 2, ...), with the stages their kernels
    /// run (a convolution head reading a global average; none for flatten
    /// and softmax). Such a step keeps no row rings of its own.
    public func tailSteps() throws(Diagnostic) -> [ScheduledStep] {
        var result: [ScheduledStep] = []
        for (step, index) in tail.enumerated() {
            let scheduled = try ExecutionSchedule.step(step + 1, graph.nodes[index], graph)
            guard scheduled.rings.isEmpty else {
                throw .unsupported("\(graph.nodes[index].op.name) after a global average needs row rings the stream schedule does not keep "
                                   + "there; use --schedule layer", node: graph.nodes[index].name)
            }
            result.append(scheduled)
        }
        return result
    }

    public func kernelStages() throws(Diagnostic) -> [ScheduledStage] {
        var result = stages.map { stage in
            ScheduledStage(step: 0, stage: stage, inputShapes: stage.inputs.compactMap { shapes[$0.value] })
        }
        // Whole-tensor nodes after the stream that still lower to stages run their kernels at their step.
        for (step, index) in tail.enumerated() {
            guard let lowered = try Lowering.lower(graph.nodes[index], in: graph) else { continue }
            var known = graph.valueTypes.mapValues(\.shape)
            known.merge(lowered.shapes) { _, new in new }
            for stage in lowered.stages {
                result.append(ScheduledStage(step: step + 1, stage: stage, inputShapes: stage.inputs.compactMap { known[$0.value] }))
            }
        }
        return result
    }

    public func buffer(holding value: String) -> BufferID? {
        let (owner, storage) = resolve(value)
        guard storage == .arena else { return nil }
        return bufferOf[.value(owner)] ?? .value(owner)
    }

    /// None: the stream's kernels read rings other kernels write.
    public func allowances() throws(Diagnostic) -> [OverlapAllowance] { [] }
}

extension StreamSchedule {
    /// The longest chain of stages each pulling rows from the one before
    /// (the generated C's deepest nesting of `ensure` calls), and its last stage.
    public var longestChain: (length: Int, stage: String) {
        var producer: [String: Int] = [:]
        for (index, stage) in stages.enumerated() { producer[stage.output] = index }
        var depth = [Int](repeating: 1, count: stages.count)
        var best = (length: 0, stage: "")
        // Stages come in graph order: every producer before its consumers.
        for (index, stage) in stages.enumerated() {
            for input in stage.inputs {
                if let source = producer[input.value], source < index { depth[index] = max(depth[index], depth[source] + 1) }
            }
            if depth[index] > best.length { best = (depth[index], stage.name) }
        }
        return best
    }
}

extension StreamSchedule {
    /// With `--row-input`: the input ring's rows and bytes (part of the arena).
    public var inputRingSize: (rows: Int, bytes: Int)? {
        guard let input = inputRing, let rows = ringRows[input], let bytes = lifetime(of: .value(input))?.bytes else { return nil }
        return (rows, bytes)
    }
}

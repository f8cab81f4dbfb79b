import SqueezeIR

/// The row-streaming schedule: every stage of the network produces rows into
/// a ring just large enough for its consumers, so no large feature map is
/// stored whole. All rings are live during the stream (step 0); nodes that
/// need whole tensors (flatten, softmax) run afterwards as steps 1, 2, ...
public struct StreamSchedule: Sendable {
    public var graph: Graph
    public var stages: [StreamStage]
    /// Shapes of all streamed values, internal ones (`fire2.squeeze`) included.
    public var shapes: [String: TensorShape]
    /// Rows kept of each value (its full height when stored whole).
    public var ringRows: [String: Int]
    /// Graph nodes run after the stream (indices into graph.nodes).
    public var tail: [Int]
    public var storage: [String: ValueStorage]
    /// Arena buffers: rings, shared row hand-off buffers, and the whole
    /// tensors around the tail.
    public var buffers: [BufferLifetime]
    /// The arena buffer holding each value's rows (and each pooled stage's
    /// pre-pool row scratch, keyed by `scratchName(stage)`). Values handed
    /// from producer to a single consumer that reads the row at once share
    /// a few hand-off buffers.
    public var bufferOf: [String: String]

    /// Key of a pooled stage's one-row pre-pool scratch in `bufferOf`.
    public static func scratchName(_ stage: StreamStage) -> String { stage.name + ".prepool_row" }

    public init(graph: Graph) throws(Diagnostic) {
        let decomposition = try StreamDecomposition.decompose(graph)
        self.graph = graph
        stages = decomposition.stages
        shapes = decomposition.shapes
        tail = decomposition.tail

        var storage: [String: ValueStorage] = [:]
        for input in graph.inputs { storage[input.name] = .graphInput }
        for stage in stages { storage[stage.output] = .arena }
        for index in tail {
            let node = graph.nodes[index]
            storage[node.output] = try ExecutionSchedule.isView(node, graph) ? .alias(of: node.inputs[0]) : .arena
        }
        try ExecutionSchedule.placeOutputs(graph, &storage)
        // Values the tail reads, and graph outputs, are kept whole.
        var whole = Set(graph.outputs)
        for index in tail { whole.formUnion(graph.nodes[index].inputs) }
        let resolved = whole.map { value -> String in
            var value = value
            while case .alias(let source) = storage[value] { value = source }
            return value
        }
        let simulation = try RowStreamSimulator.run(stages, shapes: shapes, whole: whole.union(resolved))
        ringRows = simulation.ringRows
        for input in graph.inputs { ringRows[input.name] = input.type.shape.h }

        var lastUse: [String: Int] = [:]
        for (step, index) in tail.enumerated() {
            for input in graph.nodes[index].inputs {
                var value = input
                while case .alias(let source) = storage[value] { value = source }
                lastUse[value] = step + 1
            }
        }
        let element = graph.inputs.first?.type.elementType.byteSize ?? 4
        let handoff = Self.handoffs(stages, ringRows: ringRows, whole: whole, storage: storage)
        var rowBytes: [String: Int] = [:]
        for stage in stages {
            let shape = shapes[stage.output]!
            rowBytes[stage.output] = shape.w * shape.c * element
            if stage.pool != nil, let pre = shapes[StreamDecomposition.prepoolValue(stage.node)] {
                rowBytes[Self.scratchName(stage)] = pre.w * pre.c * element
            }
        }
        // Colour the hand-off buffers: what one stage touches at once must differ.
        var colour: [String: Int] = [:]
        for stage in stages {
            var touched = stage.inputs.map(\.value).filter { handoff.contains($0) }
            if handoff.contains(stage.output) { touched.append(stage.output) }
            if stage.pool != nil { touched.append(Self.scratchName(stage)) }
            for name in touched where colour[name] == nil {
                let taken = Set(touched.compactMap { colour[$0] })
                colour[name] = (0...).first { !taken.contains($0) }!
            }
        }
        var bufferOf: [String: String] = [:]
        var sizes: [String: Int] = [:]
        for (name, c) in colour {
            let buffer = "stream.handoff\(c)"
            bufferOf[name] = buffer
            sizes[buffer] = max(sizes[buffer] ?? 0, rowBytes[name] ?? 0)
        }
        var buffers: [BufferLifetime] = []
        for (buffer, bytes) in sizes {
            buffers.append(BufferLifetime(name: buffer, bytes: ExecutionSchedule.rounded(bytes), firstUse: 0, lastUse: 0))
        }
        for stage in stages where storage[stage.output] == .arena && bufferOf[stage.output] == nil {
            let shape = shapes[stage.output]!
            let rows = ringRows[stage.output] ?? shape.h
            bufferOf[stage.output] = stage.output
            buffers.append(BufferLifetime(name: stage.output, bytes: ExecutionSchedule.rounded(rows * shape.w * shape.c * element),
                                          firstUse: 0, lastUse: lastUse[stage.output] ?? 0))
        }
        for (step, index) in tail.enumerated() {
            let node = graph.nodes[index]
            guard storage[node.output] == .arena else { continue }
            buffers.append(BufferLifetime(name: node.output, bytes: ExecutionSchedule.rounded(try graph.type(of: node.output).byteCount),
                                          firstUse: step + 1, lastUse: lastUse[node.output] ?? step + 1))
        }
        self.storage = storage
        self.bufferOf = bufferOf
        self.buffers = buffers.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
    }

    /// Values written one row at a time and read at once by their only
    /// consumer (a single-input stage reading one row, k = 1), plus every
    /// pooled stage's pre-pool row scratch: their contents live only between
    /// one write and the next read, so they can share buffers.
    static func handoffs(_ stages: [StreamStage], ringRows: [String: Int], whole: Set<String>,
                         storage: [String: ValueStorage]) -> Set<String> {
        var consumers: [String: [StreamStage]] = [:]
        for stage in stages {
            for input in stage.inputs { consumers[input.value, default: []].append(stage) }
        }
        var result = Set<String>()
        for stage in stages {
            if stage.pool != nil { result.insert(scratchName(stage)) }
            guard stage.pool == nil, !stage.accumulates, storage[stage.output] == .arena, !whole.contains(stage.output),
                  ringRows[stage.output] == 1, let readers = consumers[stage.output], readers.count == 1,
                  readers[0].inputs.count == 1, readers[0].inputs[0].kernel == 1, readers[0].inputs[0].stride == 1,
                  readers[0].inputs[0].padTop == 0
            else { continue }
            result.insert(stage.output)
        }
        return result
    }

    public func resolve(_ value: String) -> (owner: String, storage: ValueStorage) {
        var value = value
        while case .alias(let source) = storage[value] { value = source }
        return (value, storage[value] ?? .arena)
    }
}

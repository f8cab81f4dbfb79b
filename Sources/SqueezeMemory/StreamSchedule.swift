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
    /// Arena buffers: rings, and the whole tensors around the tail.
    public var buffers: [BufferLifetime]

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
        for output in graph.outputs {
            var value = output
            while case .alias(let source) = storage[value] { value = source }
            guard storage[value] == .arena else {
                throw .unsupported("graph output '\(output)' is the graph input; nothing to compute")
            }
            storage[value] = .graphOutput
        }
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
        var buffers: [BufferLifetime] = []
        let element = graph.inputs.first?.type.elementType.byteSize ?? 4
        for stage in stages where storage[stage.output] == .arena {
            let shape = shapes[stage.output]!
            let rows = ringRows[stage.output] ?? shape.h
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
        self.buffers = buffers.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
    }

    public func resolve(_ value: String) -> (owner: String, storage: ValueStorage) {
        var value = value
        while case .alias(let source) = storage[value] { value = source }
        return (value, storage[value] ?? .arena)
    }
}

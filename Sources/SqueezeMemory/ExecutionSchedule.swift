import SqueezeIR

/// A ring of rows of a fused layer step's internal value (a Fire module's
/// squeeze output, the map before a fused max pool).
public struct StepRing: Sendable, Hashable {
    public var id: BufferID
    /// The internal value whose rows it keeps (`Lowering.InternalValue.value`).
    public var value: String
    public var shape: TensorShape
    public var rows: Int
}

/// One step of the fused schedule: one node of the optimised graph, the
/// stages its kernels run (`Lowering`, empty for whole-tensor nodes) and
/// the rings of their internal values.
public struct ScheduledStep: Sendable, Hashable {
    public var index: Int
    public var node: Node
    public var stages: [StreamStage]
    public var rings: [StepRing]
    /// The rings as arena buffers, live during this step only.
    public var scratch: [BufferLifetime]

    public init(index: Int, node: Node, stages: [StreamStage] = [], rings: [StepRing] = [], scratch: [BufferLifetime] = []) {
        self.index = index
        self.node = node
        self.stages = stages
        self.rings = rings
        self.scratch = scratch
    }

    /// The ring of an internal value, if the step keeps one.
    public func ring(_ role: BufferID.RingRole) -> StepRing? {
        rings.first { $0.id == .ring(role, node: node.name) }
    }
}

/// The layer schedule: the execution order, the storage of every value and
/// the lifetimes of all arena buffers of a fused (optimised) graph, one step
/// per node, whole maps between steps. The code generator and the analyser
/// both read it, so they agree on what the arena holds.
public struct ExecutionSchedule: Schedule {
    public var graph: Graph
    public var steps: [ScheduledStep]
    public var storage: ValueStorageTable
    /// Arena buffers: activations stored in the arena and all rings.
    public var buffers: [BufferLifetime]

    public var kind: ScheduleKind { .layer }

    /// Bytes every arena buffer is rounded up to (and aligned at).
    public static let alignment = 16

    public init(graph: Graph) throws(Diagnostic) {
        self.graph = graph
        var storage = try ValueStorageTable.standard(graph, nodes: graph.nodes)
        try storage.placeOutputs(graph)

        var steps: [ScheduledStep] = []
        var firstUse: [String: Int] = [:]
        var lastUse: [String: Int] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for input in node.inputs { lastUse[storage.owner(of: input)] = index }
            let out = storage.owner(of: node.output)
            if firstUse[out] == nil { firstUse[out] = index }
            lastUse[out] = max(lastUse[out] ?? index, index)
            steps.append(try Self.step(index, node, graph))
        }
        var buffers: [BufferLifetime] = []
        for (value, start) in firstUse where storage[value] == .arena {
            buffers.append(BufferLifetime(name: value, bytes: Self.rounded(try graph.type(of: value).byteCount),
                                          firstUse: start, lastUse: lastUse[value] ?? start))
        }
        buffers += steps.flatMap(\.scratch)
        self.steps = steps
        self.storage = storage
        self.buffers = buffers.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
    }

    /// The node's stages and the rings its row pipeline keeps of their
    /// internal values: as many rows as the consumer's window.
    static func step(_ index: Int, _ node: Node, _ graph: Graph) throws(Diagnostic) -> ScheduledStep {
        guard let lowered = try Lowering.lower(node, in: graph) else { return ScheduledStep(index: index, node: node) }
        let element = try graph.type(of: node.output).elementType.byteSize
        let rings = lowered.internalValues.map { value in
            StepRing(id: .ring(value.role, node: node.name), value: value.value, shape: value.shape, rows: value.ringRows)
        }
        let scratch = rings.map { ring in
            BufferLifetime(id: ring.id, bytes: rounded(ring.rows * ring.shape.w * ring.shape.c * element), firstUse: index, lastUse: index)
        }
        return ScheduledStep(index: index, node: node, stages: lowered.stages, rings: rings, scratch: scratch)
    }

    static func rounded(_ bytes: Int) -> Int {
        (bytes + alignment - 1) / alignment * alignment
    }

    public var stepNames: [String] { steps.map(\.node.name) }

    public func kernelStages() throws(Diagnostic) -> [ScheduledStage] {
        var result: [ScheduledStage] = []
        let valueShapes = graph.valueTypes.mapValues(\.shape)
        for step in steps {
            var shapes = valueShapes
            for ring in step.rings { shapes[ring.value] = ring.shape }
            for stage in step.stages {
                result.append(ScheduledStage(step: step.index, stage: stage, inputShapes: stage.inputs.compactMap { shapes[$0.value] }))
            }
        }
        return result
    }

    public func buffer(holding value: String) -> BufferID? {
        let (owner, storage) = resolve(value)
        return storage == .arena ? .value(owner) : nil
    }

    public func allowances() throws(Diagnostic) -> [OverlapAllowance] {
        try InPlaceRules.allowances(self)
    }
}

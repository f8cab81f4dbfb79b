import SqueezeIR

/// The one way squeezec turns a fused graph into a checked arena plan, used
/// by `generate`, `analyze` and `plan` alike so their numbers agree:
/// the execution order with the least live memory, the chosen schedule, in-place
/// allowances (layer schedule), the planner, and the independent checker.
public struct PlannedMemory: Sendable {
    /// The graph in its chosen execution order.
    public var graph: Graph
    public var kind: ScheduleKind
    public var layer: ExecutionSchedule
    public var stream: StreamSchedule?
    public var buffers: [BufferLifetime]
    public var allowances: [OverlapAllowance]
    public var plan: ArenaPlan

    public init(fused: Graph, kind: ScheduleKind, planner: any ArenaPlanner = SearchPlanner()) throws(Diagnostic) {
        graph = try ExecutionOrder.best(fused)
        self.kind = kind
        layer = try ExecutionSchedule(graph: graph)
        stream = kind == .stream ? try StreamSchedule(graph: graph) : nil
        var buffers = stream?.buffers ?? layer.buffers
        // int8 kernel scratch (im2col, global-average sums): live throughout.
        let last = buffers.map(\.lastUse).max() ?? 0
        for extra in try Int8Scratch.buffers(for: graph) {
            buffers.append(BufferLifetime(name: extra.name, bytes: ExecutionSchedule.rounded(extra.bytes), firstUse: 0, lastUse: last))
        }
        self.buffers = buffers
        allowances = kind == .layer ? try InPlaceRules.allowances(layer) : []
        plan = planner.plan(buffers, allowances: allowances, alignment: ExecutionSchedule.alignment)
        try PlanChecker.check(plan, buffers, allowances: allowances, alignment: ExecutionSchedule.alignment)
    }

    /// Step names for timelines: one per layer step, or the stream then its tail.
    public var stepNames: [String] {
        if let stream { return ["stream"] + stream.tail.map { graph.nodes[$0].name } }
        return layer.steps.map(\.node.name)
    }
}

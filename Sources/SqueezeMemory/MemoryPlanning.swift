import SqueezeIR

/// The one way squeezec turns a fused graph into a checked arena plan, used
/// by `generate`, `analyze` and `plan` alike so their numbers agree:
/// the execution order with the least live memory, the chosen schedule (only
/// that one is built), the kernels' scratch requests, in-place allowances
/// (layer schedule), the planner, and the independent checker.
public struct PlannedMemory: Sendable {
    /// The graph in its chosen execution order.
    public var graph: Graph
    public var schedule: any Schedule
    /// Every arena buffer: the schedule's and the kernels' scratch.
    public var buffers: [BufferLifetime]
    public var kernelScratch: KernelScratchPlan
    public var allowances: [OverlapAllowance]
    public var plan: ArenaPlan

    /// `scratch`: the kernel library's scratch requests (see `KernelScratchProvider`).
    /// `rowInput`: the input arrives row by row into a ring the planner places
    /// (stream schedule only; `StreamSchedule.inputRing`).
    /// `regions`: RAM regions the arena may be split over, fastest first
    /// (`RegionPlanner`); empty: one arena of any size.
    public init(fused: Graph, kind: ScheduleKind, planner: any ArenaPlanner = SearchPlanner(),
                scratch: any KernelScratchProvider, rowInput: Bool = false, regions: [ArenaRegion] = []) throws(Diagnostic) {
        graph = try ExecutionOrder.best(fused)
        switch kind {
        case .layer:
            guard !rowInput else {
                throw .usage("--row-input needs the stream schedule: the layer schedule keeps whole maps (drop --schedule layer)")
            }
            schedule = try ExecutionSchedule(graph: graph)
        case .stream: schedule = try StreamSchedule(graph: graph, rowInput: rowInput)
        }
        var buffers = schedule.buffers
        kernelScratch = try KernelScratchPlan(schedule, provider: scratch, lastStep: buffers.map(\.lastUse).max() ?? 0)
        buffers += kernelScratch.buffers
        self.buffers = buffers
        allowances = try schedule.allowances()
        plan = regions.isEmpty
            ? planner.plan(buffers, allowances: allowances, alignment: ExecutionSchedule.alignment)
            : try RegionPlanner(regions: regions, planner: planner).plan(buffers, allowances: allowances,
                                                                         alignment: ExecutionSchedule.alignment)
        try SizeLimits.checkArena(bytes: plan.arenaBytes)
        try PlanChecker.check(plan, buffers, allowances: allowances, alignment: ExecutionSchedule.alignment)
    }

    public var kind: ScheduleKind { schedule.kind }
    /// The layer schedule, when it is the one planned.
    public var layer: ExecutionSchedule? { schedule as? ExecutionSchedule }
    /// The stream schedule, when it is the one planned.
    public var stream: StreamSchedule? { schedule as? StreamSchedule }

    /// With `--row-input`: the input ring's rows and bytes (its share of the arena).
    public var inputRing: (rows: Int, bytes: Int)? { stream?.inputRingSize }

    /// Step names for timelines: one per layer step, or the stream then its tail.
    public var stepNames: [String] { schedule.stepNames }

    /// The arena offset of the buffer holding a value, nil for the caller's buffers.
    public func offset(holding value: String) -> Int? {
        schedule.buffer(holding: value).flatMap(plan.offset(of:))
    }
}

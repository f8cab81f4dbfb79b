import SqueezeMemory

/// The lowered graph with its schedule and checked arena plan.
public struct PlannedStage: Sendable {
    public var lowered: LoweredStage
    public var memory: PlannedMemory

    public var schedule: ScheduleKind { memory.kind }
    public var plan: ArenaPlan { memory.plan }
}

import SqueezeIR
import SqueezeMemory

/// The result of code generation: the files plus what the tools report.
public struct GeneratedModel: Sendable {
    public var files: [GeneratedFile]
    /// The optimised (fused) graph the code implements.
    public var graph: Graph
    public var schedule: ExecutionSchedule
    public var plan: ArenaPlan
    /// Bytes of the const arrays (packed weights, padded to blocks of 4 channels).
    public var weightBytes: Int
    public var prefix: String

    public var arenaBytes: Int { plan.arenaBytes }

    /// Values the generated code traces (with -DSQ_TRACE), in step order.
    public var tracedValues: [String] {
        schedule.steps.compactMap { step in
            if case .alias = schedule.storage[step.node.output] { return nil }
            return step.node.output
        }
    }
}

import SqueezeCodegen
import SqueezeIR
import SqueezeMemory

/// The graph as imported or built: fp32, unfused.
public struct LoadedStage: Sendable {
    public var graph: Graph

    public init(graph: Graph) {
        self.graph = graph
    }
}

/// The loaded graph after the fusion passes (run exactly once, here).
public struct FusedStage: Sendable {
    public var loaded: LoadedStage
    /// Fused fp32, shapes inferred.
    public var graph: Graph
}

/// The fused graph in its final precision: fp32 as fused, or int8 after
/// calibration and `Quantizer`.
public struct LoweredStage: Sendable {
    public var fused: FusedStage
    public var precision: Precision
    /// What the later stages compile: the fused fp32 graph or its quantised form.
    public var graph: Graph

    /// The fused fp32 graph (the int8 graph's origin: fidelity compares with it).
    public var float: Graph { fused.graph }

    /// The graph the commands show and the Swift reference runs: the loaded
    /// graph for fp32 (unfused, as imported), the quantised graph for int8.
    public var reference: InterpretedModel {
        precision == .fp32 ? InterpretedModel(graph: fused.loaded.graph, float: fused.loaded.graph)
                           : InterpretedModel(graph: graph, float: fused.graph)
    }
}

/// The lowered graph with its schedule and checked arena plan.
public struct PlannedStage: Sendable {
    public var lowered: LoweredStage
    public var memory: PlannedMemory

    public var schedule: ScheduleKind { memory.kind }
    public var plan: ArenaPlan { memory.plan }
}

/// The generated C for the planned model.
public struct GeneratedStage: Sendable {
    public var planned: PlannedStage
    public var model: GeneratedModel
}

/// What `dump` prints and `run` and `validate` interpret: a graph the Swift
/// reference runs (`ModelInterpreters.make`) and the fp32 graph it is
/// measured against (itself for fp32, the fused fp32 graph for int8).
public struct InterpretedModel: Sendable {
    public var graph: Graph
    public var float: Graph

    public var isInt8: Bool { graph.quantization != nil }
}

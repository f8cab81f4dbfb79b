import SqueezeIR

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

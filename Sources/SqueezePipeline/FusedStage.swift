import SqueezeIR

/// The loaded graph after the fusion passes (run exactly once, here).
public struct FusedStage: Sendable {
    public var loaded: LoadedStage
    /// Fused fp32, shapes inferred.
    public var graph: Graph
}

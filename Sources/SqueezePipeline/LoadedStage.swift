import SqueezeIR

/// The graph as imported or built: fp32, unfused.
public struct LoadedStage: Sendable {
    public var graph: Graph

    public init(graph: Graph) {
        self.graph = graph
    }
}

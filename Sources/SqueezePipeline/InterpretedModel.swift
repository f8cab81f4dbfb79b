import SqueezeIR

/// What `dump` prints and `run` and `validate` interpret: a graph the Swift
/// reference runs (`ModelInterpreters.make`) and the fp32 graph it is
/// measured against (itself for fp32, the fused fp32 graph for int8).
public struct InterpretedModel: Sendable {
    public var graph: Graph
    public var float: Graph

    public var isInt8: Bool { graph.quantization != nil }
}

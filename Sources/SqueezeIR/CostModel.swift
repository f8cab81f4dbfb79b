/// Parameters and multiply-accumulates of each layer.
///
/// MACs count convolutions only (out_h * out_w * out_c * in_c * k_h * k_w);
/// pooling, ReLU, add and softmax are not counted. This is the convention of
/// the published SqueezeNet figures (818.9 M for v1.0, 349.2 M for v1.1).
public enum CostModel {
    public static func parameters(of node: Node, in graph: Graph) -> Int {
        node.parameters.reduce(0) { $0 + (graph.constants[$1]?.shape.elementCount ?? 0) }
    }

    public static func macs(of node: Node, in graph: Graph) -> Int {
        switch node.op {
        case .conv2d(let a):
            guard let out = graph.valueTypes[node.output]?.shape,
                  let input = node.inputs.first.flatMap({ graph.valueTypes[$0]?.shape }) else { return 0 }
            return out.h * out.w * out.c * input.c * a.kernel.h * a.kernel.w
        case .relu, .maxPool, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten, .softmax:
            return 0
        }
    }

    public static func totalParameters(_ graph: Graph) -> Int {
        graph.nodes.reduce(0) { $0 + parameters(of: $1, in: graph) }
    }

    public static func totalMACs(_ graph: Graph) -> Int {
        graph.nodes.reduce(0) { $0 + macs(of: $1, in: graph) }
    }

    /// Bytes of all constants the nodes use.
    public static func weightBytes(_ graph: Graph) -> Int {
        let used = Set(graph.nodes.flatMap(\.parameters))
        return used.reduce(0) { $0 + (graph.constants[$1]?.type.byteCount ?? 0) }
    }
}

/// Parameters and multiply-accumulates of each layer.
///
/// MACs count convolutions only (out_h * out_w * out_c * in_c / groups * k_h * k_w);
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
            let pre = preActivationShape(a, input: input) ?? out
            return pre.h * pre.w * a.outChannels * a.groupInputChannels(input.c) * a.kernel.h * a.kernel.w
        case .fire(let a):
            guard let input = node.inputs.first.flatMap({ graph.valueTypes[$0]?.shape }),
                  let squeezed = preActivationShape(a.squeeze, input: input) else { return 0 }
            let s = a.squeeze.outChannels
            let pixels = squeezed.h * squeezed.w
            return pixels * (s * input.c + a.expand1x1.outChannels * s + a.expand3x3.outChannels * s * 9)
        case .relu, .maxPool, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten, .softmax:
            return 0
        case .activation, .affine, .pad:
            return 0
        }
    }

    /// The convolution's own output shape, before any fused pool.
    static func preActivationShape(_ a: Conv2DAttributes, input: TensorShape) -> TensorShape? {
        guard let oh = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let ow = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { return nil }
        return .nhwc(input.n, oh, ow, a.outChannels)
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

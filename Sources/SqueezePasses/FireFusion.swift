import SqueezeIR

/// Replaces every Fire module (squeeze 1x1 + ReLU, expand 1x1 + ReLU,
/// expand 3x3 + ReLU, concat) by one `.fire` node that writes both expand
/// outputs straight into their channel slices of the concat output.
public struct FireFusion: GraphPass {
    public let name = "fire-fusion"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        let modules = FireModuleMatcher.match(graph)
        guard !modules.isEmpty else { return graph }
        var fused: [Int: Node] = [:]
        var removed = Set<Int>()
        for module in modules {
            let convs = [module.squeeze, module.expand1x1, module.expand3x3].map { graph.nodes[$0] }
            let activations = [module.squeezeRelu, module.expand1x1Relu, module.expand3x3Relu].map { Activation.clamp(of: graph.nodes[$0].op) }
            var attributes: [Conv2DAttributes] = []
            for (conv, activation) in zip(convs, activations) {
                guard case .conv2d(var a) = conv.op, let activation else {
                    throw .internal("fire matcher returned a non-convolution or an activation that is not a clamp", node: conv.name)
                }
                a.activation = activation
                attributes.append(a)
            }
            let concat = graph.nodes[module.concat]
            let fire = FireAttributes(squeeze: attributes[0], expand1x1: attributes[1], expand3x3: attributes[2],
                                      expand1x1First: module.expand1x1First)
            fused[module.concat] = Node(
                name: module.name, op: .fire(fire), inputs: convs[0].inputs,
                parameters: convs.flatMap(\.parameters), output: concat.output,
                fusedFrom: module.nodeIndices.flatMap { graph.nodes[$0].sourceNames })
            removed.formUnion(module.nodeIndices)
        }
        var result = graph
        result.nodes = graph.nodes.indices.compactMap { index in
            fused[index] ?? (removed.contains(index) ? nil : graph.nodes[index])
        }
        return try result.reinferred()
    }
}

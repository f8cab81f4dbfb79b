import SqueezeIR

/// Folds a ReLU, clip or leaky ReLU into the convolution that produces its
/// input, when nothing else reads the convolution's raw output.
public struct ActivationFusion: GraphPass {
    public let name = "activation-fusion"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var result = graph
        var index = 0
        while index < result.nodes.count {
            let relu = result.nodes[index]
            guard let activation = Self.fusable(relu.op),
                  let producerIndex = result.nodes.firstIndex(where: { $0.output == relu.inputs[0] }),
                  case .conv2d(var a) = result.nodes[producerIndex].op,
                  a.activation == .none, a.pool == nil,
                  result.isPrivate(relu.inputs[0], to: index)
            else {
                index += 1
                continue
            }
            a.activation = activation
            var conv = result.nodes[producerIndex]
            conv.op = .conv2d(a)
            conv.output = relu.output
            conv.fusedFrom = conv.sourceNames + relu.sourceNames
            result.nodes[producerIndex] = conv
            result.nodes.remove(at: index)
        }
        return try result.reinferred()
    }

    /// The activation a node applies, if a convolution can take it as its epilogue.
    static func fusable(_ op: Op) -> Activation? {
        switch op {
        case .relu: return .relu
        case .activation(let a) where a.fusesIntoConvolution: return a
        default: return nil
        }
    }
}

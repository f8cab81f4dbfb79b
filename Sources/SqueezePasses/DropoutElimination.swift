import SqueezeIR

/// Removes dropout nodes: at inference dropout is the identity.
public struct DropoutElimination: GraphPass {
    public let name = "dropout-elimination"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var result = graph
        while let index = result.nodes.firstIndex(where: { if case .dropout = $0.op { true } else { false } }) {
            let node = result.nodes.remove(at: index)
            result.replaceUses(of: node.output, with: node.inputs[0])
        }
        return try result.reinferred()
    }
}

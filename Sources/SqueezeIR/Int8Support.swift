/// The one table of which operators have int8 support (quantizer, int8
/// reference, generated int8 kernels). Every int8 check consults it: the
/// quantizer, the int8 reference interpreter and the pre-flight that runs
/// before calibration (`unsupportedNodes`).
public enum Int8Support {
    /// True when the op (after fusion) runs in int8.
    public static func supports(_ kind: OpKind) -> Bool {
        switch kind {
        case .conv2d, .fire, .maxPool, .globalAvgPool, .add, .relu, .dropout, .flatten, .activation, .affine, .pad,
             .avgPool, .concat, .softmax: true
        }
    }

    public static func supports(_ op: Op) -> Bool { supports(op.kind) }

    /// The ops with int8 support, for messages.
    public static var supportedNames: String {
        OpKind.allCases.filter { supports($0) }.map(\.rawValue).joined(separator: ", ")
    }

    /// The nodes of a (fused) graph that have no int8 support, as
    /// (node name, op name) pairs in execution order.
    /// (`supported` is the table; tests pass another to see the report.)
    /// Besides the op table, the limits an int8 kernel has on shapes
    /// alone (`shapeLimit`), so nothing is refused after calibration.
    public static func unsupportedNodes(_ graph: Graph, supported: (OpKind) -> Bool = supports) -> [UnsupportedNode] {
        graph.nodes.compactMap { node in
            guard supported(node.op.kind) else { return UnsupportedNode(name: node.name, op: node.op.name, reason: "no int8 kernel") }
            return shapeLimit(node, in: graph).map { UnsupportedNode(name: node.name, op: node.op.name, reason: $0) }
        }
    }

    /// Why an int8 kernel cannot take this node's shapes, or nil.
    public static func shapeLimit(_ node: Node, in graph: Graph) -> String? {
        switch node.op {
        case .softmax:
            guard let width = (try? graph.type(of: node.inputs[0]))?.shape.dims.last, width > SoftmaxQuantization.maximumWidth else { return nil }
            return "the int8 softmax takes rows of at most \(SoftmaxQuantization.maximumWidth) values, not \(width)"
        default:
            return nil
        }
    }

    /// Throws one pre-flight report of every node without int8 support.
    public static func check(_ graph: Graph, supported: (OpKind) -> Bool = supports) throws(Diagnostic) {
        let nodes = unsupportedNodes(graph, supported: supported)
        guard !nodes.isEmpty else { return }
        throw UnsupportedNode.report(nodes, what: "int8",
                                     hint: "int8 supports \(supportedNames) (after fusion); --precision fp32 compiles every op")
    }

    /// The diagnostic a single node without int8 support gets.
    public static func refusal(_ node: Node) -> Diagnostic {
        .unsupported("\(node.op.name) is not supported in int8 yet (int8 supports \(supportedNames))", node: node.name)
    }
}

import SqueezeIR

/// onnxruntime's quantisers drop a Relu after a quantised Conv: the
/// output's range starts at 0, so its zero point is the lowest code and the
/// int8 clamp is the ReLU. squeezec puts the ReLU back on every imported
/// convolution whose output parameters cannot represent a negative value
/// (int8 zero point -128): exact in int8 (the clamp at -128 is unchanged),
/// right for the float graph, and it lets Fire modules fuse.
enum ONNXReluRestoration {
    static func run(_ graph: Graph, reserved: Set<String>) throws(Diagnostic) -> Graph {
        guard var imported = graph.importedQuantization else { return graph }
        let consumers = graph.consumers
        var result = graph
        var nodes: [Node] = []
        var used = reserved.union(graph.valueTypes.keys)
        for node in graph.nodes {
            guard case .conv2d = node.op, imported.weights[node.parameters[0]] != nil,
                  let params = imported.values[node.output], params.zeroPoint == -128,
                  !(consumers[node.output] ?? []).contains(where: { graph.nodes[$0].op == .relu }) else {
                nodes.append(node)
                continue
            }
            var name = "\(node.output)_conv"
            var suffix = 2
            while used.contains(name) {
                name = "\(node.output)_conv_\(suffix)"
                suffix += 1
            }
            used.insert(name)
            var conv = node
            conv.output = name
            imported.values[name] = params
            nodes.append(conv)
            nodes.append(Node(name: "\(node.name)/relu", op: .relu, inputs: [name], output: node.output))
        }
        guard nodes.count != graph.nodes.count else { return graph }
        result.nodes = nodes
        result.importedQuantization = imported
        result.valueTypes = [:]
        return try ShapeInference.run(result)
    }
}

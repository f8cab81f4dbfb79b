/// Checks the structural invariants every pass must keep:
/// unique node names, single assignment of values, topological order, all
/// parameters present with the right element types, outputs produced, and
/// (when types are present) types that agree with a fresh shape inference.
public enum GraphVerifier {
    public static func verify(_ graph: Graph) throws(Diagnostic) {
        var nodeNames = Set<String>()
        var defined = Set(graph.inputs.map(\.name))
        if defined.count != graph.inputs.count {
            throw .input("graph '\(graph.name)' has duplicate input names")
        }
        for node in graph.nodes {
            guard !node.name.isEmpty else { throw .input("a node has an empty name") }
            guard nodeNames.insert(node.name).inserted else {
                throw .input("node name is used twice", node: node.name)
            }
            for input in node.inputs where !defined.contains(input) {
                throw .input("reads '\(input)' before it is produced (nodes out of order or value missing)", node: node.name)
            }
            for parameter in node.parameters {
                guard graph.constants[parameter] != nil else {
                    throw .input("parameter '\(parameter)' is missing", node: node.name)
                }
                if defined.contains(parameter) {
                    throw .input("'\(parameter)' is both a constant and an activation", node: node.name)
                }
            }
            guard defined.insert(node.output).inserted else {
                throw .input("value '\(node.output)' is written twice", node: node.name)
            }
        }
        if graph.outputs.isEmpty { throw .input("graph '\(graph.name)' has no output") }
        for output in graph.outputs where !defined.contains(output) {
            throw .input("graph output '\(output)' is never produced")
        }
        if !graph.valueTypes.isEmpty {
            let fresh = try ShapeInference.run(Graph(name: graph.name, inputs: graph.inputs, outputs: graph.outputs, nodes: graph.nodes, constants: graph.constants))
            for (value, type) in fresh.valueTypes where graph.valueTypes[value] != type {
                let stale = graph.valueTypes[value].map { "\($0)" } ?? "none"
                throw .internal("value '\(value)' has type \(stale) but inference gives \(type)")
            }
        }
    }
}

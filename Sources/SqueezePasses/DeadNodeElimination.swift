import SqueezeIR

/// Removes nodes whose output no graph output depends on (directly or
/// through other nodes), and the constants only they read. Such a node would
/// still be computed by the generated code, into a buffer nobody reads (and
/// the planner may give it the buffer of one of its own inputs).
public struct DeadNodeElimination: GraphPass {
    public let name = "dead-node-elimination"

    public init() {}

    /// The names of the nodes the pass removes from `graph`, in graph order.
    public static func deadNodes(in graph: Graph) -> [String] {
        live(graph).enumerated().filter { !$0.element }.map { graph.nodes[$0.offset].name }
    }

    /// For every node: does some graph output depend on it? One backward
    /// sweep over the topological order (no recursion over graph depth).
    static func live(_ graph: Graph) -> [Bool] {
        var needed = Set(graph.outputs)
        var result = [Bool](repeating: false, count: graph.nodes.count)
        for index in graph.nodes.indices.reversed() where needed.contains(graph.nodes[index].output) {
            result[index] = true
            needed.formUnion(graph.nodes[index].inputs)
        }
        return result
    }

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        let live = Self.live(graph)
        guard live.contains(false) else { return graph }
        var result = graph
        result.nodes = graph.nodes.indices.filter { live[$0] }.map { graph.nodes[$0] }
        let used = Set(result.nodes.flatMap(\.parameters))
        for key in Set(graph.nodes.flatMap(\.parameters)).subtracting(used) { result.constants[key] = nil }
        return graph.valueTypes.isEmpty ? result : try result.reinferred()
    }
}

/// Where a graph's grouped convolutions (`Conv2DAttributes.groups` > 1) are:
/// their weights are stored plain OHWI (no blocked or paired layout, never
/// compressed) and run by the grouped kernels (`sq_gconv_*`).
public enum GroupedConvolution {
    /// The weight parameters of the graph's grouped convolutions.
    public static func weights(in graph: Graph) -> Set<String> {
        var result: Set<String> = []
        for node in graph.nodes {
            if case .conv2d(let a) = node.op, a.isGrouped, let weight = node.parameters.first { result.insert(weight) }
        }
        return result
    }

    /// Whether `weight` is the weight of a grouped convolution of `graph`.
    public static func isGrouped(weight: String, in graph: Graph) -> Bool {
        graph.nodes.contains { node in
            if case .conv2d(let a) = node.op { return a.isGrouped && node.parameters.first == weight }
            return false
        }
    }
}

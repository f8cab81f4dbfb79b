import SqueezeIR

/// The post-training options on a graph: every convolution weight (the
/// fp32 4-D constants a node uses) pruned, then shared, layer by layer.
/// Biases are untouched. Deterministic: the same graph and options give
/// the same weights on every run.
public struct WeightCompressionPass: Sendable {
    public var options: CompressionOptions

    public init(options: CompressionOptions) {
        self.options = options
    }

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        try options.check()
        var graph = graph
        graph.weightStorage = options.storage
        guard !options.isEmpty else { return graph }
        for name in Set(graph.nodes.flatMap(\.parameters)).sorted() {
            guard let tensor = graph.constants[name], tensor.shape.rank == 4, var weights = tensor.floats else { continue }
            if let sparsity = options.sparsity { weights = MagnitudePruning.prune(weights, sparsity: sparsity) }
            if let bits = options.codebookBits { weights = KMeansCodebook.share(weights, bits: bits) }
            graph.constants[name] = Tensor(shape: tensor.shape, floats: weights)
        }
        return graph
    }
}

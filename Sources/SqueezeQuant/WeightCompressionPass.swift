import SqueezeIR

/// The post-training options on a graph: every convolution weight (the
/// fp32 4-D constants a node uses) pruned, then shared, layer by layer,
/// each with its layer's override or else the global setting. Biases are
/// untouched. Deterministic: the same graph and options give the same
/// weights on every run. `domain`: what the codebook shares, the float
/// weights (fp32 builds) or the int8 codes (int8 builds).
public struct WeightCompressionPass: Sendable {
    public var options: CompressionOptions
    public var domain: CodebookDomain

    public init(options: CompressionOptions, domain: CodebookDomain = .float) {
        self.options = options
        self.domain = domain
    }

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        try options.check()
        var graph = graph
        graph.weightStorage = options.storage
        graph.decodeScratchBytes = options.decodeScratch
        guard !options.isEmpty else { return graph }
        let overrides = try Self.resolve(options, in: graph)
        for name in Self.convWeights(of: graph) {
            guard let tensor = graph.constants[name], var weights = tensor.floats else { continue }
            let sparsity = overrides.sparsity[name] ?? options.sparsity
            let bits = overrides.codebookBits[name] ?? options.codebookBits
            if let sparsity, sparsity > 0 { weights = MagnitudePruning.prune(weights, sparsity: sparsity) }
            if let bits {
                switch domain {
                case .float: weights = KMeansCodebook.share(weights, bits: bits)
                case .int8Codes: weights = Int8CodeSharing.share(weights, channels: tensor.shape.dims[0], bits: bits)
                }
            }
            graph.constants[name] = Tensor(shape: tensor.shape, floats: weights)
        }
        return graph
    }

    /// The graph's convolution weights (4-D fp32 constants a node reads), sorted.
    public static func convWeights(of graph: Graph) -> [String] {
        Set(graph.nodes.flatMap(\.parameters)).filter { name in
            guard let tensor = graph.constants[name] else { return false }
            return tensor.shape.rank == 4 && tensor.floats != nil
        }.sorted()
    }

    /// The names a layer override may use, in node order: each conv node's
    /// name (and the names it was fused from), each weight's own name and
    /// that name without `.weight` (ONNX exports: `fire2.squeeze` for node
    /// `/fire2/squeeze/Conv`), mapped to the weight.
    public static func layerNames(of graph: Graph) -> [(name: String, weight: String)] {
        let weights = Set(convWeights(of: graph))
        var result: [(name: String, weight: String)] = []
        var seen = Set<String>()
        for node in graph.nodes {
            for weight in node.parameters where weights.contains(weight) {
                let stem = weight.hasSuffix(".weight") ? [String(weight.dropLast(7))] : []
                for name in node.sourceNames + [node.name, weight] + stem where seen.insert(name).inserted {
                    result.append((name, weight))
                }
            }
        }
        return result
    }

    /// The overrides by weight name. Unknown names and two names for one
    /// weight in the same option are usage errors naming the option (and a
    /// few valid names).
    public static func resolve(_ options: CompressionOptions,
                               in graph: Graph) throws(Diagnostic) -> (sparsity: [String: Double], codebookBits: [String: Int?]) {
        let names = layerNames(of: graph)
        let lookup = Dictionary(names.map { ($0.name, $0.weight) }, uniquingKeysWith: { first, _ in first })
        func weights(_ keys: [String], option: String) throws(Diagnostic) -> [String: String] {
            var owner: [String: String] = [:]
            for key in keys.sorted() {
                guard let weight = lookup[key] else {
                    throw .usage("\(option) \(key): no conv layer '\(key)' in model '\(graph.name)' (conv layers: "
                                 + examples(names.filter { $0.name != $0.weight }.map(\.name)) + "; 'squeezec analyze' lists them)")
                }
                if let other = owner[weight] {
                    throw .usage("\(option) \(key): '\(other)' and '\(key)' are the same layer (weight \(weight)); give it once")
                }
                owner[weight] = key
            }
            return owner
        }
        var sparsity: [String: Double] = [:]
        for (weight, key) in try weights(Array(options.layerSparsity.keys), option: "--prune-layer") {
            sparsity[weight] = options.layerSparsity[key]
        }
        var bits: [String: Int?] = [:]
        for (weight, key) in try weights(Array(options.layerCodebookBits.keys), option: "--codebook-layer") {
            // nil bits (none) stored as a value, not a removal.
            if let b = options.layerCodebookBits[key] { bits[weight] = .some(b) }
        }
        return (sparsity, bits)
    }

    /// `a, b, c, ..., z (N in all)`.
    static func examples(_ names: [String]) -> String {
        guard names.count > 4, let last = names.last else { return names.joined(separator: ", ") }
        return names.prefix(3).joined(separator: ", ") + ", ..., " + last + " (\(names.count) in all)"
    }
}

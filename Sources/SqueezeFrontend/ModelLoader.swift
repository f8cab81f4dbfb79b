import SqueezeIR

/// Turns what the user typed as MODEL into a shape-inferred graph.
public enum ModelLoader {
    public static let builtInNames = SqueezeNetConfig.Version.allCases.map(\.rawValue)

    /// `model` is a built-in name (`squeezenet1.0`, `squeezenet1.1`); `config`
    /// carries the metaparameters (its version is replaced by the name's).
    /// `weights`, if given, is an .npz whose arrays replace the seeded weights.
    public static func load(_ model: String, config: SqueezeNetConfig, weights: String? = nil) throws(Diagnostic) -> Graph {
        if let version = SqueezeNetConfig.Version(rawValue: model.lowercased()) {
            var config = config
            config.version = version
            let built = try SqueezeNetBuilder.build(config)
            guard let weights else { return built.graph }
            let graph = try WeightLoader.apply(file: weights, to: built.graph, aliases: built.aliases)
            try checkFinite(graph, file: weights)
            return graph
        }
        if model.lowercased().hasSuffix(".onnx") {
            if weights != nil {
                throw .usage("--weights applies to built-in models; an ONNX file carries its own weights")
            }
            let graph = try ONNXImporter.load(path: model)
            try checkOneOutput(graph, file: model)
            try SizeLimits.check(graph, file: model)
            try checkFinite(graph, file: model)
            return graph
        }
        throw .usage("unknown model '\(model)': expected one of \(builtInNames.joined(separator: ", ")) or a path to an .onnx file")
    }

    /// Every weight of every layer is a finite number: a NaN or infinity
    /// would make every output NaN (or the generated C refuse it), so it is
    /// refused at load time, naming the file the weights came from and the layer.
    public static func checkFinite(_ graph: Graph, file: String) throws(Diagnostic) {
        var checked = Set<String>()
        for node in graph.nodes {
            for parameter in node.parameters where checked.insert(parameter).inserted {
                guard let values = graph.constants[parameter]?.floats, let index = values.firstIndex(where: { !$0.isFinite }) else { continue }
                throw .input("weight '\(MessageText.printable(parameter))' holds \(values[index]) (element \(index), OHWI order): weights must be finite numbers",
                             file: file, node: node.name)
            }
        }
    }

    /// squeezec compiles networks with one input and one output, in every
    /// command alike (the ONNX importer refuses a second input).
    static func checkOneOutput(_ graph: Graph, file: String) throws(Diagnostic) {
        guard graph.outputs.count == 1 else {
            let names = graph.outputs.prefix(4).map { "'\(MessageText.printable($0))'" }.joined(separator: ", ") + (graph.outputs.count > 4 ? ", ..." : "")
            throw .unsupported("the graph has \(graph.outputs.count) outputs (\(names)); squeezec compiles networks with exactly one output", file: file)
        }
    }
}

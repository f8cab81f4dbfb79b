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
            return try WeightLoader.apply(file: weights, to: built.graph, aliases: built.aliases)
        }
        if model.lowercased().hasSuffix(".onnx") {
            if weights != nil {
                throw .usage("--weights applies to built-in models; an ONNX file carries its own weights")
            }
            return try ONNXImporter.load(path: model)
        }
        throw .usage("unknown model '\(model)': expected one of \(builtInNames.joined(separator: ", ")) or a path to an .onnx file")
    }
}

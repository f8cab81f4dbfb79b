import SqueezeFrontend

/// Where the model comes from: a built-in SqueezeNet (with its
/// hyper-parameters) or an `.onnx` path, and optional trained weights.
public struct ModelSource: Sendable {
    /// `squeezenet1.0`, `squeezenet1.1` or a path to an `.onnx` file.
    public var name: String
    public var config: SqueezeNetConfig
    /// An `.npz` of trained fp32 weights.
    public var weights: String?

    public init(name: String, config: SqueezeNetConfig = SqueezeNetConfig(version: .v1_1), weights: String? = nil) {
        self.name = name
        self.config = config
        self.weights = weights
    }
}

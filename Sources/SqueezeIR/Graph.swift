/// A graph input: name and type (NHWC for images).
public struct ValueInfo: Sendable, Hashable {
    public var name: String
    public var type: TensorType

    public init(name: String, type: TensorType) {
        self.name = name
        self.type = type
    }
}

/// A whole network: nodes in execution (topological) order, constants, and
/// the type of every value once shape inference has run.
public struct Graph: Sendable, Hashable {
    public var name: String
    public var inputs: [ValueInfo]
    public var outputs: [String]
    public var nodes: [Node]
    public var constants: [String: Tensor]
    /// Filled by `ShapeInference`; empty before.
    public var valueTypes: [String: TensorType]
    /// Set on int8 graphs (`SqueezeQuant.Quantizer`): activations are int8
    /// codes, weights int8, biases int32; nil for fp32 graphs.
    public var quantization: Quantization?
    /// How images become this model's input: from the ONNX file's
    /// `squeezec.*` metadata when it has any, then as the compile pipeline
    /// resolved it (defaults and command-line options); nil before that for
    /// models that say nothing.
    public var preprocessing: Preprocessing?
    /// The ONNX file's `metadata_props`, as read (empty for built-in models).
    public var metadata: [String: String] = [:]
    /// How the generated C stores convolution weights: dense, or
    /// compressed where that pays (`WeightStoragePolicy.auto`).
    public var weightStorage: WeightStoragePolicy = .auto
    /// The most RAM the compressed layers' decode buffer may take
    /// (`--decode-scratch`); nil: the default of the precision. A layer
    /// still decodes at least its smallest block (4 fp32 or 2 int8 output
    /// channels), so the buffer may be larger than this for wide layers.
    public var decodeScratchBytes: Int?
    /// Set by the ONNX importer for an already-quantised model (QDQ or
    /// QOperator): its own scales, zero points and integer weights.
    public var importedQuantization: ImportedQuantization?
    /// What the input buffer holds (`--input-type`): `uint8` once
    /// `InputNormalisationFolding` has folded the preprocessing into the
    /// first convolution (then `preprocessing` has scale 1, mean 0, std 1).
    public var inputType: InputType = .float
    /// With `inputType` `uint8`: the preprocessing that was folded into the
    /// first convolution (for documentation: the generated header).
    public var foldedPreprocessing: Preprocessing?

    public init(name: String, inputs: [ValueInfo], outputs: [String], nodes: [Node], constants: [String: Tensor], valueTypes: [String: TensorType] = [:],
                quantization: Quantization? = nil) {
        self.quantization = quantization
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
        self.constants = constants
        self.valueTypes = valueTypes
    }

    public func node(named name: String) -> Node? {
        nodes.first { $0.name == name }
    }

    /// The node producing each value.
    public var producers: [String: Int] {
        var result: [String: Int] = [:]
        for (index, node) in nodes.enumerated() { result[node.output] = index }
        return result
    }

    /// The nodes reading each value, in execution order.
    public var consumers: [String: [Int]] {
        var result: [String: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for input in node.inputs { result[input, default: []].append(index) }
        }
        return result
    }

    /// The type of a value, or an internal error if shape inference has not run.
    public func type(of value: String) throws(Diagnostic) -> TensorType {
        guard let type = valueTypes[value] else {
            throw .internal("value '\(value)' has no type; run shape inference first")
        }
        return type
    }
}

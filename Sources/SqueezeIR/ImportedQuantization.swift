/// The quantisation an already-quantised ONNX model carries (QDQ or
/// QOperator), as the importer read it: parameters on values, and the
/// model's own integer weights and biases. A graph with it is lowered to
/// int8 without calibration: the integer lowering (`SqueezeQuant.Quantizer`)
/// takes these parameters and codes as they are.
///
/// Everything is in squeezec's int8 domain: uint8 tensors (codes and zero
/// points) are shifted by -128, which represents the same real values
/// exactly (`real = scale * (q - zp)` is unchanged).
public struct ImportedQuantization: Sendable, Hashable {
    /// "QDQ" or "QOperator".
    public var format: String
    /// Parameters of every quantised activation value, by IR value name.
    public var values: [String: QuantParams]
    /// Convolution weights by IR constant name: int8 codes (OHWI, zero point 0).
    public var weights: [String: QuantizedWeight]
    /// Convolution biases by IR constant name: the model's int32 codes.
    public var biases: [String: QuantizedBias]

    public init(format: String, values: [String: QuantParams] = [:], weights: [String: QuantizedWeight] = [:],
                biases: [String: QuantizedBias] = [:]) {
        self.format = format
        self.values = values
        self.weights = weights
        self.biases = biases
    }
}

/// A convolution weight as the model stores it: `real = scales[co] * code`.
public struct QuantizedWeight: Sendable, Hashable {
    /// OHWI int8 codes.
    public var codes: [Int8]
    /// One scale per output channel (a per-tensor scale repeated).
    public var scales: [Float]
    public var perChannel: Bool

    public init(codes: [Int8], scales: [Float], perChannel: Bool) {
        self.codes = codes
        self.scales = scales
        self.perChannel = perChannel
    }
}

/// A convolution bias as the model stores it: `real = scales[co] * codes[co]`.
public struct QuantizedBias: Sendable, Hashable {
    public var codes: [Int32]
    public var scales: [Float]

    public init(codes: [Int32], scales: [Float]) {
        self.codes = codes
        self.scales = scales
    }
}

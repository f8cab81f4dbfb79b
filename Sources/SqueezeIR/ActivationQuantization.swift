/// An int8 activation as a 256-entry lookup table computed at compile time
/// from the input and output parameters: `table[q + 128]` is the output code
/// of input code `q`, i.e. `output.quantize(activation(input.dequantize(q)))`.
/// Exact by construction (the int8 reference and the generated C index the
/// same table) and one load per value.
///
/// Used for standalone clip, leaky ReLU and sigmoid, and after a convolution
/// with a fused leaky ReLU: the convolution requantises to the pre-activation
/// point `<node>.act` and the table maps those codes to the output codes.
public struct ActivationQuantization: Sendable, Hashable {
    public var activation: Activation
    public var input: QuantParams
    public var output: QuantParams
    /// 256 codes, indexed by input code + 128.
    public var table: [Int8]

    public init(activation: Activation, input: QuantParams, output: QuantParams, table: [Int8]) {
        self.activation = activation
        self.input = input
        self.output = output
        self.table = table
    }

    /// The table of `activation` from `input` codes to `output` codes.
    public static func derive(activation: Activation, input: QuantParams, output: QuantParams) -> ActivationQuantization {
        let table = (-128...127).map { q in output.quantize(activation.apply(input.dequantize(Int32(q)))) }
        return ActivationQuantization(activation: activation, input: input, output: output, table: table)
    }

    @inline(__always)
    public func apply(_ q: Int8) -> Int8 { table[Int(q) + 128] }
}

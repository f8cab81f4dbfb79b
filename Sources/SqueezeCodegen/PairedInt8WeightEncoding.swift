import SqueezeIR

/// The int8 kernels' layout (Templates/sq_kernels_s8.h): OHWI int8 weights
/// in pairs of output channels and groups of four taps of the flattened
/// OHWI reduction axis k = (ky * kw + kx) * cin + ci (K = kh * kw * cin,
/// padded with zeros to K4, a multiple of 4). For pair p and group g,
/// 8 bytes at ((p * K4/4) + g) * 8:
///
///     w[2p][4g]  w[2p+1][4g]  w[2p][4g+2]  w[2p+1][4g+2]
///     w[2p][4g+1]  w[2p+1][4g+1]  w[2p][4g+3]  w[2p+1][4g+3]
///
/// so one 32-bit load and SXTB16 / SXTB16 ROR #8 give the (k, k+2) halfword
/// pairs of both channels, ready for SMLAD. Missing channels are zero.
/// Beside the weights: the int32 bias corrected for the input zero point,
/// and the per-channel requantisation multipliers and shifts.
public struct PairedInt8WeightEncoding: WeightEncoding {
    let quantization: Quantization

    public init(quantization: Quantization) {
        self.quantization = quantization
    }

    public static func paddedK(kh: Int, kw: Int, cin: Int) -> Int { (kh * kw * cin + 3) / 4 * 4 }

    public static func packedCount(cout: Int, kh: Int, kw: Int, cin: Int) -> Int {
        (cout + 1) / 2 * paddedK(kh: kh, kw: kw, cin: cin) * 2
    }

    public static func pack(_ ohwi: [Int8], cout: Int, kh: Int, kw: Int, cin: Int) -> [Int8] {
        let k = kh * kw * cin
        precondition(ohwi.count == cout * k, "weights do not match their shape")
        let groups = paddedK(kh: kh, kw: kw, cin: cin) / 4
        var out = [Int8](repeating: 0, count: packedCount(cout: cout, kh: kh, kw: kw, cin: cin))
        // Byte position inside a group's 8 bytes of tap offset t (0...3) and lane (0: even channel, 1: odd).
        let position = [0, 4, 2, 6]
        for co in 0..<cout {
            let pair = co / 2, lane = co % 2
            for i in 0..<k {
                let g = i / 4, t = i % 4
                out[(pair * groups + g) * 8 + position[t] + lane] = ohwi[co * k + i]
            }
        }
        return out
    }

    public func layoutDescription(totalBytes: Int) -> [String] {
        ["int8 convolution weights (symmetric per output channel) are packed in pairs of",
         "output channels and groups of 4 taps (PairedInt8WeightEncoding; see sq_kernels_s8.h);",
         "b_: int32 biases corrected for the input zero point, m_: int32 requantisation",
         "multipliers, s_: int8 shifts (32..62) per output channel. Total \(totalBytes) bytes."]
    }

    /// The float bias is folded into `b_` (ConvQuantization.bias), so `bias` is not read.
    public func encodeConvolution(weight: String, bias: String?, in graph: Graph) throws(Diagnostic) -> [EncodedArray] {
        guard let q = quantization.convolutions[weight] else { throw Diagnostic.internal("weight '\(weight)' has no quantisation parameters") }
        let w = try tensor(weight, graph)
        let d = w.shape.dims
        guard d.count == 4, case .int8(let codes) = w.storage else { throw Diagnostic.internal("weight '\(weight)' must be an int8 OHWI tensor") }
        // Grouped convolutions (sq_gconv_s8) read plain OHWI codes.
        let packed = GroupedConvolution.isGrouped(weight: weight, in: graph) ? codes : Self.pack(codes, cout: d[0], kh: d[1], kw: d[2], cin: d[3])
        var body = ""
        IntegerLiteral.appendArrayBody(packed.map(Int.init), perLine: 16, to: &body)
        return [
            EncodedArray(tag: "w", key: weight, role: "weights", cType: "int8_t", elementBytes: 1, count: packed.count, body: body),
            Self.int32(q.bias, tag: "b", key: weight + ".bias", role: "bias"),
            Self.int32(q.multipliers, tag: "m", key: weight + ".multiplier", role: "multiplier"),
            Self.shifts(q.shifts, key: weight + ".shift"),
        ]
    }

    /// Shifts as int8 (the generator guarantees 32...62; 3 bytes a channel less than int32).
    static func shifts(_ values: [Int32], key: String) -> EncodedArray {
        var body = ""
        IntegerLiteral.appendArrayBody(values.map(Int.init), perLine: 16, to: &body)
        return EncodedArray(tag: "s", key: key, role: "shift", cType: "int8_t", elementBytes: 1, count: values.count, body: body)
    }

    static func int32(_ values: [Int32], tag: String, key: String, role: String) -> EncodedArray {
        var body = ""
        IntegerLiteral.appendArrayBody(values.map(Int.init), perLine: 8, to: &body)
        return EncodedArray(tag: tag, key: key, role: role, cType: "int32_t", elementBytes: 4, count: values.count, body: body)
    }
}

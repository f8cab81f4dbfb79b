import SqueezeIR

/// The fp32 kernels' layout (Templates/sq_kernels_f32.h): OHWI weights
/// rearranged as `[ceil(cout/4)][kh][kw][cin][4]`, output channel innermost
/// in blocks of four, the tail block zero-padded, so one 16-byte load feeds
/// four output channels; the bias stays `[cout]` float.
public struct BlockedWeightEncoding: WeightEncoding {
    public static let block = 4

    public init() {}

    public static func packedCount(cout: Int, kh: Int, kw: Int, cin: Int) -> Int {
        (cout + block - 1) / block * block * kh * kw * cin
    }

    public static func pack(_ ohwi: [Float], cout: Int, kh: Int, kw: Int, cin: Int) -> [Float] {
        precondition(ohwi.count == cout * kh * kw * cin, "weights do not match their shape")
        var out = [Float](repeating: 0, count: packedCount(cout: cout, kh: kh, kw: kw, cin: cin))
        let taps = kh * kw
        for co in 0..<cout {
            let blockIndex = co / block
            let lane = co % block
            for tap in 0..<taps {
                for ci in 0..<cin {
                    let source = (co * taps + tap) * cin + ci
                    let target = ((blockIndex * taps + tap) * cin + ci) * block + lane
                    out[target] = ohwi[source]
                }
            }
        }
        return out
    }

    public func layoutDescription(totalBytes: Int) -> [String] {
        ["Convolution weights are packed [ceil(cout/4)][kh][kw][cin][4] (4 output channels",
         "innermost, tail block zero-padded); biases are [cout]. Total \(totalBytes) bytes."]
    }

    public func encodeConvolution(weight: String, bias: String?, in graph: Graph) throws(Diagnostic) -> [EncodedArray] {
        let w = try tensor(weight, graph)
        let d = w.shape.dims
        guard d.count == 4, let values = w.floats else { throw Diagnostic.internal("weight '\(weight)' must be a float32 OHWI tensor") }
        // Grouped convolutions (sq_gconv_f32) read plain OHWI.
        let grouped = GroupedConvolution.isGrouped(weight: weight, in: graph)
        let packed = grouped ? values : Self.pack(values, cout: d[0], kh: d[1], kw: d[2], cin: d[3])
        var arrays = [try Self.floats(packed, key: weight, role: "weights")]
        if let bias {
            guard let values = try tensor(bias, graph).floats else { throw Diagnostic.internal("bias '\(bias)' must be float32") }
            arrays.append(try Self.floats(values, key: bias, role: "bias"))
        }
        return arrays
    }

    static func floats(_ values: [Float], key: String, role: String) throws(Diagnostic) -> EncodedArray {
        var body = ""
        try FloatLiteral.appendArrayBody(values, to: &body)
        return EncodedArray(tag: "w", key: key, role: role, cType: "float", elementBytes: 4, count: values.count, body: body)
    }
}

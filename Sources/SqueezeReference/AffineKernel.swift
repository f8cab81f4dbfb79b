import SqueezeIR

/// Per-channel affine map on NHWC maps: `y = x * scale[c] + shift[c]`
/// (fp32, one multiply and one add per value like the C kernel), and its
/// int8 form (`AffineQuantization`).
public enum AffineKernel {
    public static func apply(_ x: [Float], channels: Int, scale: [Float], shift: [Float]) -> [Float] {
        precondition(channels > 0 && x.count % channels == 0, "affine: \(x.count) values are not pixels of \(channels) channels")
        var y = x
        for i in 0..<x.count {
            let c = i % channels
            y[i] = x[i] * scale[c] + shift[c]
        }
        return y
    }

    public static func apply(codes x: [Int8], channels: Int, _ q: AffineQuantization) -> [Int8] {
        precondition(channels > 0 && x.count % channels == 0, "affine: \(x.count) codes are not pixels of \(channels) channels")
        var y = x
        for i in 0..<x.count { y[i] = q.apply(x[i], channel: i % channels) }
        return y
    }
}

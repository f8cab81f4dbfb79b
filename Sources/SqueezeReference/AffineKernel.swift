import SqueezeIR

/// Affine map on NHWC maps: `y = x * scale[i] + shift[i]` with `i` the
/// parameter index of the value (`AffineBroadcast`: per channel, or per row,
/// column or value) (fp32, one multiply and one add per value like the C
/// kernel), and its int8 form (`AffineQuantization`).
public enum AffineKernel {
    public static func apply(_ x: [Float], shape s: TensorShape, _ b: AffineBroadcast, scale: [Float], shift: [Float]) -> [Float] {
        precondition(s.isActivation4D && x.count == s.elementCount, "affine: \(x.count) values are not the map \(s)")
        var y = x
        var i = 0
        for n in 0..<s.n {
            _ = n
            for r in 0..<s.h {
                for col in 0..<s.w {
                    for c in 0..<s.c {
                        let k = b.index(y: r, x: col, c: c, width: s.w, channels: s.c)
                        y[i] = x[i] * scale[k] + shift[k]
                        i += 1
                    }
                }
            }
        }
        return y
    }

    public static func apply(codes x: [Int8], shape s: TensorShape, _ b: AffineBroadcast, _ q: AffineQuantization) -> [Int8] {
        precondition(s.isActivation4D && x.count == s.elementCount, "affine: \(x.count) codes are not the map \(s)")
        var y = x
        var i = 0
        for _ in 0..<s.n {
            for r in 0..<s.h {
                for col in 0..<s.w {
                    for c in 0..<s.c {
                        y[i] = q.apply(x[i], channel: b.index(y: r, x: col, c: c, width: s.w, channels: s.c))
                        i += 1
                    }
                }
            }
        }
        return y
    }
}

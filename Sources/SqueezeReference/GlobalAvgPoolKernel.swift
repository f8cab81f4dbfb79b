import SqueezeIR

/// Mean over height and width: NHWC `[n,h,w,c]` -> `[n,1,1,c]`.
///
/// Per channel the sum runs over pixels in row-major order (`h`, then `w`,
/// ascending) in Float, and is then divided once by `h * w`.
public enum GlobalAvgPoolKernel {
    public static func apply(_ input: [Float], shape s: TensorShape) -> [Float] {
        precondition(s.isActivation4D && input.count == s.elementCount, "global avg pool: expected NHWC \(s), got \(input.count) values")
        let pixels = s.h * s.w
        var result = [Float](repeating: 0, count: s.n * s.c)
        for n in 0..<s.n {
            var sums = [Float](repeating: 0, count: s.c)
            for p in 0..<pixels {
                let base = (n * pixels + p) * s.c
                for c in 0..<s.c { sums[c] += input[base + c] }
            }
            for c in 0..<s.c { result[n * s.c + c] = sums[c] / Float(pixels) }
        }
        return result
    }
}

import SqueezeIR

/// Pooling on int8 codes, as the generated C does it. Input and output share
/// scale and zero point, so there is no requantisation.
enum Int8PoolKernels {
    /// Max of the window's codes; padding never wins; an empty window gives 0
    /// (as `sq_maxpool_s8`).
    static func maxPool(_ input: [Int8], shape s: TensorShape, _ a: PoolAttributes) -> [Int8] {
        let out = PoolKernels.outputShape(input: s, a)!
        var y = [Int8](repeating: 0, count: out.elementCount)
        for n in 0..<s.n {
            for oh in 0..<out.h {
                let y0 = max(oh * a.stride.h - a.padding.top, 0), y1 = min(oh * a.stride.h - a.padding.top + a.kernel.h, s.h)
                for ow in 0..<out.w {
                    let x0 = max(ow * a.stride.w - a.padding.left, 0), x1 = min(ow * a.stride.w - a.padding.left + a.kernel.w, s.w)
                    let o = ((n * out.h + oh) * out.w + ow) * s.c
                    guard y1 > y0, x1 > x0 else { continue }
                    for c in 0..<s.c {
                        var m = Int8.min
                        for yy in y0..<y1 {
                            for xx in x0..<x1 { m = max(m, input[((n * s.h + yy) * s.w + xx) * s.c + c]) }
                        }
                        y[o + c] = m
                    }
                }
            }
        }
        return y
    }

    /// Sums of the codes over height and width, per (n, c), in Int32.
    static func sums(_ input: [Int8], shape s: TensorShape) -> [Int32] {
        var acc = [Int32](repeating: 0, count: s.n * s.c)
        for n in 0..<s.n {
            for p in 0..<(s.h * s.w) {
                let base = (n * s.h * s.w + p) * s.c
                for c in 0..<s.c { acc[n * s.c + c] &+= Int32(input[base + c]) }
            }
        }
        return acc
    }
}

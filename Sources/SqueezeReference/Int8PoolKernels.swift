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

    /// Average of the window's codes (`AveragePoolQuantization`: round half
    /// away from zero, input parameters kept), as `sq_avgpool_s8`.
    static func avgPool(_ input: [Int8], shape s: TensorShape, _ a: PoolAttributes, _ q: AveragePoolQuantization) -> [Int8] {
        let out = PoolKernels.outputShape(input: s, a)!
        let zp = q.params.zeroPoint
        var y = [Int8](repeating: 0, count: out.elementCount)
        for n in 0..<s.n {
            for oh in 0..<out.h {
                let iy = oh * a.stride.h - a.padding.top
                let y0 = max(iy, 0), y1 = min(iy + a.kernel.h, s.h)
                let nyPad = min(iy + a.kernel.h, s.h + a.padding.bottom) - max(iy, -a.padding.top)
                for ow in 0..<out.w {
                    let ix = ow * a.stride.w - a.padding.left
                    let x0 = max(ix, 0), x1 = min(ix + a.kernel.w, s.w)
                    let nxPad = min(ix + a.kernel.w, s.w + a.padding.right) - max(ix, -a.padding.left)
                    let real = max(y1 - y0, 0) * max(x1 - x0, 0)
                    let divisor = a.countIncludePad ? max(nyPad, 0) * max(nxPad, 0) : real
                    let o = ((n * out.h + oh) * out.w + ow) * s.c
                    for c in 0..<s.c {
                        var v: Int32 = 0
                        if real > 0 {
                            for yy in y0..<y1 {
                                for xx in x0..<x1 { v += Int32(input[((n * s.h + yy) * s.w + xx) * s.c + c]) - zp }
                            }
                        }
                        y[o + c] = q.finish(sum: v, divisor: Int32(divisor), empty: real == 0)
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

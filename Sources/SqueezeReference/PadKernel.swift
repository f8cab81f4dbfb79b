import SqueezeIR

/// Constant padding of height and width of an NHWC map (batch 1): `fill` is
/// 0 in fp32 and the zero point's code in int8.
public enum PadKernel {
    public static func outputShape(_ s: TensorShape, _ p: Padding) -> TensorShape {
        .nhwc(s.n, s.h + p.top + p.bottom, s.w + p.left + p.right, s.c)
    }

    public static func apply<T>(_ x: [T], shape s: TensorShape, _ p: Padding, fill: T) -> [T] {
        let o = outputShape(s, p)
        var y = [T](repeating: fill, count: o.elementCount)
        for n in 0..<s.n {
            for r in 0..<s.h {
                for col in 0..<s.w {
                    let src = ((n * s.h + r) * s.w + col) * s.c
                    let dst = ((n * o.h + r + p.top) * o.w + col + p.left) * o.c
                    for c in 0..<s.c { y[dst + c] = x[src + c] }
                }
            }
        }
        return y
    }
}

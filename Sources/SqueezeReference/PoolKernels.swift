import SqueezeIR

/// Max and average pooling over NHWC activations, PyTorch/ONNX semantics.
///
/// Window `o` along an axis covers padded coordinates
/// `[o * stride - padBegin, o * stride - padBegin + kernel)`. In ceil mode the
/// last window may run past the input and its end padding; it is clipped.
///
/// - Max pool: padded positions are ignored (as if -inf). A NaN in the window
///   makes the result NaN (PyTorch behaviour).
/// - Average pool: the sum over real input positions (in `kh`, then `kw`
///   order, in Float) divided by
///   - `countIncludePad`: the number of window positions inside the padded
///     extent `[-padBegin, in + padEnd)` per axis (the window end is clipped
///     to `in + padEnd`, the start is never before `-padBegin`);
///   - otherwise: the number of real input positions in the window.
public enum PoolKernels {
    /// NHWC output shape, or nil if the window does not fit.
    public static func outputShape(input: TensorShape, _ a: PoolAttributes) -> TensorShape? {
        guard input.isActivation4D,
              let oh = OutputSize.pool(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom, ceilMode: a.ceilMode),
              let ow = OutputSize.pool(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right, ceilMode: a.ceilMode)
        else { return nil }
        return .nhwc(input.n, oh, ow, input.c)
    }

    public static func maxPool(_ input: [Float], shape: TensorShape, _ a: PoolAttributes) -> [Float] {
        pool(input, shape: shape, a) { window, at in
            var m = -Float.infinity
            for ih in window.h0..<window.h1 {
                for iw in window.w0..<window.w1 {
                    let v = at(ih, iw)
                    if v > m || v.isNaN { m = v }
                }
            }
            return m
        }
    }

    public static func avgPool(_ input: [Float], shape: TensorShape, _ a: PoolAttributes) -> [Float] {
        pool(input, shape: shape, a) { window, at in
            var sum: Float = 0
            for ih in window.h0..<window.h1 {
                for iw in window.w0..<window.w1 {
                    sum += at(ih, iw)
                }
            }
            let divisor = a.countIncludePad ? window.paddedCount : window.realCount
            return divisor > 0 ? sum / Float(divisor) : 0
        }
    }

    /// One window, clipped to the real input: rows `h0..<h1`, columns `w0..<w1`.
    struct Window {
        var h0, h1, w0, w1: Int
        /// Positions inside the padded extent (the count_include_pad divisor).
        var paddedCount: Int
        /// Real input positions (the divisor without count_include_pad).
        var realCount: Int { (h1 - h0) * (w1 - w0) }
    }

    /// Runs `reduce` for every output element; `reduce` gets the window and an
    /// accessor `at(ih, iw)` for the input value of the current image and channel.
    private static func pool(_ input: [Float], shape s: TensorShape, _ a: PoolAttributes,
                             reduce: (Window, (Int, Int) -> Float) -> Float) -> [Float] {
        guard let out = outputShape(input: s, a) else {
            preconditionFailure("pool kernel \(a.kernel) stride \(a.stride) does not fit input \(s)")
        }
        precondition(input.count == s.elementCount, "pool input: expected \(s.elementCount) values, got \(input.count)")
        var result = [Float](repeating: 0, count: out.elementCount)
        var index = 0
        for n in 0..<s.n {
            for oh in 0..<out.h {
                let (h0, h1, hPadded) = span(oh, a.kernel.h, a.stride.h, a.padding.top, a.padding.bottom, s.h)
                for ow in 0..<out.w {
                    let (w0, w1, wPadded) = span(ow, a.kernel.w, a.stride.w, a.padding.left, a.padding.right, s.w)
                    let window = Window(h0: h0, h1: h1, w0: w0, w1: w1, paddedCount: hPadded * wPadded)
                    for c in 0..<s.c {
                        result[index] = reduce(window) { ih, iw in input[((n * s.h + ih) * s.w + iw) * s.c + c] }
                        index += 1
                    }
                }
            }
        }
        return result
    }

    /// Along one axis: the real input range `[start, end)` of window `o`, and
    /// the number of its positions inside the padded extent.
    private static func span(_ o: Int, _ kernel: Int, _ stride: Int, _ padBegin: Int, _ padEnd: Int, _ size: Int) -> (Int, Int, Int) {
        let start = o * stride - padBegin
        let paddedEnd = min(start + kernel, size + padEnd)
        return (max(start, 0), min(start + kernel, size), paddedEnd - start)
    }
}

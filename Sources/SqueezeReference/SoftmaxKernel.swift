import Foundation
import SqueezeIR

/// Softmax over the last axis (for NHWC activations: over channels, per pixel).
///
/// Numerically stable and computed in Double: per row, `m = max(x)` (a NaN
/// anywhere in the row makes the whole row NaN), `e_i = exp(Double(x_i) - m)`,
/// `s = sum(e_i)` in ascending index order in Double, and `y_i = Float(e_i / s)`
/// (one rounding to Float at the end). Large logits such as 1000 and 1001 do
/// not overflow.
public enum SoftmaxKernel {
    public static func apply(_ input: [Float], shape s: TensorShape) -> [Float] {
        precondition(input.count == s.elementCount, "softmax: expected \(s.elementCount) values, got \(input.count)")
        guard let axis = s.dims.last, axis > 0 else { return input }
        var result = [Float](repeating: 0, count: input.count)
        var e = [Double](repeating: 0, count: axis)
        for row in 0..<(input.count / axis) {
            let base = row * axis
            var m = -Double.infinity
            var hasNaN = false
            for i in 0..<axis {
                let v = Double(input[base + i])
                if v.isNaN { hasNaN = true }
                m = Swift.max(m, v)
            }
            if hasNaN {
                for i in 0..<axis { result[base + i] = .nan }
                continue
            }
            var sum = 0.0
            for i in 0..<axis {
                e[i] = exp(Double(input[base + i]) - m)
                sum += e[i]
            }
            for i in 0..<axis { result[base + i] = Float(e[i] / sum) }
        }
        return result
    }
}

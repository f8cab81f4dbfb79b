import SqueezeIR

/// Flatten to `[n, c*h*w]` in the ONNX (NCHW) element order:
/// `out[n][c*H*W + h*W + w] = in[n][h][w][c]`. For `H = W = 1` this is a copy.
/// Inputs that are not 4-D carry no layout change and are copied row-major.
public enum FlattenKernel {
    public static func apply<Element>(_ input: [Element], shape s: TensorShape) -> [Element] {
        precondition(input.count == s.elementCount, "flatten: expected \(s.elementCount) values, got \(input.count)")
        guard s.isActivation4D, s.h * s.w > 1 else { return input }
        let (hw, c) = (s.h * s.w, s.c)
        var result = input
        for n in 0..<s.n {
            let base = n * hw * c
            for p in 0..<hw {
                for ch in 0..<c {
                    result[base + ch * hw + p] = input[base + p * c + ch]
                }
            }
        }
        return result
    }
}

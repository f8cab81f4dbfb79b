/// Element-wise kernels: ReLU, add, dropout.
public enum ElementwiseKernels {
    /// `max(x, 0)`. Negative values and -0 give +0 (the result is never -0);
    /// NaN propagates.
    public static func relu(_ input: [Float]) -> [Float] {
        input.map { x in
            if x > 0 { return x }
            if x.isNaN { return x }
            return 0
        }
    }

    /// Element-wise `a + b` of two tensors of one shape.
    public static func add(_ a: [Float], _ b: [Float]) -> [Float] {
        precondition(a.count == b.count, "add: \(a.count) vs \(b.count) values")
        var result = [Float](repeating: 0, count: a.count)
        for i in 0..<a.count { result[i] = a[i] + b[i] }
        return result
    }

    /// Dropout at inference: the identity (no scaling; ONNX/PyTorch inference
    /// semantics, where training-time scaling is already folded in).
    public static func dropout(_ input: [Float]) -> [Float] {
        input
    }
}

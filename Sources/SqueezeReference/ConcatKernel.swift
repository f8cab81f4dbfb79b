import SqueezeIR

/// Concatenation along the channel axis of NHWC tensors. Per pixel, the
/// first input's channels come first, then the second's, and so on, so in
/// memory the inputs interleave pixel by pixel.
public enum ConcatKernel {
    public static func apply(_ inputs: [[Float]], shapes: [TensorShape]) -> [Float] {
        generic(inputs, shapes: shapes, zero: 0)
    }

    /// int8 codes (the int8 reference).
    public static func apply(codes inputs: [[Int8]], shapes: [TensorShape]) -> [Int8] {
        generic(inputs, shapes: shapes, zero: 0)
    }

    static func generic<Element>(_ inputs: [[Element]], shapes: [TensorShape], zero: Element) -> [Element] {
        precondition(!inputs.isEmpty && inputs.count == shapes.count, "concat: \(inputs.count) inputs, \(shapes.count) shapes")
        let first = shapes[0]
        for (input, s) in zip(inputs, shapes) {
            precondition(s.isActivation4D && s.n == first.n && s.h == first.h && s.w == first.w && input.count == s.elementCount,
                         "concat: input \(s) with \(input.count) values does not match \(first)")
        }
        let pixels = first.n * first.h * first.w
        let totalC = shapes.reduce(0) { $0 + $1.c }
        var result = [Element](repeating: zero, count: pixels * totalC)
        for p in 0..<pixels {
            var offset = p * totalC
            for (input, s) in zip(inputs, shapes) {
                for c in 0..<s.c { result[offset + c] = input[p * s.c + c] }
                offset += s.c
            }
        }
        return result
    }
}

/// Output-size arithmetic shared by shape inference, the reference and codegen.
public enum OutputSize {
    /// Convolution (dilation 1): floor((in + padBegin + padEnd - kernel) / stride) + 1.
    /// Returns nil when the kernel does not fit.
    public static func conv(input: Int, kernel: Int, stride: Int, padBegin: Int, padEnd: Int) -> Int? {
        let span = input + padBegin + padEnd - kernel
        guard span >= 0, stride > 0 else { return nil }
        return span / stride + 1
    }

    /// Pooling with optional ceil mode (PyTorch/ONNX rule): in ceil mode the
    /// size is rounded up, then the last window is dropped if it would start
    /// in the right/bottom padding or beyond the input.
    public static func pool(input: Int, kernel: Int, stride: Int, padBegin: Int, padEnd: Int, ceilMode: Bool) -> Int? {
        let span = input + padBegin + padEnd - kernel
        guard span >= 0, stride > 0 else { return nil }
        var size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        if ceilMode && (size - 1) * stride >= input + padBegin {
            size -= 1
        }
        return size
    }
}

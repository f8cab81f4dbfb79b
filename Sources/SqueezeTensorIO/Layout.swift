/// Converts between the tensor layouts of users' files and squeezec's.
///
/// Inside squeezec activations are NHWC and convolution weights OHWI (see
/// `TensorShape`); PyTorch and ONNX use NCHW and OIHW. All functions take the
/// logical sizes by name, whatever the order of the data, and are generic so
/// they work for float32, int8 and int32 values alike.
///
/// The number of values must equal the product of the sizes: callers check
/// this against the file's shape first (a mismatch is a bug in the caller and
/// stops the program).
public enum Layout {
    /// NCHW (batch, channels, height, width) to NHWC.
    public static func nchwToNHWC<Element>(_ x: [Element], n: Int, c: Int, h: Int, w: Int) -> [Element] {
        checkCount(x.count, [n, c, h, w])
        var result: [Element] = []
        result.reserveCapacity(x.count)
        for b in 0..<n {
            for y in 0..<h {
                for col in 0..<w {
                    for ch in 0..<c {
                        result.append(x[((b * c + ch) * h + y) * w + col])
                    }
                }
            }
        }
        return result
    }

    /// NHWC (batch, height, width, channels) to NCHW. The sizes are named, so
    /// they mean the same as in `nchwToNHWC`.
    public static func nhwcToNCHW<Element>(_ x: [Element], n: Int, c: Int, h: Int, w: Int) -> [Element] {
        checkCount(x.count, [n, c, h, w])
        var result: [Element] = []
        result.reserveCapacity(x.count)
        for b in 0..<n {
            for ch in 0..<c {
                for y in 0..<h {
                    for col in 0..<w {
                        result.append(x[((b * h + y) * w + col) * c + ch])
                    }
                }
            }
        }
        return result
    }

    /// Convolution weights OIHW (out channels, in channels, kernel height,
    /// kernel width; PyTorch and ONNX) to OHWI (squeezec).
    public static func oihwToOHWI<Element>(_ w: [Element], o: Int, i: Int, kh: Int, kw: Int) -> [Element] {
        checkCount(w.count, [o, i, kh, kw])
        var result: [Element] = []
        result.reserveCapacity(w.count)
        for out in 0..<o {
            for y in 0..<kh {
                for x in 0..<kw {
                    for input in 0..<i {
                        result.append(w[((out * i + input) * kh + y) * kw + x])
                    }
                }
            }
        }
        return result
    }

    /// Convolution weights OHWI (squeezec) back to OIHW.
    public static func ohwiToOIHW<Element>(_ w: [Element], o: Int, i: Int, kh: Int, kw: Int) -> [Element] {
        checkCount(w.count, [o, i, kh, kw])
        var result: [Element] = []
        result.reserveCapacity(w.count)
        for out in 0..<o {
            for input in 0..<i {
                for y in 0..<kh {
                    for x in 0..<kw {
                        result.append(w[((out * kh + y) * kw + x) * i + input])
                    }
                }
            }
        }
        return result
    }

    /// Reorders column-major (Fortran order) values of the given shape into
    /// row-major (C order). `values.count` must equal the product of `shape`.
    static func columnMajorToRowMajor<Element>(_ values: [Element], shape: [Int]) -> [Element] {
        guard shape.count > 1, !values.isEmpty else { return values }
        // Stride of each axis in the column-major source.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count {
            strides[axis] = strides[axis - 1] * shape[axis - 1]
        }
        var result: [Element] = []
        result.reserveCapacity(values.count)
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for _ in 0..<values.count {
            result.append(values[offset])
            // Advance the row-major index: last axis fastest.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= index[axis] * strides[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    private static func checkCount(_ count: Int, _ sizes: [Int]) {
        let expected = sizes.reduce(1, *)
        precondition(sizes.allSatisfy { $0 >= 0 } && count == expected,
                     "Layout: \(count) values do not match sizes \(sizes)")
    }
}

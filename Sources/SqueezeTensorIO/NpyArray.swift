import SqueezeIR

/// An n-dimensional array as stored in a NumPy `.npy` file, in C (row-major)
/// order.
///
/// `shape` is the NumPy shape: `[]` for a scalar, `[5]` for a vector,
/// `[1, 3, 224, 224]` for an NCHW image. The number of values in `storage`
/// should equal the product of `shape`; `shapeMatchesStorage` checks it.
public struct NpyArray: Sendable, Hashable {
    public var shape: [Int]
    public var storage: TensorStorage

    public init(shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
    }

    /// A float32 array.
    public init(shape: [Int], floats: [Float]) {
        self.init(shape: shape, storage: .float32(floats))
    }

    /// The values as Float, or nil if the array is not float32.
    public var floats: [Float]? {
        if case .float32(let values) = storage { return values }
        return nil
    }

    /// The element type of the values.
    public var elementType: ElementType { storage.elementType }

    /// The number of elements the shape describes (1 for a scalar), or nil if
    /// a dimension is negative or the product overflows.
    public var shapeElementCount: Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// True when the shape is valid and describes exactly `storage.count` values.
    public var shapeMatchesStorage: Bool {
        shapeElementCount == storage.count
    }
}

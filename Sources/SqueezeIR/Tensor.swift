/// Constant tensor data: weights and biases.
public enum TensorStorage: Sendable, Hashable {
    case float32([Float])
    case int8([Int8])
    case int32([Int32])

    public var elementType: ElementType {
        switch self {
        case .float32: .float32
        case .int8: .int8
        case .int32: .int32
        }
    }

    public var count: Int {
        switch self {
        case .float32(let v): v.count
        case .int8(let v): v.count
        case .int32(let v): v.count
        }
    }
}

/// A named constant (an initializer in ONNX terms).
public struct Tensor: Sendable, Hashable {
    public var shape: TensorShape
    public var storage: TensorStorage

    public init(shape: TensorShape, storage: TensorStorage) {
        precondition(shape.elementCount == storage.count, "tensor data does not match its shape")
        self.shape = shape
        self.storage = storage
    }

    public init(shape: TensorShape, floats: [Float]) {
        self.init(shape: shape, storage: .float32(floats))
    }

    public var type: TensorType { TensorType(storage.elementType, shape) }

    /// The data as Float, or nil if the tensor is not fp32.
    public var floats: [Float]? {
        if case .float32(let v) = storage { return v }
        return nil
    }
}

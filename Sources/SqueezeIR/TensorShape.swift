/// The shape of a tensor.
///
/// Layout convention, used everywhere inside squeezec: 4-D activations are
/// **NHWC** (batch, height, width, channels) and convolution weights are
/// **OHWI** (out channels, kernel height, kernel width, in channels).
///
/// Why NHWC: (1) a 1x1 convolution, most of SqueezeNet's work, becomes a dot
/// product over contiguous input channels, which is what register-blocked and
/// SIMD (Cortex-M SMLAD) kernels want; (2) a whole image row is one contiguous
/// block, so row-streaming schedules can keep ring buffers of k rows; (3) it is
/// the layout of CMSIS-NN and TFLite Micro, so users meet no surprise. The
/// ONNX/PyTorch convention (NCHW input, OIHW weights) is converted at the edges:
/// `.npy` inputs and outputs, weight files and the ONNX importer.
public struct TensorShape: Sendable, Hashable, CustomStringConvertible {
    public var dims: [Int]

    public init(_ dims: [Int]) {
        self.dims = dims
    }

    /// An NHWC activation shape.
    public static func nhwc(_ n: Int, _ h: Int, _ w: Int, _ c: Int) -> TensorShape {
        TensorShape([n, h, w, c])
    }

    public var rank: Int { dims.count }
    /// The product of the dimensions; Int.max when it overflows (SizeLimits refuses it).
    public var elementCount: Int { SizeLimits.product(dims) }

    public var isActivation4D: Bool { dims.count == 4 }
    public var n: Int { dims[0] }
    public var h: Int { dims[1] }
    public var w: Int { dims[2] }
    public var c: Int { dims[3] }

    /// `1x55x55x64` style, NHWC order for 4-D shapes.
    public var description: String {
        dims.map(String.init).joined(separator: "x")
    }
}

/// Element type plus shape.
public struct TensorType: Sendable, Hashable, CustomStringConvertible {
    public var elementType: ElementType
    public var shape: TensorShape

    public init(_ elementType: ElementType, _ shape: TensorShape) {
        self.elementType = elementType
        self.shape = shape
    }

    public var byteCount: Int { shape.elementCount * elementType.byteSize }

    public var description: String { "\(elementType.rawValue)[\(shape)]" }
}

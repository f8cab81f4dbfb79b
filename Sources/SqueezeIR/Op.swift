/// A height/width pair (kernel sizes, strides).
public struct Size2: Sendable, Hashable, CustomStringConvertible {
    public var h: Int
    public var w: Int

    public init(_ h: Int, _ w: Int) {
        self.h = h
        self.w = w
    }

    public static func square(_ k: Int) -> Size2 { Size2(k, k) }

    public var description: String { h == w ? "\(h)" : "\(h)x\(w)" }
}

/// Explicit spatial padding on each side.
public struct Padding: Sendable, Hashable, CustomStringConvertible {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    public static func uniform(_ p: Int) -> Padding {
        Padding(top: p, left: p, bottom: p, right: p)
    }

    public static let zero = Padding.uniform(0)

    public var isZero: Bool { self == .zero }

    public var description: String {
        if top == left && left == bottom && bottom == right { return "\(top)" }
        return "\(top),\(left),\(bottom),\(right)"
    }
}

/// An activation fused into the op that produces the value, or applied by
/// a standalone `.activation` node (see `Activation+Function.swift`).
public enum Activation: Sendable, Hashable {
    case none
    case relu
    /// `min(max(x, min), max)` (ONNX Clip; ReLU6 is `clip(min: 0, max: 6)`).
    case clip(min: Float, max: Float)
    /// `x >= 0 ? x : alpha * x`.
    case leakyRelu(alpha: Float)
    /// `1 / (1 + exp(-x))` (standalone only; never fused into a convolution).
    case sigmoid
}

/// A pooling fused into the op that produces its input (set by the fusion
/// passes): the pre-pool map is then never stored whole.
public enum FusedPool: Sendable, Hashable {
    case max(PoolAttributes)
    case globalAverage
}

/// Attributes of a 2-D convolution (dilation 1).
/// Weights are OHWI: `[outChannels, kernel.h, kernel.w, inChannels / groups]`.
/// With `groups` > 1 the input and output channels are split into `groups`
/// equal contiguous blocks and output block g reads only input block g
/// (ONNX `group`); output channel co belongs to group `co / (outChannels /
/// groups)`. Depthwise: `groups == inChannels` (weights `[C*m, kh, kw, 1]`).
/// `activation` and `pool` are epilogues applied in that order (set by fusion).
public struct Conv2DAttributes: Sendable, Hashable {
    public var outChannels: Int
    public var kernel: Size2
    public var stride: Size2
    public var padding: Padding
    public var hasBias: Bool
    public var activation: Activation
    public var pool: FusedPool?
    /// Channel groups (ONNX `group`); 1 is an ordinary convolution.
    public var groups: Int

    public init(outChannels: Int, kernel: Size2, stride: Size2 = .square(1), padding: Padding = .zero, hasBias: Bool = true,
                activation: Activation = .none, pool: FusedPool? = nil, groups: Int = 1) {
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.hasBias = hasBias
        self.activation = activation
        self.pool = pool
        self.groups = groups
    }

    /// Input channels one output channel reads (the weight's last dimension).
    public func groupInputChannels(_ inputChannels: Int) -> Int { inputChannels / max(groups, 1) }

    /// True for a grouped convolution (`groups` > 1; depthwise included).
    public var isGrouped: Bool { groups > 1 }

    /// The same convolution without epilogues.
    public var bare: Conv2DAttributes {
        var copy = self
        copy.activation = .none
        copy.pool = nil
        return copy
    }
}

/// A fused Fire module: squeeze 1x1 (+ReLU) feeding expand 1x1 (+ReLU) and
/// expand 3x3 (+ReLU), whose outputs are written into the channel slices of
/// one concat output (1x1 first unless `expand1x1First` is false), then an
/// optional fused pool. Parameters: squeeze weight[, bias], expand 1x1
/// weight[, bias], expand 3x3 weight[, bias].
public struct FireAttributes: Sendable, Hashable {
    public var squeeze: Conv2DAttributes
    public var expand1x1: Conv2DAttributes
    public var expand3x3: Conv2DAttributes
    public var expand1x1First: Bool
    public var pool: FusedPool?

    public init(squeeze: Conv2DAttributes, expand1x1: Conv2DAttributes, expand3x3: Conv2DAttributes,
                expand1x1First: Bool = true, pool: FusedPool? = nil) {
        self.squeeze = squeeze
        self.expand1x1 = expand1x1
        self.expand3x3 = expand3x3
        self.expand1x1First = expand1x1First
        self.pool = pool
    }

    /// The three convolutions in parameter order.
    public var convolutions: [Conv2DAttributes] { [squeeze, expand1x1, expand3x3] }

    /// Ranges of `Node.parameters` belonging to squeeze, expand 1x1, expand 3x3.
    public var parameterRanges: [Range<Int>] {
        var start = 0
        return convolutions.map { conv in
            let count = conv.hasBias ? 2 : 1
            defer { start += count }
            return start..<(start + count)
        }
    }

    /// Channel offsets of the expand outputs in the concat: (1x1, 3x3).
    public var channelOffsets: (expand1x1: Int, expand3x3: Int) {
        expand1x1First ? (0, expand1x1.outChannels) : (expand3x3.outChannels, 0)
    }

    public var outChannels: Int { expand1x1.outChannels + expand3x3.outChannels }
}

/// Attributes of max and average pooling.
public struct PoolAttributes: Sendable, Hashable {
    public var kernel: Size2
    public var stride: Size2
    public var padding: Padding
    /// Round the output size up (PyTorch/ONNX `ceil_mode`); a window must still
    /// start inside the input or its left/top padding.
    public var ceilMode: Bool
    /// Average pooling only: count padded positions in the divisor.
    public var countIncludePad: Bool

    public init(kernel: Size2, stride: Size2, padding: Padding = .zero, ceilMode: Bool = false, countIncludePad: Bool = false) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }
}

/// The operators of the IR. Every switch over `Op` is exhaustive, so a new
/// operator does not compile until shape inference, the reference interpreter,
/// the cost model and the code generator all handle it.
public enum Op: Sendable, Hashable {
    /// Convolution; parameters: weight (OHWI) and, if `hasBias`, bias `[outChannels]`.
    case conv2d(Conv2DAttributes)
    case relu
    case maxPool(PoolAttributes)
    case avgPool(PoolAttributes)
    /// Mean over height and width: NHWC `[n,h,w,c]` -> `[n,1,1,c]`.
    case globalAvgPool
    /// Concatenation along the channel axis (the only axis SqueezeNet needs).
    case concat
    /// Element-wise sum of two tensors of one shape (the paper's bypass).
    case add
    /// Identity at inference; the ratio is kept for the record.
    case dropout(ratio: Float)
    /// To `[n, c*h*w]` in the ONNX (NCHW) element order.
    case flatten
    /// Softmax over the last axis.
    case softmax
    /// A fused Fire module (created by `FireFusion`).
    case fire(FireAttributes)
    /// A standalone element-wise activation (clip, leaky ReLU, sigmoid; ReLU
    /// stays `.relu`). Streams row by row.
    case activation(Activation)
    /// Affine map `y = x * scale + shift` (BatchNormalization not after a
    /// conv, Mul/Add/Sub/Div by a constant); parameters: scale and shift of
    /// one shape, `[channels]` (per channel) or `[h, w, channels]` broadcast
    /// over the map (`AffineBroadcast`). Streams row by row.
    case affine(channels: Int)
    /// Constant padding of height and width with `value` (ONNX Pad's
    /// constant_value, usually 0; int8: the code of `value` in the input's
    /// parameters, the zero point's for 0). Streams row by row (output row r
    /// reads input row r - top).
    case pad(Padding, value: Float)

    /// The name used in dumps, tables and JSON.
    public var name: String {
        switch self {
        case .conv2d: "conv2d"
        case .relu: "relu"
        case .maxPool: "maxpool"
        case .avgPool: "avgpool"
        case .globalAvgPool: "global_avgpool"
        case .concat: "concat"
        case .add: "add"
        case .dropout: "dropout"
        case .flatten: "flatten"
        case .softmax: "softmax"
        case .fire: "fire"
        case .activation(let a): a.name
        case .affine: "affine"
        case .pad: "pad"
        }
    }

    /// How many parameter tensors (initializers) the op takes.
    public var parameterCount: Int {
        switch self {
        case .conv2d(let a): a.hasBias ? 2 : 1
        case .fire(let a): a.parameterRanges.last!.upperBound
        case .relu, .maxPool, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten, .softmax: 0
        case .activation, .pad: 0
        case .affine: 2
        }
    }

    /// Allowed number of activation inputs (nil: any number >= 1).
    public var activationInputCount: Int? {
        switch self {
        case .concat: nil
        case .add: 2
        case .conv2d, .relu, .maxPool, .avgPool, .globalAvgPool, .dropout, .flatten, .softmax, .fire: 1
        case .activation, .affine, .pad: 1
        }
    }
}

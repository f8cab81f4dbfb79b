#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What each activation computes (fp32), its name and attributes in dumps.
/// The generated C does the same operations in the same order
/// (`sq_act_rows_f32`), so the fp32 reference and C agree to rounding of `expf`.
extension Activation {
    public var name: String {
        switch self {
        case .none: "none"
        case .relu: "relu"
        case .clip: "clip"
        case .leakyRelu: "leaky_relu"
        case .sigmoid: "sigmoid"
        }
    }

    /// `ReLU`, `clip [0, 6]`, `leaky ReLU 0.1`, `sigmoid` (comments of generated code).
    public var summary: String {
        switch self {
        case .none: "none"
        case .relu: "ReLU"
        case .clip(let lo, let hi): "clip [\(lo), \(hi)]"
        case .leakyRelu(let alpha): "leaky ReLU \(alpha)"
        case .sigmoid: "sigmoid"
        }
    }

    /// `min=0 max=6`, `alpha=0.1`, or empty.
    public var parameterText: String {
        switch self {
        case .none, .relu, .sigmoid: ""
        case .clip(let lo, let hi): "min=\(lo) max=\(hi)"
        case .leakyRelu(let alpha): "alpha=\(alpha)"
        }
    }

    /// True for the activations a convolution takes as its epilogue
    /// (`ActivationFusion`): ReLU, clip and leaky ReLU.
    public var fusesIntoConvolution: Bool {
        switch self {
        case .relu, .clip, .leakyRelu: true
        case .none, .sigmoid: false
        }
    }

    /// The clamp a node applies, for Fire modules: ReLU, or a Clip (ReLU6
    /// and the like). Leaky ReLU and sigmoid are not clamps.
    public static func clamp(of op: Op) -> Activation? {
        switch op {
        case .relu: .relu
        case .activation(let a) where a.isClamp && a != .none: a
        default: nil
        }
    }

    /// True when int8 does it by clamping a convolution's requantised codes
    /// (none, ReLU, clip); the others take a lookup table
    /// (`ActivationQuantization`) from the pre-activation point `<node>.act`.
    public var isClamp: Bool {
        switch self {
        case .none, .relu, .clip: true
        case .leakyRelu, .sigmoid: false
        }
    }

    /// The activation of one value. ReLU and clip let NaN through like the C
    /// kernels' comparisons do.
    @inline(__always)
    public func apply(_ x: Float) -> Float {
        switch self {
        case .none: return x
        case .relu: return x < 0 ? 0 : x
        case .clip(let lo, let hi):
            var v = x
            if v < lo { v = lo }
            if v > hi { v = hi }
            return v
        case .leakyRelu(let alpha): return x < 0 ? x * alpha : x
        case .sigmoid: return 1 / (1 + expf(-x))
        }
    }
}

/// The kind of an `Op` without its attributes: what the supported-operator
/// table (`squeezec ops`), the int8 support table (`Int8Support`) and the
/// pre-flight reports talk about. Add a case at the end with a new `Op`.
public enum OpKind: String, Sendable, Hashable, CaseIterable {
    case conv2d
    case relu
    case maxPool
    case avgPool
    case globalAvgPool
    case concat
    case add
    case dropout
    case flatten
    case softmax
    case fire
    case activation
    case affine
    case pad

    /// How the op runs in the stream schedule (`StreamDecomposition`).
    public var streams: String {
        switch self {
        case .conv2d: "rows (k-row input ring)"
        case .fire: "rows (squeeze ring, expands into the concat)"
        case .relu: "rows (fused into the producer)"
        case .maxPool: "rows (folded into the producer)"
        case .avgPool: "rows (k-row input ring)"
        case .globalAvgPool: "rows (accumulates; fused into a conv)"
        case .concat: "rows (channel slices)"
        case .add: "rows (element-wise)"
        case .dropout: "removed"
        case .flatten, .softmax: "whole tensor at the end"
        case .activation: "rows (element-wise; in the producing conv's epilogue when fused)"
        case .affine: "rows (element-wise; parameters per channel, row, column or value)"
        case .pad: "rows (a window of top + 1 input rows)"
        }
    }

    /// What the fusion passes merge the op into, or "" for nothing.
    public var fusedWith: String {
        switch self {
        case .relu: "conv (activation)"
        case .maxPool: "conv, fire (epilogue)"
        case .globalAvgPool: "1x1 conv + ReLU (epilogue)"
        case .concat: "fire (with its convs)"
        case .activation: "conv, fire (activation: clip; leaky ReLU in convs)"
        case .affine: "conv (weights and bias)"
        case .pad: "conv, pools (padding)"
        case .conv2d, .avgPool, .add, .dropout, .flatten, .softmax, .fire: ""
        }
    }
}

extension Op {
    public var kind: OpKind {
        switch self {
        case .conv2d: .conv2d
        case .relu: .relu
        case .maxPool: .maxPool
        case .avgPool: .avgPool
        case .globalAvgPool: .globalAvgPool
        case .concat: .concat
        case .add: .add
        case .dropout: .dropout
        case .flatten: .flatten
        case .softmax: .softmax
        case .fire: .fire
        case .activation: .activation
        case .affine: .affine
        case .pad: .pad
        }
    }
}

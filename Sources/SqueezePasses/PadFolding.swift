import SqueezeIR

/// Folds a zero `.pad` into the padding of the op that reads it, when nothing
/// else reads the padded map and the result is exactly the same:
///
/// - a convolution (its padded taps read 0): paddings add, as long as each
///   side stays smaller than the kernel;
/// - an average pool without padding or ceil mode: the pad becomes the
///   pool's padding with `countIncludePad` (the zeros count in the divisor).
///
/// - a max pool without ceil mode whose input is never negative (after a
///   ReLU, a clip at 0 or above, a sigmoid, or pools/concats of such values):
///   its padding is -infinity, but every window holds at least one real
///   value (each side of the padding is smaller than the kernel) and the
///   real values are >= 0, so a 0 never wins. Any other max pool keeps its
///   pad op.
public struct PadFolding: GraphPass {
    public let name = "pad-folding"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var result = graph
        var index = 0
        while index < result.nodes.count {
            let node = result.nodes[index]
            guard case .pad(let p, let value) = node.op, value == 0,
                  let consumer = result.nodes.indices.first(where: { result.nodes[$0].inputs.contains(node.output) }),
                  result.isPrivate(node.output, to: consumer),
                  let op = Self.folded(p, into: result.nodes[consumer].op,
                                       nonNegative: Self.isNonNegative(node.inputs[0], in: result, depth: 0))
            else {
                index += 1
                continue
            }
            var reader = result.nodes[consumer]
            reader.op = op
            reader.inputs = [node.inputs[0]]
            reader.fusedFrom = node.sourceNames + reader.sourceNames
            result.nodes[consumer] = reader
            result.nodes.remove(at: index)
        }
        return try result.reinferred()
    }

    static func sum(_ a: Padding, _ b: Padding) -> Padding {
        Padding(top: a.top + b.top, left: a.left + b.left, bottom: a.bottom + b.bottom, right: a.right + b.right)
    }

    static func fits(_ p: Padding, _ kernel: Size2) -> Bool {
        p.top < kernel.h && p.bottom < kernel.h && p.left < kernel.w && p.right < kernel.w
    }

    /// The reader's op with the pad folded in, or nil.
    static func folded(_ pad: Padding, into op: Op, nonNegative: Bool = false) -> Op? {
        switch op {
        case .conv2d(var a) where fits(sum(a.padding, pad), a.kernel):
            a.padding = sum(a.padding, pad)
            return .conv2d(a)
        case .avgPool(var a) where a.padding.isZero && !a.ceilMode && fits(pad, a.kernel):
            a.padding = pad
            a.countIncludePad = true
            return .avgPool(a)
        case .maxPool(var a) where nonNegative && a.padding.isZero && !a.ceilMode && fits(pad, a.kernel):
            a.padding = pad
            return .maxPool(a)
        default:
            return nil
        }
    }

    /// True when `value` can hold no negative number (NaN aside), as far
    /// as its producers show (a bounded walk up the graph).
    static func isNonNegative(_ value: String, in graph: Graph, depth: Int) -> Bool {
        guard depth < 16, let node = graph.nodes.first(where: { $0.output == value }) else { return false }
        func inputs() -> Bool { node.inputs.allSatisfy { isNonNegative($0, in: graph, depth: depth + 1) } }
        switch node.op {
        case .relu, .fire, .activation(.sigmoid), .activation(.relu): return true
        case .activation(.clip(let lo, _)): return lo >= 0
        case .conv2d(let a):
            if case .clip(let lo, _) = a.activation { return lo >= 0 }
            return a.activation == .relu
        case .maxPool, .avgPool, .globalAvgPool, .concat, .dropout, .pad: return inputs()
        case .activation, .affine, .add, .flatten, .softmax: return false
        }
    }
}

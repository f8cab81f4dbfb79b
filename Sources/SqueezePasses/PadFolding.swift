import SqueezeIR

/// Folds a zero `.pad` into the padding of the op that reads it, when nothing
/// else reads the padded map and the result is exactly the same:
///
/// - a convolution (its padded taps read 0): paddings add, as long as each
///   side stays smaller than the kernel;
/// - an average pool without padding or ceil mode: the pad becomes the
///   pool's padding with `countIncludePad` (the zeros count in the divisor).
///
/// A max pool is never folded (its padding is -infinity, not 0).
public struct PadFolding: GraphPass {
    public let name = "pad-folding"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var result = graph
        var index = 0
        while index < result.nodes.count {
            let node = result.nodes[index]
            guard case .pad(let p) = node.op,
                  let consumer = result.nodes.indices.first(where: { result.nodes[$0].inputs.contains(node.output) }),
                  result.isPrivate(node.output, to: consumer),
                  let op = Self.folded(p, into: result.nodes[consumer].op)
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
    static func folded(_ pad: Padding, into op: Op) -> Op? {
        switch op {
        case .conv2d(var a) where fits(sum(a.padding, pad), a.kernel):
            a.padding = sum(a.padding, pad)
            return .conv2d(a)
        case .avgPool(var a) where a.padding.isZero && !a.ceilMode && fits(pad, a.kernel):
            a.padding = pad
            a.countIncludePad = true
            return .avgPool(a)
        default:
            return nil
        }
    }
}

import SqueezeIR
import SqueezeTensorIO

/// Rejects graphs whose values would be absurdly large, before shape
/// inference multiplies their sizes: a hostile file can double channels with
/// a chain of `Concat(y, y)`, or grow maps with large pads, until sizes
/// overflow `Int`. Sizes here are upper bounds computed with saturating
/// arithmetic (a convolution or pool output is at most input + pads), so no
/// real network comes near the limit.
enum ONNXSizeGuard {
    /// Elements of one value (4 GiB of float32): far beyond any target of squeezec.
    static let maxElements = 1 << 30

    struct Bound {
        var h: Int
        var w: Int
        var c: Int
        var count: Int { product(product(h, w), c) }
    }

    static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : value
    }

    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : value
    }

    static func check(_ graph: Graph) throws(Diagnostic) {
        var bounds: [String: Bound] = [:]
        for input in graph.inputs {
            let d = input.type.shape.dims
            bounds[input.name] = d.count == 4 ? Bound(h: d[1], w: d[2], c: d[3]) : Bound(h: 1, w: 1, c: d.reduce(1, product))
        }
        for node in graph.nodes {
            let inputs = node.inputs.compactMap { bounds[$0] }
            // A missing input is reported by shape inference.
            guard let x = inputs.first else { continue }
            let bound: Bound
            switch node.op {
            case .conv2d(let a):
                bound = Bound(h: sum(x.h, a.padding.top + a.padding.bottom), w: sum(x.w, a.padding.left + a.padding.right), c: a.outChannels)
            case .maxPool(let a), .avgPool(let a):
                bound = Bound(h: sum(x.h, a.padding.top + a.padding.bottom), w: sum(x.w, a.padding.left + a.padding.right), c: x.c)
            case .fire(let a):
                bound = Bound(h: sum(x.h, 2), w: sum(x.w, 2), c: a.outChannels)
            case .globalAvgPool:
                bound = Bound(h: 1, w: 1, c: x.c)
            case .concat:
                bound = Bound(h: inputs.map(\.h).max() ?? x.h, w: inputs.map(\.w).max() ?? x.w, c: inputs.map(\.c).reduce(0, sum))
            case .add:
                bound = Bound(h: inputs.map(\.h).max() ?? x.h, w: inputs.map(\.w).max() ?? x.w, c: inputs.map(\.c).max() ?? x.c)
            case .flatten:
                bound = Bound(h: 1, w: 1, c: x.count)
            case .relu, .dropout, .softmax, .activation, .affine:
                bound = x
            case .pad(let p, _):
                bound = Bound(h: sum(x.h, p.top + p.bottom), w: sum(x.w, p.left + p.right), c: x.c)
            }
            guard bound.count <= maxElements else {
                throw .unsupported("value '\(MessageText.printable(node.output))' would have more than \(maxElements) elements", node: node.name)
            }
            bounds[node.output] = bound
        }
    }
}

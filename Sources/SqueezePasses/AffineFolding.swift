import SqueezeIR

/// Folds a per-channel affine op (`y = x * scale[c] + shift[c]`) into a
/// neighbouring convolution, when nothing else reads the value between them:
///
/// - after a convolution without activation or pool: `w'[co] = w[co] * scale[co]`,
///   `b'[co] = b[co] * scale[co] + shift[co]`;
/// - before a convolution without padding (a padded tap would read 0, not
///   `shift`): `w'[co][..][ci] = w[co][..][ci] * scale[ci]`,
///   `b'[co] = b[co] + sum_k w[co][k] * shift[ci(k)]`.
///
/// The rest stay `.affine` nodes. Folded tensors get fresh names.
public struct AffineFolding: GraphPass {
    public let name = "affine-folding"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var result = graph
        var replaced = Set<String>()
        var index = 0
        while index < result.nodes.count {
            let node = result.nodes[index]
            guard case .affine(let channels) = node.op,
                  let scale = result.constants[node.parameters[0]]?.floats, let shift = result.constants[node.parameters[1]]?.floats,
                  scale.count == channels, shift.count == channels
            else {
                index += 1
                continue
            }
            if let producer = result.nodes.firstIndex(where: { $0.output == node.inputs[0] }),
               case .conv2d(var a) = result.nodes[producer].op, a.activation == .none, a.pool == nil,
               result.isPrivate(node.inputs[0], to: index),
               let (w, b) = Self.convArrays(result, result.nodes[producer], a) {
                let block = w.count / max(a.outChannels, 1)
                var w2 = w
                for co in 0..<a.outChannels {
                    for k in (co * block)..<((co + 1) * block) { w2[k] = w[k] * scale[co] }
                }
                let b2 = (0..<a.outChannels).map { co in b[co] * scale[co] + shift[co] }
                var conv = result.nodes[producer]
                replaced.formUnion(conv.parameters + node.parameters)
                a.hasBias = true
                conv.op = .conv2d(a)
                conv.parameters = Self.store(&result, conv, w2, b2)
                conv.output = node.output
                conv.fusedFrom = conv.sourceNames + node.sourceNames
                result.nodes[producer] = conv
                result.nodes.remove(at: index)
                continue
            }
            let readers = result.nodes.indices.filter { result.nodes[$0].inputs.contains(node.output) }
            if readers.count == 1, let consumer = readers.first, result.isPrivate(node.output, to: consumer),
               case .conv2d(var a) = result.nodes[consumer].op, a.padding.isZero,
               let (w, b) = Self.convArrays(result, result.nodes[consumer], a), w.count % channels == 0 {
                var w2 = w
                var b2 = b.map(Double.init)
                let block = w.count / max(a.outChannels, 1)
                for co in 0..<a.outChannels {
                    for k in (co * block)..<((co + 1) * block) {
                        let ci = k % channels
                        w2[k] = w[k] * scale[ci]
                        b2[co] += Double(w[k]) * Double(shift[ci])
                    }
                }
                var conv = result.nodes[consumer]
                replaced.formUnion(conv.parameters + node.parameters)
                a.hasBias = true
                conv.op = .conv2d(a)
                conv.parameters = Self.store(&result, conv, w2, b2.map { Float($0) })
                conv.inputs = [node.inputs[0]]
                conv.fusedFrom = node.sourceNames + conv.sourceNames
                result.nodes[consumer] = conv
                result.nodes.remove(at: index)
                continue
            }
            index += 1
        }
        // Tensors folded away (and read by nothing else) leave the graph.
        let used = Set(result.nodes.flatMap(\.parameters))
        for name in replaced where !used.contains(name) { result.constants[name] = nil }
        return try result.reinferred()
    }

    /// The fp32 weight and bias (zeros without one) of a convolution.
    static func convArrays(_ graph: Graph, _ node: Node, _ a: Conv2DAttributes) -> ([Float], [Float])? {
        guard let w = graph.constants[node.parameters[0]]?.floats else { return nil }
        if a.hasBias {
            guard node.parameters.count > 1, let b = graph.constants[node.parameters[1]]?.floats, b.count == a.outChannels else { return nil }
            return (w, b)
        }
        return (w, [Float](repeating: 0, count: a.outChannels))
    }

    /// Stores the folded weight and bias under fresh names; returns them.
    static func store(_ graph: inout Graph, _ conv: Node, _ w: [Float], _ b: [Float]) -> [String] {
        let weightShape = graph.constants[conv.parameters[0]]!.shape
        let weight = fresh(graph, conv.name + ".weight_affine")
        graph.constants[weight] = Tensor(shape: weightShape, floats: w)
        let bias = fresh(graph, conv.name + ".bias_affine")
        graph.constants[bias] = Tensor(shape: TensorShape([b.count]), floats: b)
        return [weight, bias]
    }

    static func fresh(_ graph: Graph, _ base: String) -> String {
        var name = base
        var suffix = 2
        while graph.constants[name] != nil || graph.valueTypes[name] != nil {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        return name
    }
}

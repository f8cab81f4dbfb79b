/// An int8 standalone concat (one not fused into a Fire module, e.g. after
/// a Fire whose expand is grouped) copies codes: every input must already
/// have the concat's scale and zero point. A convolution (without fused
/// pool) whose output only the concat reads is requantised straight to the
/// concat's parameters, as a fused Fire module's expands are, so no input
/// needs a second requantisation. Other inputs must happen to share them;
/// otherwise the quantizer refuses the concat, naming it.
public enum ConcatQuantization {
    /// Each value that a convolution without fused pool produces and that
    /// one concat alone reads (not a graph output) -> that concat's output.
    public static func sharedOutputs(in graph: Graph) -> [String: String] {
        let consumers = graph.consumers
        let outputs = Set(graph.outputs)
        var result: [String: String] = [:]
        for node in graph.nodes {
            guard case .conv2d(let a) = node.op, a.pool == nil, !outputs.contains(node.output),
                  let readers = consumers[node.output], let first = readers.first, readers.allSatisfy({ $0 == first }),
                  case .concat = graph.nodes[first].op
            else { continue }
            result[node.output] = graph.nodes[first].output
        }
        return result
    }

    /// The concat's parameters: those of its inputs, which must all agree (nil if they do not).
    public static func derive(inputs: [QuantParams]) -> QuantParams? {
        guard let first = inputs.first, inputs.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}

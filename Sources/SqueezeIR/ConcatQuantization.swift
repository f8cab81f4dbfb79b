/// An int8 standalone concat (one not fused into a Fire module, e.g. after
/// a Fire whose expand is grouped) copies codes. A convolution (without
/// fused pool) whose output only the concat reads is requantised straight
/// to the concat's parameters, as a fused Fire module's expands are, so no
/// input needs a second requantisation. When the inputs still differ, the
/// concat takes its own calibrated parameters and each other input goes
/// through a 256-entry rescale table (`Quantization.concatTables`; the
/// Swift reference and `sq_lut_rows_s8` apply the same table).
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

    /// The key of an input's rescale table in `Quantization.concatTables`.
    public static func tableKey(concat: String, input: String) -> String { concat + " <- " + input }

    /// The concat's parameters when its inputs all agree (nil if they do not).
    public static func derive(inputs: [QuantParams]) -> QuantParams? {
        guard let first = inputs.first, inputs.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}

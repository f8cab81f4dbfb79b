import SqueezeIR

/// Chains the stages of a fused graph's nodes (`Lowering`, in execution
/// order) into the streaming schedule, plus the nodes that run after the
/// stream on whole tensors (flatten, softmax, and anything that reads a
/// global average's output, e.g. a Gemm head or an activation after the pool). A max pool that is the only
/// reader of a stage's output folds into that stage.
public enum StreamDecomposition {
    public struct Result: Sendable {
        public var stages: [StreamStage]
        /// Shapes of every value the stages read or write, internal ones included.
        public var shapes: [String: TensorShape]
        /// Nodes run after the stream, whole-tensor (indices into graph.nodes).
        public var tail: [Int]
    }

    public static func decompose(_ graph: Graph) throws(Diagnostic) -> Result {
        var stages: [StreamStage] = []
        var shapes: [String: TensorShape] = [:]
        var tail: [Int] = []
        var streamed = Set(graph.inputs.map(\.name))
        for input in graph.inputs { shapes[input.name] = input.type.shape }

        for (index, node) in graph.nodes.enumerated() {
            // After the first whole-tensor node, everything runs on whole tensors.
            guard tail.isEmpty, node.inputs.allSatisfy({ streamed.contains($0) }),
                  let lowered = try Lowering.lower(node, in: graph) else {
                tail.append(index)
                continue
            }
            stages += lowered.stages
            shapes.merge(lowered.shapes) { _, new in new }
            // A global average's output exists only when the stream has run
            // (its stage accumulates over all rows): its readers (a classifier
            // head, a standalone activation after the pool) run after the stream.
            if !lowered.stages.contains(where: { $0.output == node.output && $0.accumulates }) {
                streamed.insert(node.output)
            }
        }
        return Result(stages: foldStandalonePools(stages, shapes: &shapes, keep: Set(graph.outputs)), shapes: shapes, tail: tail)
    }

    /// A max pool that is the only reader of a stage's output (e.g. after a
    /// bypass add) folds into that stage like the fused pools do, so its
    /// input is never kept as a ring of k rows.
    static func foldStandalonePools(_ stages: [StreamStage], shapes: inout [String: TensorShape], keep: Set<String>) -> [StreamStage] {
        var result = stages
        var readers: [String: Int] = [:]
        for stage in stages {
            for input in stage.inputs { readers[input.value, default: 0] += 1 }
        }
        var index = 0
        while index < result.count {
            let pool = result[index]
            guard case .maxPool(let p) = pool.kind, pool.pool == nil, pool.inputs.count == 1,
                  let producerIndex = result.firstIndex(where: { $0.output == pool.inputs[0].value }),
                  result[producerIndex].pool == nil, !result[producerIndex].accumulates,
                  readers[pool.inputs[0].value] == 1, !keep.contains(pool.inputs[0].value)
            else {
                index += 1
                continue
            }
            var producer = result[producerIndex]
            shapes[Lowering.prePoolValue(producer.node)] = shapes[producer.output]
            producer.pool = p
            producer.preRows = producer.rows
            producer.rows = pool.rows
            producer.output = pool.output
            result[producerIndex] = producer
            result.remove(at: index)
        }
        return result
    }
}

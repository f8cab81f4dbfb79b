import SqueezeIR

/// Splits a fused graph into streaming stages (in execution order) plus the
/// nodes that run after the stream on whole tensors (flatten, softmax).
public enum StreamDecomposition {
    public struct Result: Sendable {
        public var stages: [StreamStage]
        /// Shapes of every value the stages read or write, internal ones included.
        public var shapes: [String: TensorShape]
        /// Nodes run after the stream, whole-tensor (indices into graph.nodes).
        public var tail: [Int]
    }

    public static func squeezeValue(_ node: Node) -> String { node.name + ".squeeze" }
    public static func prepoolValue(_ node: Node) -> String { node.name + ".prepool" }

    public static func decompose(_ graph: Graph) throws(Diagnostic) -> Result {
        var stages: [StreamStage] = []
        var shapes: [String: TensorShape] = [:]
        var tail: [Int] = []
        var streamed = Set(graph.inputs.map(\.name))
        for input in graph.inputs { shapes[input.name] = input.type.shape }

        for (index, node) in graph.nodes.enumerated() {
            let out = try graph.type(of: node.output).shape
            let readsStream = node.inputs.allSatisfy { streamed.contains($0) }
            let inShape = try graph.type(of: node.inputs[0]).shape
            guard readsStream, inShape.isActivation4D, out.isActivation4D, tail.isEmpty else {
                tail.append(index)
                continue
            }
            shapes[node.output] = out
            func stage(_ suffix: String, _ kind: StreamStage.Kind, _ inputs: [StreamInput], _ output: String, rows: Int,
                       _ parameters: [String] = []) -> StreamStage {
                StreamStage(name: node.name + suffix, kind: kind, node: node, inputs: inputs, output: output, rows: rows,
                            parameters: parameters, preRows: rows)
            }
            switch node.op {
            case .conv2d(let a):
                let bare = a.bare.with(activation: a.activation)
                switch a.pool {
                case nil:
                    stages.append(stage("", .conv(bare), [convInput(node.inputs[0], a)], node.output, rows: out.h, node.parameters))
                case .max(let p):
                    let pre = try preShape(inShape, a, node)
                    shapes[prepoolValue(node)] = pre
                    var conv = stage("", .conv(bare), [convInput(node.inputs[0], a)], node.output, rows: out.h, node.parameters)
                    conv.pool = p
                    conv.preRows = pre.h
                    stages.append(conv)
                case .globalAverage:
                    stages.append(stage("", .convGlobalAverage(bare), [StreamInput(value: node.inputs[0])], node.output,
                                        rows: inShape.h, node.parameters))
                }
            case .fire(let a):
                let squeezed = try preShape(inShape, a.squeeze, node)
                let squeeze = squeezeValue(node)
                shapes[squeeze] = squeezed
                let ranges = a.parameterRanges
                stages.append(stage(".squeeze", .conv(a.squeeze), [convInput(node.inputs[0], a.squeeze)], squeeze, rows: squeezed.h,
                                    Array(node.parameters[ranges[0]])))
                let expanded = try preShape(squeezed, a.expand3x3, node)
                let concat = TensorShape.nhwc(1, expanded.h, expanded.w, a.outChannels)
                let expandParameters = Array(node.parameters[ranges[1]]) + Array(node.parameters[ranges[2]])
                var fire = a
                fire.pool = nil
                switch a.pool {
                case nil:
                    stages.append(stage(".expand", .fireExpand(fire), [convInput(squeeze, a.expand3x3)], node.output, rows: concat.h,
                                        expandParameters))
                case .max(let p):
                    shapes[prepoolValue(node)] = concat
                    var expand = stage(".expand", .fireExpand(fire), [convInput(squeeze, a.expand3x3)], node.output, rows: out.h,
                                       expandParameters)
                    expand.pool = p
                    expand.preRows = concat.h
                    stages.append(expand)
                case .globalAverage:
                    throw .unsupported("a Fire module with a fused global average pool cannot stream", node: node.name)
                }
            case .maxPool(let p):
                stages.append(stage("", .maxPool(p), [poolInput(node.inputs[0], p)], node.output, rows: out.h))
            case .avgPool(let p):
                stages.append(stage("", .avgPool(p), [poolInput(node.inputs[0], p)], node.output, rows: out.h))
            case .globalAvgPool:
                stages.append(stage("", .globalAverage, [StreamInput(value: node.inputs[0])], node.output, rows: inShape.h))
            case .add:
                stages.append(stage("", .add, node.inputs.map { StreamInput(value: $0) }, node.output, rows: out.h))
            case .relu:
                stages.append(stage("", .relu, [StreamInput(value: node.inputs[0])], node.output, rows: out.h))
            case .concat:
                stages.append(stage("", .concat, node.inputs.map { StreamInput(value: $0) }, node.output, rows: out.h))
            case .dropout:
                stages.append(stage("", .copy, [StreamInput(value: node.inputs[0])], node.output, rows: out.h))
            case .flatten, .softmax:
                tail.append(index)
                continue
            }
            streamed.insert(node.output)
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
            shapes[prepoolValue(producer.node)] = shapes[producer.output]
            producer.pool = p
            producer.preRows = producer.rows
            producer.rows = pool.rows
            producer.output = pool.output
            result[producerIndex] = producer
            result.remove(at: index)
        }
        return result
    }

    static func convInput(_ value: String, _ a: Conv2DAttributes) -> StreamInput {
        StreamInput(value: value, kernel: a.kernel.h, stride: a.stride.h, padTop: a.padding.top)
    }

    static func poolInput(_ value: String, _ p: PoolAttributes) -> StreamInput {
        StreamInput(value: value, kernel: p.kernel.h, stride: p.stride.h, padTop: p.padding.top)
    }

    static func preShape(_ input: TensorShape, _ a: Conv2DAttributes, _ node: Node) throws(Diagnostic) -> TensorShape {
        try ScratchRules.preActivation(input, a, node)
    }
}

extension Conv2DAttributes {
    func with(activation: Activation) -> Conv2DAttributes {
        var copy = self
        copy.activation = activation
        return copy
    }
}

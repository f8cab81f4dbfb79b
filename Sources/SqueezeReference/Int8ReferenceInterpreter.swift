import SqueezeIR

/// The int8 reference: runs a quantised graph (`Graph.quantization` set,
/// int8 activations and weights) with exactly the integer arithmetic of the
/// generated C, so generated code and firmware must match it bit for bit.
///
/// Supported: conv2d (ReLU, clip, leaky ReLU or none; fused max pool or
/// global average; grouped), fire (fused max pool), max pool, average pool,
/// global average pool, add, ReLU, clip/leaky ReLU/sigmoid (lookup tables),
/// affine, pad, dropout, flatten, softmax, concat (of inputs sharing its
/// parameters). Anything else is rejected at init with an `.unsupported`
/// diagnostic naming the layer.
public struct Int8ReferenceInterpreter: Sendable {
    public let graph: Graph
    public let quantization: Quantization
    private let convKernels: [Int: [Int8ConvKernel]]
    private let inputShapes: [TensorShape]

    public init(graph: Graph) throws(Diagnostic) {
        guard let quantization = graph.quantization else {
            throw .unsupported("graph '\(graph.name)' is not quantised; the int8 reference runs int8 graphs only")
        }
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw .unsupported("the int8 reference runs graphs with one input and one output")
        }
        var kernels: [Int: [Int8ConvKernel]] = [:]
        var shapes: [TensorShape] = []
        for (index, node) in graph.nodes.enumerated() {
            guard Int8Support.supports(node.op) else { throw Int8Support.refusal(node) }
            let input = try graph.type(of: node.inputs[0]).shape
            shapes.append(input)
            switch node.op {
            case .conv2d(let a):
                kernels[index] = [try Self.kernel(a, inputChannels: input.c, weight: node.parameters[0], graph, quantization, node)]
            case .fire(let a):
                var channels = input.c
                var list: [Int8ConvKernel] = []
                for (conv, range) in zip(a.convolutions, a.parameterRanges) {
                    list.append(try Self.kernel(conv, inputChannels: channels, weight: node.parameters[range.lowerBound], graph, quantization, node))
                    if list.count == 1 { channels = conv.outChannels }
                }
                kernels[index] = list
            case .maxPool, .globalAvgPool, .relu, .dropout, .flatten, .add, .avgPool, .softmax, .concat:
                break
            case .activation, .affine, .pad:
                break
            }
        }
        self.graph = graph
        self.quantization = quantization
        convKernels = kernels
        inputShapes = shapes
    }

    private static func kernel(_ a: Conv2DAttributes, inputChannels: Int, weight: String, _ graph: Graph, _ q: Quantization,
                               _ node: Node) throws(Diagnostic) -> Int8ConvKernel {
        guard let tensor = graph.constants[weight], case .int8(let codes) = tensor.storage else {
            throw .internal("weight '\(weight)' is not an int8 tensor", node: node.name)
        }
        return Int8ConvKernel(attributes: a.bare, inputChannels: inputChannels, weights: codes, quantization: try q.convolution(weight, node: node.name))
    }

    /// The float input quantised with the graph input's parameters.
    public func quantizeInput(_ input: [Float]) throws(Diagnostic) -> [Int8] {
        let params = try quantization.params(of: graph.inputs[0].name)
        return input.map { params.quantize($0) }
    }

    /// The output codes as real values.
    public func dequantizeOutput(_ codes: [Int8]) throws(Diagnostic) -> [Float] {
        let params = try quantization.params(of: graph.outputs[0])
        return codes.map { params.dequantize(Int32($0)) }
    }

    public func run(_ input: [Int8]) throws(Diagnostic) -> [Int8] {
        let values = try execute(input, keepAll: false)
        guard let output = values[graph.outputs[0]] else { throw .internal("graph output was not computed") }
        return output
    }

    /// Every value by name: the input and every node output.
    public func runCapturingAll(_ input: [Int8]) throws(Diagnostic) -> [String: [Int8]] {
        try execute(input, keepAll: true)
    }

    private func execute(_ input: [Int8], keepAll: Bool) throws(Diagnostic) -> [String: [Int8]] {
        let info = graph.inputs[0]
        guard input.count == info.type.shape.elementCount else {
            throw .input("graph input '\(info.name)' expects \(info.type.shape.elementCount) int8 codes (\(info.type.shape), NHWC), got \(input.count)")
        }
        var values: [String: [Int8]] = [info.name: input]
        var remaining: [String: Int] = [:]
        for node in graph.nodes { for name in node.inputs { remaining[name, default: 0] += 1 } }
        for (index, node) in graph.nodes.enumerated() {
            guard let x = values[node.inputs[0]] else { throw .internal("value '\(node.inputs[0])' is not available", node: node.name) }
            let shape = inputShapes[index]
            let y: [Int8]
            switch node.op {
            case .conv2d(let a):
                let kernel = convKernels[index]![0]
                var codes = kernel.apply(x, shape: shape)
                if !a.activation.isClamp {
                    // Requantised to `<node>.act`, then the activation's table.
                    let table = try quantization.activation(node.name)
                    codes = codes.map(table.apply)
                }
                if a.pool == .globalAverage {
                    y = try Self.average(codes, shape: kernel.outputShape(for: shape)!, quantization.average(node.name))
                } else {
                    y = Self.pool(codes, shape: kernel.outputShape(for: shape)!, a.pool)
                }
            case .fire(let a):
                let k = convKernels[index]!
                let squeezeShape = k[0].outputShape(for: shape)!
                let squeezed = k[0].apply(x, shape: shape)
                let e1 = k[1].apply(squeezed, shape: squeezeShape)
                let e3 = k[2].apply(squeezed, shape: squeezeShape)
                let e1Shape = k[1].outputShape(for: squeezeShape)!
                let e3Shape = k[2].outputShape(for: squeezeShape)!
                let concat = a.expand1x1First ? ConcatKernel.apply(codes: [e1, e3], shapes: [e1Shape, e3Shape])
                                              : ConcatKernel.apply(codes: [e3, e1], shapes: [e3Shape, e1Shape])
                y = Self.pool(concat, shape: .nhwc(shape.n, e1Shape.h, e1Shape.w, a.outChannels), a.pool)
            case .maxPool(let a):
                y = Int8PoolKernels.maxPool(x, shape: shape, a)
            case .globalAvgPool:
                y = Self.average(x, shape: shape, try quantization.average(node.name))
            case .relu:
                let zp = Int8(truncatingIfNeeded: try quantization.params(of: node.inputs[0]).zeroPoint)
                y = x.map { max($0, zp) }
            case .dropout:
                y = x
            case .flatten:
                y = FlattenKernel.apply(x, shape: shape)
            case .add:
                guard let other = values[node.inputs[1]], other.count == x.count else {
                    throw .internal("value '\(node.inputs[1])' is not available", node: node.name)
                }
                let q = try quantization.addition(node.name)
                y = zip(x, other).map { q.add($0, $1) }
            case .activation:
                let table = try quantization.activation(node.name)
                y = x.map(table.apply)
            case .affine:
                let q = try quantization.affine(node.name)
                y = AffineKernel.apply(codes: x, shape: shape, q.broadcast, q)
            case .pad(let p, let value):
                // The value's code in the input's parameters (the zero point for 0; saturated outside their range).
                y = PadKernel.apply(x, shape: shape, p, fill: try quantization.params(of: node.inputs[0]).quantize(value))
            case .avgPool(let a):
                guard let q = quantization.averagePools[node.name] else { throw .internal("average pool has no quantisation parameters", node: node.name) }
                y = Int8PoolKernels.avgPool(x, shape: shape, a, q)
            case .softmax:
                guard let q = quantization.softmaxes[node.name] else { throw .internal("softmax has no quantisation parameters", node: node.name) }
                let width = max(shape.dims.last ?? 1, 1)
                y = stride(from: 0, to: x.count, by: width).flatMap { q.apply(x[$0..<min($0 + width, x.count)]) }
            case .concat:
                // Inputs share the concat's parameters (`ConcatQuantization`): a copy of codes.
                var parts: [[Int8]] = []
                var shapes: [TensorShape] = []
                for name in node.inputs {
                    guard let part = values[name] else { throw .internal("value '\(name)' is not available", node: node.name) }
                    if let table = quantization.concatTables[ConcatQuantization.tableKey(concat: node.name, input: name)] {
                        parts.append(part.map { table[Int($0) + 128] })
                    } else {
                        parts.append(part)
                    }
                    shapes.append(try graph.type(of: name).shape)
                }
                y = ConcatKernel.apply(codes: parts, shapes: shapes)
            }
            values[node.output] = y
            if !keepAll {
                for name in node.inputs {
                    remaining[name, default: 1] -= 1
                    if remaining[name] == 0 && !graph.outputs.contains(name) { values[name] = nil }
                }
            }
        }
        return values
    }

    /// Max pools keep the codes' parameters; global averages requantise (`AverageQuantization`).
    static func pool(_ codes: [Int8], shape: TensorShape, _ pool: FusedPool?) -> [Int8] {
        switch pool {
        case nil, .globalAverage: codes
        case .max(let a): Int8PoolKernels.maxPool(codes, shape: shape, a)
        }
    }

    static func average(_ codes: [Int8], shape: TensorShape, _ q: AverageQuantization) -> [Int8] {
        Int8PoolKernels.sums(codes, shape: shape).map(q.finish)
    }
}

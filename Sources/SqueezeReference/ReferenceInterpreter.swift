import SqueezeIR

/// The fp32 reference interpreter: the oracle that generated C and firmware
/// are judged by.
///
/// Every kernel is a plain, separately tested implementation with a fixed,
/// documented summation order, so results are deterministic (bit-identical
/// from run to run and independent of the number of threads).
///
/// Activations are NHWC `[Float]` arrays; any batch size `n` is handled.
/// Only fp32 graphs are supported: int8 values or constants are rejected at
/// init with an `.unsupported` diagnostic naming the layer.
public struct ReferenceInterpreter: Sendable {
    /// The graph being run, with `valueTypes` filled in.
    public let graph: Graph
    /// Convolutions prepared once (weights rearranged), by node index.
    private let convKernels: [Int: [Conv2DKernel]]
    /// For every node, the shapes of its activation inputs and its output.
    private let inputShapes: [[TensorShape]]
    private let outputShapes: [TensorShape]
    /// For every node, the values whose last reader it is (freed by `run`).
    private let lastUses: [[String]]

    /// Checks the graph (structure, shapes, fp32 only) and prepares the
    /// convolutions. Runs shape inference if `graph.valueTypes` is empty.
    public init(graph input: Graph) throws(Diagnostic) {
        try GraphVerifier.verify(input)
        let graph = input.valueTypes.isEmpty ? try ShapeInference.run(input) : input

        for value in graph.inputs where value.type.elementType != .float32 {
            throw .unsupported("graph input '\(value.name)' is \(value.type); the reference interpreter runs fp32 graphs only")
        }

        var convKernels: [Int: [Conv2DKernel]] = [:]
        var inputShapes: [[TensorShape]] = []
        var outputShapes: [TensorShape] = []
        for (index, node) in graph.nodes.enumerated() {
            let outType = try graph.type(of: node.output)
            guard outType.elementType == .float32 else {
                throw .unsupported("value '\(node.output)' is \(outType); the reference interpreter runs fp32 graphs only", node: node.name)
            }
            var floats: [[Float]] = []
            for name in node.parameters {
                guard let constant = graph.constants[name] else {
                    throw .input("parameter '\(name)' is missing", node: node.name)
                }
                guard let values = constant.floats else {
                    throw .unsupported("parameter '\(name)' is \(constant.type); the reference interpreter runs fp32 graphs only", node: node.name)
                }
                floats.append(values)
            }
            var shapes: [TensorShape] = []
            for name in node.inputs { shapes.append(try graph.type(of: name).shape) }

            // The kernels compute their own output shapes; they must agree
            // with shape inference.
            let kernelShape: TensorShape?
            switch node.op {
            case .conv2d(let a):
                let kernel = Conv2DKernel(attributes: a.bare, inputChannels: shapes[0].c, weights: floats[0], bias: a.hasBias ? floats[1] : nil)
                convKernels[index] = [kernel]
                kernelShape = FusedKernels.poolShape(kernel.outputShape(for: shapes[0]), a.pool)
            case .fire(let a):
                var channels = shapes[0].c
                var kernels: [Conv2DKernel] = []
                for (conv, range) in zip(a.convolutions, a.parameterRanges) {
                    kernels.append(Conv2DKernel(attributes: conv.bare, inputChannels: channels, weights: floats[range.lowerBound],
                                                bias: conv.hasBias ? floats[range.lowerBound + 1] : nil))
                    if kernels.count == 1 { channels = conv.outChannels }
                }
                convKernels[index] = kernels
                kernelShape = FusedKernels.fireShape(shapes[0], kernels: kernels, a)
            case .maxPool(let a), .avgPool(let a):
                kernelShape = PoolKernels.outputShape(input: shapes[0], a)
            case .globalAvgPool:
                kernelShape = .nhwc(shapes[0].n, 1, 1, shapes[0].c)
            case .concat:
                kernelShape = .nhwc(shapes[0].n, shapes[0].h, shapes[0].w, shapes.reduce(0) { $0 + $1.c })
            case .flatten:
                let n = shapes[0].dims[0]
                kernelShape = TensorShape([n, shapes[0].elementCount / max(n, 1)])
            case .relu, .add, .dropout, .softmax, .activation, .affine:
                kernelShape = shapes[0]
            case .pad(let p, _):
                kernelShape = PadKernel.outputShape(shapes[0], p)
            }
            guard kernelShape == outType.shape else {
                throw .internal("reference kernel gives \(kernelShape.map { "\($0)" } ?? "no shape") but shape inference gives \(outType.shape)", node: node.name)
            }
            inputShapes.append(shapes)
            outputShapes.append(outType.shape)
        }

        // Values not needed after a node can be dropped by `run`.
        let outputs = Set(graph.outputs)
        var last: [String: Int] = [:]
        for (index, node) in graph.nodes.enumerated() {
            for name in node.inputs { last[name] = index }
            if last[node.output] == nil { last[node.output] = index }
        }
        var lastUses = [[String]](repeating: [], count: graph.nodes.count)
        for (name, index) in last where !outputs.contains(name) { lastUses[index].append(name) }

        self.graph = graph
        self.convKernels = convKernels
        self.inputShapes = inputShapes
        self.outputShapes = outputShapes
        self.lastUses = lastUses
    }

    /// Runs a graph with one input and one output. `input` is NHWC.
    public func run(_ input: [Float]) throws(Diagnostic) -> [Float] {
        let (inputName, outputName) = try singleInputAndOutput()
        let values = try run(inputs: [inputName: input])
        guard let output = values[outputName] else {
            throw .internal("graph output '\(outputName)' was not computed")
        }
        return output
    }

    /// Runs a graph with one input and returns every value by name: the
    /// graph input, every node output and so the graph outputs.
    public func runCapturingAll(_ input: [Float]) throws(Diagnostic) -> [String: [Float]] {
        let (inputName, _) = try singleInputAndOutput()
        return try runCapturingAll(inputs: [inputName: input])
    }

    /// Runs the graph; `inputs` must give every graph input (NHWC) and
    /// nothing else. Returns the graph outputs by name.
    public func run(inputs: [String: [Float]]) throws(Diagnostic) -> [String: [Float]] {
        let values = try execute(inputs, keepAll: false)
        var result: [String: [Float]] = [:]
        for name in graph.outputs { result[name] = values[name] }
        return result
    }

    /// Like `run(inputs:)` but returns every value: graph inputs and the
    /// output of every node.
    public func runCapturingAll(inputs: [String: [Float]]) throws(Diagnostic) -> [String: [Float]] {
        try execute(inputs, keepAll: true)
    }

    /// Runs a graph with one input and reports every value as it is
    /// computed: the graph input, every node output and the internal values
    /// of fused ops (`Quantization.squeezePoint`, `Quantization.convPoint`).
    /// Calibration uses this. Returns the graph output.
    public func runObserving(_ input: [Float], observe: @escaping (String, [Float]) -> Void) throws(Diagnostic) -> [Float] {
        let (inputName, outputName) = try singleInputAndOutput()
        observe(inputName, input)
        let values = try execute([inputName: input], keepAll: false, observe: observe)
        guard let output = values[outputName] else { throw .internal("graph output '\(outputName)' was not computed") }
        return output
    }

    private func singleInputAndOutput() throws(Diagnostic) -> (String, String) {
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw .unsupported("graph '\(graph.name)' has \(graph.inputs.count) inputs and \(graph.outputs.count) outputs; use run(inputs:) for graphs that do not have exactly one of each")
        }
        return (graph.inputs[0].name, graph.outputs[0])
    }

    private func execute(_ inputs: [String: [Float]], keepAll: Bool,
                         observe: FusedKernels.Observer? = nil) throws(Diagnostic) -> [String: [Float]] {
        var values: [String: [Float]] = [:]
        for info in graph.inputs {
            guard let data = inputs[info.name] else {
                throw .input("graph input '\(info.name)' (\(info.type.shape), NHWC) was not given")
            }
            let expected = info.type.shape.elementCount
            guard data.count == expected else {
                throw .input("graph input '\(info.name)' expects shape \(info.type.shape) (NHWC) = \(expected) floats, got \(data.count)")
            }
            values[info.name] = data
        }
        let known = Set(graph.inputs.map(\.name))
        if let extra = inputs.keys.sorted().first(where: { !known.contains($0) }) {
            throw .input("'\(extra)' is not an input of graph '\(graph.name)' (inputs: \(graph.inputs.map(\.name).joined(separator: ", ")))")
        }

        for (index, node) in graph.nodes.enumerated() {
            var x: [[Float]] = []
            for name in node.inputs {
                guard let value = values[name] else {
                    throw .internal("value '\(name)' is not available", node: node.name)
                }
                x.append(value)
            }
            let shapes = inputShapes[index]
            let y: [Float]
            switch node.op {
            case .conv2d(let a):
                guard let kernel = convKernels[index]?.first else {
                    throw .internal("convolution was not prepared", node: node.name)
                }
                y = FusedKernels.conv(x[0], shape: shapes[0], kernel: kernel, a, node: node.name, observe: observe)
            case .fire(let a):
                guard let kernels = convKernels[index], kernels.count == 3 else {
                    throw .internal("fire module was not prepared", node: node.name)
                }
                y = FusedKernels.fire(x[0], shape: shapes[0], kernels: kernels, a, node: node.name, observe: observe)
            case .relu:
                y = ElementwiseKernels.relu(x[0])
            case .maxPool(let a):
                y = PoolKernels.maxPool(x[0], shape: shapes[0], a)
            case .avgPool(let a):
                y = PoolKernels.avgPool(x[0], shape: shapes[0], a)
            case .globalAvgPool:
                y = GlobalAvgPoolKernel.apply(x[0], shape: shapes[0])
            case .concat:
                y = ConcatKernel.apply(x, shapes: shapes)
            case .add:
                y = ElementwiseKernels.add(x[0], x[1])
            case .dropout:
                y = ElementwiseKernels.dropout(x[0])
            case .flatten:
                y = FlattenKernel.apply(x[0], shape: shapes[0])
            case .softmax:
                y = SoftmaxKernel.apply(x[0], shape: shapes[0])
            case .activation(let a):
                y = FusedKernels.activation(x[0], a)
            case .affine:
                guard let scale = graph.constants[node.parameters[0]], let s = scale.floats, let shift = graph.constants[node.parameters[1]]?.floats,
                      let broadcast = AffineBroadcast(parameter: scale.shape, map: shapes[0]) else {
                    throw .internal("affine parameters are not fp32 or do not cover the map", node: node.name)
                }
                y = AffineKernel.apply(x[0], shape: shapes[0], broadcast, scale: s, shift: shift)
            case .pad(let p, let value):
                y = PadKernel.apply(x[0], shape: shapes[0], p, fill: value)
            }
            guard y.count == outputShapes[index].elementCount else {
                throw .internal("kernel produced \(y.count) values for shape \(outputShapes[index])", node: node.name)
            }
            values[node.output] = y
            observe?(node.output, y)
            if !keepAll {
                for name in lastUses[index] { values[name] = nil }
            }
        }
        return values
    }
}

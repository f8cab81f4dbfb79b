/// Computes the type of every value from the graph inputs and constants.
/// Errors name the layer and both shapes involved.
public enum ShapeInference {
    /// Returns the graph with `valueTypes` filled in.
    public static func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var types: [String: TensorType] = [:]
        for input in graph.inputs { types[input.name] = input.type }
        for node in graph.nodes {
            var inputTypes: [TensorType] = []
            for name in node.inputs {
                guard let type = types[name] else {
                    throw .input("input '\(name)' is not produced by any earlier layer", node: node.name)
                }
                inputTypes.append(type)
            }
            var parameterTypes: [TensorType] = []
            for name in node.parameters {
                guard let constant = graph.constants[name] else {
                    throw .input("parameter '\(name)' is missing", node: node.name)
                }
                parameterTypes.append(constant.type)
            }
            if types[node.output] != nil {
                throw .input("value '\(node.output)' is written twice", node: node.name)
            }
            types[node.output] = try infer(node, inputTypes, parameterTypes)
        }
        for output in graph.outputs where types[output] == nil {
            throw .input("graph output '\(output)' is never produced")
        }
        var result = graph
        result.valueTypes = types
        return result
    }

    static func infer(_ node: Node, _ inputs: [TensorType], _ parameters: [TensorType]) throws(Diagnostic) -> TensorType {
        if let expected = node.op.activationInputCount, inputs.count != expected {
            throw .input("\(node.op.name) takes \(expected) input(s), got \(inputs.count)", node: node.name)
        }
        if inputs.isEmpty {
            throw .input("\(node.op.name) has no input", node: node.name)
        }
        if parameters.count != node.op.parameterCount {
            throw .input("\(node.op.name) takes \(node.op.parameterCount) parameter(s), got \(parameters.count)", node: node.name)
        }
        let x = inputs[0]
        switch node.op {
        case .conv2d(let a):
            let s = try conv(try image(x, node), a, parameters, node)
            return TensorType(x.elementType, try fusedPool(s, a.pool, node))
        case .fire(let a):
            let input = try image(x, node)
            let ranges = a.parameterRanges
            guard a.squeeze.kernel == .square(1), a.expand1x1.kernel == .square(1), a.expand3x3.kernel == .square(3) else {
                throw .input("fire kernels must be 1x1, 1x1 and 3x3", node: node.name)
            }
            let squeezed = try conv(input, a.squeeze, Array(parameters[ranges[0]]), node)
            let e1 = try conv(squeezed, a.expand1x1, Array(parameters[ranges[1]]), node)
            let e3 = try conv(squeezed, a.expand3x3, Array(parameters[ranges[2]]), node)
            guard e1.h == e3.h, e1.w == e3.w else {
                throw .input("fire expand outputs disagree: \(e1) and \(e3)", node: node.name)
            }
            let concat = TensorShape.nhwc(input.n, e1.h, e1.w, e1.c + e3.c)
            return TensorType(x.elementType, try fusedPool(concat, a.pool, node))
        case .maxPool(let a), .avgPool(let a):
            return TensorType(x.elementType, try pool(try image(x, node), a, node))
        case .globalAvgPool:
            let s = try image(x, node)
            return TensorType(x.elementType, .nhwc(s.n, 1, 1, s.c))
        case .concat:
            let s = try image(x, node)
            var channels = 0
            for other in inputs {
                let o = try image(other, node)
                guard o.n == s.n, o.h == s.h, o.w == s.w, other.elementType == x.elementType else {
                    throw .input("concat inputs disagree: \(x) and \(other)", node: node.name)
                }
                channels += o.c
            }
            return TensorType(x.elementType, .nhwc(s.n, s.h, s.w, channels))
        case .add:
            guard inputs[1] == x else {
                throw .input("add inputs disagree: \(x) and \(inputs[1])", node: node.name)
            }
            return x
        case .relu, .dropout:
            return x
        case .flatten:
            guard x.shape.rank >= 2 else {
                throw .input("flatten needs rank >= 2, got \(x.shape)", node: node.name)
            }
            let n = x.shape.dims[0]
            return TensorType(x.elementType, TensorShape([n, x.shape.elementCount / max(n, 1)]))
        case .softmax:
            return x
        case .activation:
            return x
        case .affine(let channels):
            let s = try image(x, node)
            guard s.c == channels, parameters.count == 2, parameters[0].shape == parameters[1].shape,
                  AffineBroadcast(parameter: parameters[0].shape, map: s) != nil else {
                throw .input("affine over \(channels) channels does not match input \(s) or its parameters", node: node.name)
            }
            return x
        case .pad(let p, let value):
            guard value.isFinite else { throw .input("pad value \(value) is not finite", node: node.name) }
            let s = try image(x, node)
            guard min(p.top, p.left, p.bottom, p.right) >= 0 else { throw .input("negative padding \(p)", node: node.name) }
            return TensorType(x.elementType, .nhwc(s.n, s.h + p.top + p.bottom, s.w + p.left + p.right, s.c))
        }
    }

    /// Output shape of a convolution (before any fused pool), checking its parameters.
    static func conv(_ s: TensorShape, _ a: Conv2DAttributes, _ parameters: [TensorType], _ node: Node) throws(Diagnostic) -> TensorShape {
        guard parameters.count == (a.hasBias ? 2 : 1) else {
            throw .input("convolution takes \(a.hasBias ? 2 : 1) parameter(s), got \(parameters.count)", node: node.name)
        }
        guard a.padding.top < a.kernel.h, a.padding.bottom < a.kernel.h, a.padding.left < a.kernel.w, a.padding.right < a.kernel.w else {
            throw .unsupported("padding \(a.padding) must be smaller than kernel \(a.kernel) (outputs made only of padding)", node: node.name)
        }
        guard a.groups >= 1, s.c % a.groups == 0, a.outChannels % a.groups == 0 else {
            throw .input("group \(a.groups) does not divide the \(s.c) input and \(a.outChannels) output channels", node: node.name)
        }
        let w = parameters[0].shape
        let expected = TensorShape([a.outChannels, a.kernel.h, a.kernel.w, a.groupInputChannels(s.c)])
        guard w == expected else {
            throw .input("weight shape \(w) does not match input \(s) (expected \(expected), OHWI)", node: node.name)
        }
        if a.hasBias, parameters[1].shape != TensorShape([a.outChannels]) {
            throw .input("bias shape \(parameters[1].shape) does not match \(a.outChannels) output channels", node: node.name)
        }
        guard let oh = OutputSize.conv(input: s.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let ow = OutputSize.conv(input: s.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else {
            throw .input("kernel \(a.kernel) with stride \(a.stride) does not fit input \(s)", node: node.name)
        }
        return .nhwc(s.n, oh, ow, a.outChannels)
    }

    static func pool(_ s: TensorShape, _ a: PoolAttributes, _ node: Node) throws(Diagnostic) -> TensorShape {
        guard a.padding.top < a.kernel.h, a.padding.bottom < a.kernel.h, a.padding.left < a.kernel.w, a.padding.right < a.kernel.w else {
            throw .input("padding \(a.padding) must be smaller than kernel \(a.kernel)", node: node.name)
        }
        guard let oh = OutputSize.pool(input: s.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom, ceilMode: a.ceilMode),
              let ow = OutputSize.pool(input: s.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right, ceilMode: a.ceilMode)
        else {
            throw .input("pool kernel \(a.kernel) with stride \(a.stride) does not fit input \(s)", node: node.name)
        }
        return .nhwc(s.n, oh, ow, s.c)
    }

    static func fusedPool(_ s: TensorShape, _ pool: FusedPool?, _ node: Node) throws(Diagnostic) -> TensorShape {
        switch pool {
        case nil: s
        case .max(let a): try self.pool(s, a, node)
        case .globalAverage: .nhwc(s.n, 1, 1, s.c)
        }
    }

    private static func image(_ type: TensorType, _ node: Node) throws(Diagnostic) -> TensorShape {
        guard type.shape.isActivation4D else {
            throw .input("expected a 4-D NHWC activation, got \(type.shape)", node: node.name)
        }
        return type.shape
    }
}

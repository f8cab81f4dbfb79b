import SqueezeIR
import SqueezeTensorIO

/// The conversion of each supported ONNX operator. A converter throws
/// `.unsupported` for what squeezec cannot compile (collected into one
/// report by the caller) and `.input` for a malformed model.
extension ONNXGraphConverter {
    /// Converts one node with its row of `ONNXOperatorTable`.
    mutating func convert(_ view: ONNXNodeView) throws(Diagnostic) {
        let domain = ONNXImporter.isDefaultDomain(view.proto.domain) ? "" : view.proto.domain
        guard let row = ONNXOperatorTable.row(domain: domain, opType: view.opType) else {
            let domains = Set(ONNXOperatorTable.rows.map(\.domain))
            guard domains.contains(domain) else {
                throw .unsupported("domain '\(MessageText.printable(view.proto.domain))' is not supported (only the default ONNX domain and com.microsoft's quantised operators)")
            }
            throw .unsupported("operator not supported")
        }
        do {
            try row.convert(&self, view)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw .internal("converter of \(view.opType) failed: \(error)", node: view.name)
        }
    }

    /// The node's first output (checked non-empty by the caller).
    func output(_ view: ONNXNodeView) -> String {
        view.outputs[0]
    }

    // MARK: Element-wise and simple ops

    mutating func convertUnary(_ view: ONNXNodeView, _ op: Op) throws(Diagnostic) {
        try view.requireInputs(1...1)
        let x = try activation(view.inputs[0], of: view)
        emit(Node(name: view.name, op: op, inputs: [x], output: output(view)))
    }

    mutating func convertAdd(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...2)
        if try foldDenseBias(view) { return }
        if view.inputs.contains(where: { constants[resolve($0)] != nil }) { return try convertArithmetic(view) }
        let a = try activation(view.inputs[0], of: view)
        let b = try activation(view.inputs[1], of: view)
        emit(Node(name: view.name, op: .add, inputs: [a, b], output: output(view)))
    }

    mutating func convertConcat(_ view: ONNXNodeView) throws(Diagnostic) {
        guard !view.inputs.isEmpty else { throw view.invalid("Concat has no input") }
        guard view.attribute("axis") != nil else { throw view.invalid("Concat has no 'axis' attribute") }
        let axis = try view.int("axis", default: 1)
        // squeezec concatenates 4-D tensors along channels: axis 1 (or -3).
        guard axis == 1 || axis == -3 else {
            throw .unsupported("axis=\(axis) is not supported (only the channel axis 1 of 4-D tensors)")
        }
        var inputs: [String] = []
        for name in view.inputs {
            guard !name.isEmpty else { throw view.invalid("Concat has an empty input name") }
            inputs.append(try activation(name, of: view))
        }
        emit(Node(name: view.name, op: .concat, inputs: inputs, output: output(view)))
    }

    /// Dropout at inference is the identity; kept as an IR dropout node (the
    /// pass pipeline removes it). Its mask output must be unused.
    mutating func convertDropout(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(1...3)
        let x = try activation(view.inputs[0], of: view)
        var ratio: Float = 0.5
        if opset < 12 {
            ratio = try view.float("ratio", default: 0.5)
        } else {
            if let name = view.input(1), let tensor = constants[resolve(name)],
               let values = try? tensor.floatValues(file: file, node: view.name), values.count == 1 {
                ratio = values[0]
            }
            if let name = view.input(2) {
                let mode = try constant(name, of: view)
                guard try isZeroScalar(mode, view) else {
                    throw .unsupported("training_mode is true; only inference is supported")
                }
            }
        }
        emit(Node(name: view.name, op: .dropout(ratio: ratio), inputs: [x], output: output(view)))
    }

    /// Identity: its output is another name for its input (see `aliases`).
    mutating func convertIdentity(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(1...1)
        let value = resolve(view.inputs[0])
        guard constants[value] != nil || defined.contains(value) else {
            throw view.invalid("input '\(MessageText.printable(view.inputs[0]))' is not a graph input, an initializer or the output of an earlier node")
        }
        if poisoned.contains(value) { poisoned.insert(output(view)) }
    }

    mutating func convertFlatten(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(1...1)
        let x = try activation(view.inputs[0], of: view)
        let axis = try view.int("axis", default: 1)
        guard axis == 1 || axis < 0 else {
            throw .unsupported("axis=\(axis) is not supported (only 1: [N, C*H*W])")
        }
        if axis < 0 { postChecks.append(.flattenAxis(node: nodes.count, axis: axis)) }
        emit(Node(name: view.name, op: .flatten, inputs: [x], output: output(view)))
    }

    /// Reshape to 2-D `[1, -1]`, `[0, -1]`, `[-1, C]` or `[1, C]`: the IR
    /// flatten (NCHW element order). `C` is checked after shape inference.
    mutating func convertReshape(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...2)
        let x = try activation(view.inputs[0], of: view)
        let target = try constant(view.inputs[1], of: view).int64Values(file: file, node: view.name)
        let allowZero = try view.int("allowzero", default: 0) != 0
        let shown = "[\(target.map(String.init).joined(separator: ", "))]"
        guard target.count == 2 else {
            throw .unsupported("Reshape to \(shown) is not supported (only flattening to [1, -1] or [1, C])")
        }
        let (rows, columns) = (target[0], target[1])
        guard rows == 1 || rows == -1 || (rows == 0 && !allowZero) else {
            throw .unsupported("Reshape to \(shown) is not supported (only flattening to [1, -1] or [1, C])")
        }
        guard columns > 0 || (columns == -1 && rows != -1) else {
            throw .unsupported("Reshape to \(shown) is not supported (only flattening to [1, -1] or [1, C])")
        }
        postChecks.append(.reshape(node: nodes.count, target: target, columns: columns > 0 ? columns : nil))
        emit(Node(name: view.name, op: .flatten, inputs: [x], output: output(view)))
    }

    mutating func convertSoftmax(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(1...1)
        let x = try activation(view.inputs[0], of: view)
        let axis = try view.int("axis", default: opset < 13 ? 1 : -1)
        guard axis == 1 || axis == -1 else {
            throw .unsupported("axis=\(axis) is not supported (only the last axis of a 2-D tensor)")
        }
        postChecks.append(.softmax(node: nodes.count))
        emit(Node(name: view.name, op: .softmax, inputs: [x], output: output(view)))
    }

    /// Constant: its value joins the constants (for Reshape shapes, or
    /// weights); it makes no IR node.
    mutating func convertConstant(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(0...0)
        guard view.proto.attributes.count == 1, let a = view.proto.attributes.first else {
            throw view.invalid("Constant needs exactly one attribute, got \(view.proto.attributes.count)")
        }
        var tensor = ONNXProto.Tensor()
        switch a.name {
        case "value":
            guard a.kind == .tensor, let t = a.t else { throw view.invalid("attribute 'value' should be TENSOR, got \(a.typeName)") }
            tensor = t
        case "value_float":
            tensor.dataType = ONNXDataType.float
            tensor.floatData = [try view.float("value_float", default: 0)]
        case "value_floats":
            guard a.kind == .floats || a.kind == nil else { throw view.invalid("attribute 'value_floats' should be FLOATS, got \(a.typeName)") }
            tensor.dataType = ONNXDataType.float
            tensor.dims = [Int64(a.floats.count)]
            tensor.floatData = a.floats
        case "value_int":
            tensor.dataType = ONNXDataType.int64
            tensor.int64Data = [try view.int("value_int", default: 0)]
        case "value_ints":
            tensor.dataType = ONNXDataType.int64
            let values = try view.ints("value_ints") ?? []
            tensor.dims = [Int64(values.count)]
            tensor.int64Data = values
        default:
            throw .unsupported("Constant with attribute '\(MessageText.printable(a.name))' is not supported")
        }
        tensor.name = output(view)
        constants[output(view)] = tensor
    }

    // MARK: Convolution and pooling

    mutating func convertConv(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...3)
        let x = try activation(view.inputs[0], of: view)
        try emitConv(view, input: x, weightInput: view.inputs[1], biasInput: view.input(2))
    }

    /// A Conv (or QLinearConv) node reading activation `input`, with the
    /// weight and optional bias constants (float, or dequantised; the
    /// model's integer codes are recorded by `recordQuantizedConv`).
    mutating func emitConv(_ view: ONNXNodeView, input x: String, weightInput: String, biasInput: String?) throws(Diagnostic) {
        let weightName = resolve(weightInput)
        let weight = try constant(weightInput, of: view)
        let group = try view.int("group", default: 1)
        guard group >= 1, group <= ONNXLimits.maxSpatial * ONNXLimits.maxSpatial else { throw view.invalid("group must be positive, got \(group)") }
        try view.requireUnitDilations()
        guard weight.dims.count == 4 else {
            throw .unsupported("only 2-D convolutions are supported; the weight has shape \(weight.dims)")
        }
        let values = try weight.floatValues(file: file, node: view.name)
        let (dims, _) = try weight.checkedShape(file: file, node: view.name)
        let (o, i, kh, kw) = (dims[0], dims[1], dims[2], dims[3])
        guard o > 0, i > 0, kh > 0, kw > 0 else {
            throw view.invalid("weight '\(MessageText.printable(weightName))' has an empty shape \(dims)")
        }
        let limit = ONNXLimits.maxSpatial
        if let kernel = try view.sizes("kernel_shape", count: 2, range: 1...limit, default: nil), kernel != [kh, kw] {
            throw view.invalid("kernel_shape \(kernel) does not match the weight's \([kh, kw]) (weight shape \(dims), OIHW)")
        }
        let strides = try view.sizes("strides", count: 2, range: 1...limit, default: [1, 1]) ?? [1, 1]
        var pads = try view.sizes("pads", count: 4, range: 0...limit, default: [0, 0, 0, 0]) ?? [0, 0, 0, 0]
        if let automatic = try autoPads(view, input: x, kernel: [Int(kh), Int(kw)], strides: strides) { pads = automatic }

        var parameters = [store(Tensor(shape: TensorShape([o, kh, kw, i]), floats: Layout.oihwToOHWI(values, o: o, i: i, kh: kh, kw: kw)),
                                as: weightName, reuse: true)]
        if let biasInput {
            let bias = try constant(biasInput, of: view)
            let biasValues = try bias.floatValues(file: file, node: view.name)
            guard bias.dims == [Int64(o)] else {
                throw view.invalid("bias '\(MessageText.printable(biasInput))' has shape \(bias.dims), expected [\(o)]")
            }
            parameters.append(store(Tensor(shape: TensorShape([o]), floats: biasValues), as: resolve(biasInput), reuse: true))
        }
        try recordQuantizedConv(view, weight: weightName, storedWeight: parameters[0], bias: biasInput.map(resolve),
                                storedBias: parameters.count == 2 ? parameters[1] : nil)
        let attributes = Conv2DAttributes(
            outChannels: o, kernel: Size2(kh, kw), stride: Size2(strides[0], strides[1]),
            padding: Padding(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3]),
            hasBias: parameters.count == 2, groups: Int(group))
        guard o % Int(group) == 0 else {
            throw view.invalid("group=\(group) does not divide the \(o) output channels of weight '\(MessageText.printable(weightName))'")
        }
        emit(Node(name: view.name, op: .conv2d(attributes), inputs: [x], parameters: parameters, output: output(view)))
    }

    mutating func convertPool(_ view: ONNXNodeView, max: Bool) throws(Diagnostic) {
        try view.requireInputs(1...1)
        let x = try activation(view.inputs[0], of: view)
        try view.requireUnitDilations()
        if max {
            let order = try view.int("storage_order", default: 0)
            guard order == 0 else { throw .unsupported("storage_order=\(order) is not supported (only 0)") }
        }
        guard let kernelValues = try view.ints("kernel_shape") else {
            throw view.invalid("\(view.opType) has no 'kernel_shape' attribute")
        }
        guard kernelValues.count == 2 else {
            throw .unsupported("only 2-D pooling is supported; kernel_shape is \(kernelValues)")
        }
        let limit = ONNXLimits.maxSpatial
        let kernel = try view.sizes("kernel_shape", count: 2, range: 1...limit, default: nil) ?? [1, 1]
        let strides = try view.sizes("strides", count: 2, range: 1...limit, default: [1, 1]) ?? [1, 1]
        var pads = try view.sizes("pads", count: 4, range: 0...limit, default: [0, 0, 0, 0]) ?? [0, 0, 0, 0]
        if let automatic = try autoPads(view, input: x, kernel: kernel, strides: strides) { pads = automatic }
        let ceilMode = try view.int("ceil_mode", default: 0)
        guard ceilMode == 0 || ceilMode == 1 else { throw view.invalid("ceil_mode must be 0 or 1, got \(ceilMode)") }
        var countIncludePad: Int64 = 0
        if !max {
            countIncludePad = try view.int("count_include_pad", default: 0)
            guard countIncludePad == 0 || countIncludePad == 1 else {
                throw view.invalid("count_include_pad must be 0 or 1, got \(countIncludePad)")
            }
        }
        let attributes = PoolAttributes(
            kernel: Size2(kernel[0], kernel[1]), stride: Size2(strides[0], strides[1]),
            padding: Padding(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3]),
            ceilMode: ceilMode == 1, countIncludePad: countIncludePad == 1)
        emit(Node(name: view.name, op: max ? .maxPool(attributes) : .avgPool(attributes), inputs: [x], output: output(view)))
    }

    // MARK: Batch normalization

    /// Folds an inference BatchNormalization into the Conv that produces its
    /// input, when that Conv's output is read by nothing else:
    /// `w' = w * s`, `b' = (b - mean) * s + beta` with `s = gamma / sqrt(var + eps)`.
    mutating func convertBatchNorm(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(5...5)
        if opset >= 14 {
            let training = try view.int("training_mode", default: 0)
            guard training == 0 else { throw .unsupported("training_mode=1 is not supported (inference only)") }
        }
        let x = resolve(view.inputs[0])
        if poisoned.contains(x) {
            // The node before is unsupported and already reported.
            poisoned.insert(output(view))
            defined.insert(output(view))
            return
        }
        _ = try activation(view.inputs[0], of: view)
        guard let index = producers[x], case .conv2d(var conv) = nodes[index].op, nodes[index].output == x,
              uses[x] == [view.index] else {
            // Not right after a Conv (or the Conv's output is read elsewhere): a per-channel affine op.
            return try convertBatchNormAffine(view, x)
        }
        let channels = conv.outChannels
        var parameters: [[Float]] = []
        for (position, label) in ["scale", "B", "mean", "var"].enumerated() {
            let name = view.inputs[position + 1]
            let tensor = try constant(name, of: view)
            let values = try tensor.floatValues(file: file, node: view.name)
            guard values.count == channels, tensor.dims.count == 1 else {
                throw view.invalid("\(label) '\(MessageText.printable(name))' has shape \(tensor.dims); the Conv has \(channels) output channels")
            }
            parameters.append(values)
        }
        let epsilon = Double(try view.float("epsilon", default: 1e-5))
        let (gamma, beta, mean, variance) = (parameters[0], parameters[1], parameters[2], parameters[3])
        var scales: [Double] = []
        for c in 0..<channels {
            let denominator = Double(variance[c]) + epsilon
            guard denominator > 0, denominator.isFinite else {
                throw view.invalid("var + epsilon is \(denominator) for channel \(c); it must be positive")
            }
            scales.append(Double(gamma[c]) / denominator.squareRoot())
        }

        let convNode = nodes[index]
        guard let weight = irConstants[convNode.parameters[0]], var w = weight.floats else {
            throw .internal("convolution weight '\(convNode.parameters[0])' is missing", node: convNode.name)
        }
        let bias = conv.hasBias ? irConstants[convNode.parameters[1]]?.floats : [Float](repeating: 0, count: channels)
        guard let bias, bias.count == channels else {
            throw .internal("convolution bias is missing", node: convNode.name)
        }
        // OHWI: the weights of output channel c are one contiguous block.
        let block = w.count / channels
        for c in 0..<channels {
            for k in (c * block)..<((c + 1) * block) {
                w[k] = Float(Double(w[k]) * scales[c])
            }
        }
        let b = (0..<channels).map { c in Float((Double(bias[c]) - Double(mean[c])) * scales[c] + Double(beta[c])) }

        let weightName = store(Tensor(shape: weight.shape, floats: w), as: "\(convNode.name).weight_bn", reuse: false)
        let biasName = store(Tensor(shape: TensorShape([channels]), floats: b), as: "\(convNode.name).bias_bn", reuse: false)
        conv.hasBias = true
        let y = output(view)
        nodes[index].op = .conv2d(conv)
        nodes[index].parameters = [weightName, biasName]
        nodes[index].output = y
        nodes[index].fusedFrom = [convNode.name, view.name]
        producers[x] = nil
        producers[y] = index
        defined.insert(y)
    }

    /// True when a constant scalar (BOOL, integer or float) is zero/false.
    func isZeroScalar(_ tensor: ONNXProto.Tensor, _ view: ONNXNodeView) throws(Diagnostic) -> Bool {
        let (_, count) = try tensor.checkedShape(file: file, node: view.name)
        guard count == 1 else { throw view.invalid("\(tensor.label) should be a scalar, has shape \(tensor.dims)") }
        switch tensor.dataType {
        case 9:  // BOOL: one byte in raw_data, or int32_data
            if let raw = tensor.rawData { return raw.allSatisfy { $0 == 0 } }
            return tensor.int32Data.allSatisfy { $0 == 0 }
        case ONNXDataType.float:
            return try tensor.floatValues(file: file, node: view.name).allSatisfy { $0 == 0 }
        default:
            return try tensor.int64Values(file: file, node: view.name).allSatisfy { $0 == 0 }
        }
    }
}

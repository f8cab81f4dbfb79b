import SqueezeIR
import SqueezeTensorIO

/// A quantised constant as the model stores it (a DequantizeLinear of an
/// initializer, or a QLinearConv weight or bias), in the ONNX layout.
struct ONNXQuantizedConstant {
    /// int8-domain codes (uint8 shifted by -128), or int32 bias codes.
    var codes: [Int32]
    var scales: [Float]
    /// int8-domain zero points, one per scale.
    var zeroPoints: [Int32]
    /// The per-channel axis (normalised to >= 0), when there are several scales.
    var axis: Int
    var dims: [Int]
    var isInt32: Bool
}

/// Already-quantised models: QuantizeLinear/DequantizeLinear (QDQ) and the
/// QLinear* operators (QOperator). The importer builds the float graph the
/// model stands for (weights dequantised) and records the model's own
/// quantisation on the graph (`ImportedQuantization`); Q/DQ pairs on
/// activations become aliases (see `collectUses`).
extension ONNXGraphConverter {
    /// Q and DQ nodes whose data input is an activation are aliases.
    static func isActivationQDQ(_ view: ONNXNodeView, constants: [String: ONNXProto.Tensor], resolve: (String) -> String) -> Bool {
        guard ONNXImporter.isDefaultDomain(view.proto.domain), view.opType == "QuantizeLinear" || view.opType == "DequantizeLinear",
              let input = view.input(0) else { return false }
        return constants[resolve(input)] == nil
    }

    // MARK: Parameters

    /// Per-tensor activation parameters from a scale and an optional zero
    /// point (absent: uint8 0), in squeezec's int8 domain.
    func activationParams(_ view: ONNXNodeView, scale: String, zeroPoint: String?) throws(Diagnostic) -> QuantParams {
        let s = try constant(scale, of: view).floatValues(file: file, node: view.name)
        var zp: Int32 = -128
        if let zeroPoint {
            let tensor = try constant(zeroPoint, of: view)
            let values = try tensor.byteValues(file: file, node: view.name)
            guard values.count == 1 else {
                throw .unsupported("activation zero point '\(MessageText.printable(zeroPoint))' has \(values.count) values; squeezec quantises activations per tensor")
            }
            zp = tensor.isUInt8 ? values[0] - 128 : values[0]
        }
        guard s.count == 1 else {
            throw .unsupported("activation scale '\(MessageText.printable(scale))' has \(s.count) values; squeezec quantises activations per tensor")
        }
        guard s[0].isFinite, s[0] > 0 else { throw view.invalid("scale '\(MessageText.printable(scale))' is \(s[0]); it must be positive") }
        return QuantParams(scale: s[0], zeroPoint: zp)
    }

    /// Records the parameters of an activation value; a value has one set.
    mutating func record(_ value: String, _ params: QuantParams, format: String) throws(Diagnostic) {
        if quantizationFormat == nil || format == "QOperator" { quantizationFormat = format }
        if let existing = valueParams[value], existing != params {
            throw .unsupported("value '\(MessageText.printable(value))' is quantised twice, with \(existing) and \(params); squeezec needs one scale and zero point per value")
        }
        valueParams[value] = params
    }

    /// A quantised initializer with its scales and zero points.
    func quantizedConstant(_ view: ONNXNodeView, data: String, scale: String, zeroPoint: String?, axis: Int64,
                           int32Allowed: Bool) throws(Diagnostic) -> ONNXQuantizedConstant {
        let tensor = try constant(data, of: view)
        let (dims, _) = try tensor.checkedShape(file: file, node: view.name)
        let isInt32 = tensor.dataType == ONNXDataType.int32
        let codes: [Int32]
        if isInt32 {
            guard int32Allowed else {
                throw .unsupported("\(tensor.label) is INT32; only biases may be INT32 (weights must be INT8 or UINT8)")
            }
            codes = try tensor.int64Values(file: file, node: view.name).map { Int32($0) }
        } else {
            let raw = try tensor.byteValues(file: file, node: view.name)
            codes = tensor.isUInt8 ? raw.map { $0 - 128 } : raw
        }
        let scales = try constant(scale, of: view).floatValues(file: file, node: view.name)
        var zeroPoints = [Int32](repeating: isInt32 ? 0 : (tensor.isUInt8 ? -128 : 0), count: scales.count)
        if let zeroPoint {
            let zpTensor = try constant(zeroPoint, of: view)
            if isInt32 {
                zeroPoints = try zpTensor.int64Values(file: file, node: view.name).map { Int32(truncatingIfNeeded: $0) }
            } else {
                let raw = try zpTensor.byteValues(file: file, node: view.name)
                guard zpTensor.dataType == tensor.dataType else {
                    throw view.invalid("zero point '\(MessageText.printable(zeroPoint))' is \(ONNXDataType.name(zpTensor.dataType)) but the data is \(ONNXDataType.name(tensor.dataType))")
                }
                zeroPoints = zpTensor.isUInt8 ? raw.map { $0 - 128 } : raw
            }
            guard zeroPoints.count == scales.count else {
                throw view.invalid("zero point '\(MessageText.printable(zeroPoint))' has \(zeroPoints.count) values for \(scales.count) scales")
            }
        }
        let normalised = axis < 0 ? axis + Int64(dims.count) : axis
        if scales.count != 1 {
            guard normalised >= 0, normalised < Int64(dims.count), dims[Int(normalised)] == scales.count else {
                throw view.invalid("\(scales.count) scales do not match axis \(axis) of \(tensor.label) with shape \(dims)")
            }
        }
        for s in scales where !(s.isFinite && s > 0) {
            throw view.invalid("scale '\(MessageText.printable(scale))' holds \(s); scales must be positive")
        }
        return ONNXQuantizedConstant(codes: codes, scales: scales, zeroPoints: zeroPoints, axis: Int(max(normalised, 0)), dims: dims,
                                     isInt32: isInt32)
    }

    /// The float tensor a quantised constant stands for.
    func dequantized(_ q: ONNXQuantizedConstant, name: String) -> ONNXProto.Tensor {
        var tensor = ONNXProto.Tensor()
        tensor.name = name
        tensor.dataType = ONNXDataType.float
        tensor.dims = q.dims.map { Int64($0) }
        let inner = q.scales.count == 1 ? 1 : q.dims[(q.axis + 1)...].reduce(1, *)
        tensor.floatData = q.codes.indices.map { i in
            let c = q.scales.count == 1 ? 0 : (i / inner) % q.scales.count
            return q.scales[c] * Float(q.codes[i] - q.zeroPoints[c])
        }
        return tensor
    }

    // MARK: QDQ

    mutating func convertQuantizeLinear(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...3)
        try requirePlainQDQ(view)
        let x = resolve(view.inputs[0])
        guard constants[x] == nil else {
            throw .unsupported("QuantizeLinear of a constant is not supported (store the quantised constant and a DequantizeLinear)")
        }
        if poisoned.contains(x) { return }
        _ = try activation(view.inputs[0], of: view)
        try record(x, try activationParams(view, scale: view.inputs[1], zeroPoint: view.input(2)), format: "QDQ")
    }

    mutating func convertDequantizeLinear(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...3)
        try requirePlainQDQ(view)
        let x = resolve(view.inputs[0])
        if constants[x] != nil {
            let q = try quantizedConstant(view, data: view.inputs[0], scale: view.inputs[1], zeroPoint: view.input(2),
                                          axis: try view.int("axis", default: 1), int32Allowed: true)
            if quantizationFormat == nil { quantizationFormat = "QDQ" }
            quantizedConstants[output(view)] = q
            constants[output(view)] = dequantized(q, name: output(view))
            return
        }
        if poisoned.contains(x) { return }
        _ = try activation(view.inputs[0], of: view)
        try record(x, try activationParams(view, scale: view.inputs[1], zeroPoint: view.input(2)), format: "QDQ")
    }

    /// No blocked quantisation, no float8/int4/int16 output types.
    func requirePlainQDQ(_ view: ONNXNodeView) throws(Diagnostic) {
        let block = try view.int("block_size", default: 0)
        guard block == 0 else { throw .unsupported("block_size=\(block) (blocked quantisation) is not supported") }
        let outputType = try view.int("output_dtype", default: 0)
        guard outputType == 0 || outputType == 2 || outputType == 3 else {
            throw .unsupported("output_dtype \(ONNXDataType.name(outputType)) is not supported (only INT8 and UINT8)")
        }
    }

    // MARK: QOperator

    /// QLinearConv: x, x_scale, x_zero_point, w, w_scale, w_zero_point,
    /// y_scale, y_zero_point[, B (int32)].
    mutating func convertQLinearConv(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(8...9)
        let x = try activation(view.inputs[0], of: view)
        let xParams = try activationParams(view, scale: view.inputs[1], zeroPoint: view.inputs[2])
        let weight = try quantizedConstant(view, data: view.inputs[3], scale: view.inputs[4], zeroPoint: view.inputs[5], axis: 0,
                                           int32Allowed: false)
        let yParams = try activationParams(view, scale: view.inputs[6], zeroPoint: view.inputs[7])
        let weightName = resolve(view.inputs[3])
        quantizedConstants[weightName] = weight
        constants[weightName] = dequantized(weight, name: weightName)
        var biasName: String?
        if let b = view.input(8) {
            let name = resolve(b)
            let codes = try constant(b, of: view).int64Values(file: file, node: view.name).map { Int32(truncatingIfNeeded: $0) }
            let channels = weight.dims.first ?? 0
            guard codes.count == channels else {
                throw view.invalid("bias '\(MessageText.printable(b))' has \(codes.count) values for \(channels) output channels")
            }
            let scales = (0..<channels).map { xParams.scale * weight.scales[weight.scales.count == 1 ? 0 : $0] }
            let q = ONNXQuantizedConstant(codes: codes, scales: scales, zeroPoints: [Int32](repeating: 0, count: channels), axis: 0,
                                          dims: [channels], isInt32: true)
            quantizedConstants[name] = q
            constants[name] = dequantized(q, name: name)
            biasName = b
        }
        try record(x, xParams, format: "QOperator")
        try emitConv(view, input: x, weightInput: view.inputs[3], biasInput: biasName)
        try record(output(view), yParams, format: "QOperator")
    }

    /// com.microsoft QLinearAdd: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp.
    mutating func convertQLinearAdd(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(7...8)
        let a = try activation(view.inputs[0], of: view)
        let b = try activation(view.inputs[3], of: view)
        try record(a, try activationParams(view, scale: view.inputs[1], zeroPoint: view.input(2)), format: "QOperator")
        try record(b, try activationParams(view, scale: view.inputs[4], zeroPoint: view.input(5)), format: "QOperator")
        let c = try activationParams(view, scale: view.inputs[6], zeroPoint: view.input(7))
        emit(Node(name: view.name, op: .add, inputs: [a, b], output: output(view)))
        try record(output(view), c, format: "QOperator")
    }

    /// com.microsoft QLinearConcat: Y_scale, Y_zp, then (X, X_scale, X_zp) per input.
    mutating func convertQLinearConcat(_ view: ONNXNodeView) throws(Diagnostic) {
        guard view.inputs.count >= 5, (view.inputs.count - 2) % 3 == 0 else {
            throw view.invalid("QLinearConcat takes Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples, got \(view.inputs.count) inputs")
        }
        let axis = try view.int("axis", default: 1)
        guard axis == 1 || axis == -3 else {
            throw .unsupported("axis=\(axis) is not supported (only the channel axis 1 of 4-D tensors)")
        }
        let y = try activationParams(view, scale: view.inputs[0], zeroPoint: view.inputs[1])
        var inputs: [String] = []
        for start in stride(from: 2, to: view.inputs.count, by: 3) {
            let x = try activation(view.inputs[start], of: view)
            try record(x, try activationParams(view, scale: view.inputs[start + 1], zeroPoint: view.inputs[start + 2]), format: "QOperator")
            inputs.append(x)
        }
        emit(Node(name: view.name, op: .concat, inputs: inputs, output: output(view)))
        try record(output(view), y, format: "QOperator")
    }

    /// com.microsoft QLinearGlobalAveragePool: X, x_scale, x_zp, y_scale, y_zp (NCHW).
    mutating func convertQLinearGlobalAveragePool(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(5...5)
        let channelsLast = try view.int("channels_last", default: 0)
        guard channelsLast == 0 else { throw .unsupported("channels_last=\(channelsLast) is not supported (NCHW only)") }
        let x = try activation(view.inputs[0], of: view)
        try record(x, try activationParams(view, scale: view.inputs[1], zeroPoint: view.inputs[2]), format: "QOperator")
        let y = try activationParams(view, scale: view.inputs[3], zeroPoint: view.inputs[4])
        emit(Node(name: view.name, op: .globalAvgPool, inputs: [x], output: output(view)))
        try record(output(view), y, format: "QOperator")
    }

    // MARK: Convolution weights

    /// The model's integer weight (OHWI) and bias of a convolution whose
    /// weight input is quantised; nothing for a float convolution.
    mutating func recordQuantizedConv(_ view: ONNXNodeView, weight: String, storedWeight: String, bias: String?,
                                      storedBias: String?) throws(Diagnostic) {
        guard let w = quantizedConstants[weight] else { return }
        guard w.dims.count == 4 else { return }
        let (o, i, kh, kw) = (w.dims[0], w.dims[1], w.dims[2], w.dims[3])
        if w.scales.count != 1 && w.axis != 0 {
            throw .unsupported("the weight is quantised per channel along axis \(w.axis); squeezec supports per-channel weights along axis 0 (output channels) only")
        }
        guard w.zeroPoints.allSatisfy({ $0 == 0 }) else {
            throw .unsupported("the weight has a non-zero zero point (asymmetric weights); squeezec needs symmetric int8 weights (zero point 0, or 128 for UINT8)")
        }
        let ohwi = Layout.oihwToOHWI(w.codes.map { Float($0) }, o: o, i: i, kh: kh, kw: kw).map { Int8($0) }
        let scales = w.scales.count == 1 ? [Float](repeating: w.scales[0], count: o) : w.scales
        importedWeights[storedWeight] = QuantizedWeight(codes: ohwi, scales: scales, perChannel: w.scales.count != 1)
        if let bias, let storedBias, let b = quantizedConstants[bias] {
            guard b.isInt32, b.zeroPoints.allSatisfy({ $0 == 0 }) else {
                throw .unsupported("the bias must be INT32 with zero point 0 to be used as integers")
            }
            let scales = b.scales.count == 1 ? [Float](repeating: b.scales[0], count: o) : b.scales
            importedBiases[storedBias] = QuantizedBias(codes: b.codes, scales: scales)
        }
    }
}

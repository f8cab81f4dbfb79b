import SqueezeIR
import SqueezeTensorIO

/// Conversions of the common ops of SqueezeNet-family networks beyond the
/// paper's: Clip, LeakyRelu, Sigmoid (`.activation`, or `.relu` for
/// Clip(0, +inf)), BatchNormalization not right after a Conv and
/// Mul/Add/Sub/Div by a constant (`.affine`), Pad (`.pad`), and `auto_pad`
/// of Conv, MaxPool and AveragePool resolved to explicit pads. The op
/// strings are dispatched in `ONNXOperators.swift`.
extension ONNXGraphConverter {
    // MARK: Activations

    /// Clip: optional constant inputs 1 and 2 (`min`, `max`; the importer
    /// reads opsets 11+, where they are inputs, not attributes). Unbounded
    /// sides are +-FLT_MAX.
    mutating func convertClip(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(1...3)
        let x = try activation(view.inputs[0], of: view)
        var lo = -Float.greatestFiniteMagnitude, hi = Float.greatestFiniteMagnitude
        if let name = view.input(1) { lo = try scalar(name, "min", of: view) }
        if let name = view.input(2) { hi = try scalar(name, "max", of: view) }
        guard !lo.isNaN, !hi.isNaN else { throw view.invalid("Clip bounds must not be NaN") }
        lo = max(lo, -Float.greatestFiniteMagnitude)
        hi = min(hi, Float.greatestFiniteMagnitude)
        let op: Op = lo == 0 && hi == Float.greatestFiniteMagnitude ? .relu : .activation(.clip(min: lo, max: hi))
        emit(Node(name: view.name, op: op, inputs: [x], output: output(view)))
    }

    mutating func convertLeakyRelu(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(1...1)
        let x = try activation(view.inputs[0], of: view)
        let alpha = try view.float("alpha", default: 0.01)
        guard alpha.isFinite else { throw view.invalid("LeakyRelu alpha must be finite, got \(alpha)") }
        emit(Node(name: view.name, op: .activation(.leakyRelu(alpha: alpha)), inputs: [x], output: output(view)))
    }

    /// A constant scalar float input (Clip bounds).
    func scalar(_ name: String, _ label: String, of view: ONNXNodeView) throws(Diagnostic) -> Float {
        let value = resolve(name)
        guard let tensor = constants[value] else {
            if defined.contains(value) {
                throw .unsupported("Clip \(label) '\(MessageText.printable(name))' is computed; only constant bounds are supported")
            }
            throw view.invalid("input '\(MessageText.printable(name))' is not a graph input, an initializer or the output of an earlier node")
        }
        let values = try tensor.floatValues(file: file, node: view.name)
        guard values.count == 1 else { throw view.invalid("Clip \(label) must be a scalar, has shape \(tensor.dims)") }
        return values[0]
    }

    // MARK: Per-channel affine

    /// Mul, Add, Sub, Div with one constant operand that broadcasts to the
    /// input `[1, C, H, W]` (each axis 1 or the input's, numpy's rule):
    /// scalar or per channel (`[C,1,1]`, ...) give per-channel parameters,
    /// a constant along H and/or W too gives `[h, w, C]` ones (channels
    /// expanded; `AffineBroadcast`). `c / x` is refused (not affine in x;
    /// `c - x` is `-1 * x + c`).
    mutating func convertArithmetic(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...2)
        let constantFirst = constants[resolve(view.inputs[0])] != nil
        let constantSecond = constants[resolve(view.inputs[1])] != nil
        guard constantFirst != constantSecond else {
            if constantFirst { throw .unsupported("both inputs of \(view.opType) are constants; fold them before export") }
            throw .unsupported("\(view.opType) of two computed tensors is not supported (only by a constant)")
        }
        let x = try activation(view.inputs[constantFirst ? 1 : 0], of: view)
        let name = view.inputs[constantFirst ? 0 : 1]
        let tensor = try constant(name, of: view)
        let values = try tensor.floatValues(file: file, node: view.name)
        let (dims, count) = try tensor.checkedShape(file: file, node: view.name)
        guard let channels = try channelCount(x), let map = try spatialShape(x) else { return poison(view) }
        // Broadcast against NCHW, right-aligned: every axis 1 or the input's.
        let padded = [Int](repeating: 1, count: max(0, 4 - dims.count)) + dims
        guard padded.count == 4, padded[0] == 1, padded[1] == 1 || padded[1] == channels, padded[2] == 1 || padded[2] == map.h,
              padded[3] == 1 || padded[3] == map.w, count >= 1 else {
            throw .unsupported("\(view.opType) by a constant of shape \(dims) is not supported (only one that broadcasts to the input "
                               + "[1, \(channels), \(map.h), \(map.w)])")
        }
        let (byChannel, rows, columns) = (padded[1] > 1, padded[2], padded[3])
        // NHWC parameters: [C], or [rows, columns, C] with the channels expanded.
        var c: [Float] = []
        c.reserveCapacity(rows * columns * channels)
        for r in 0..<rows {
            for col in 0..<columns {
                for k in 0..<channels { c.append(values[((byChannel ? k : 0) * rows + r) * columns + col]) }
            }
        }
        let parameterShape = rows == 1 && columns == 1 ? TensorShape([channels]) : TensorShape([rows, columns, channels])
        var scale = [Float](repeating: 1, count: c.count), shift = [Float](repeating: 0, count: c.count)
        switch (view.opType, constantFirst) {
        case ("Mul", _): scale = c
        case ("Add", _): shift = c
        case ("Sub", false): shift = c.map { -$0 }
        case ("Sub", true): scale = scale.map { -$0 }; shift = c
        case ("Div", false):
            guard c.allSatisfy({ $0 != 0 }) else { throw .unsupported("Div by a constant with a zero is not supported") }
            scale = c.map { 1 / $0 }
        default:
            throw .unsupported("\(view.opType) of a constant by a computed tensor is not supported")
        }
        try emitAffine(view, x, scale: scale, shift: shift, shape: parameterShape)
    }

    /// BatchNormalization that cannot be folded into a Conv: `y = x * s + (beta - mean * s)`
    /// with `s = gamma / sqrt(var + eps)`.
    mutating func convertBatchNormAffine(_ view: ONNXNodeView, _ x: String) throws(Diagnostic) {
        guard try channelCount(x) != nil else { return poison(view) }
        var parameters: [[Float]] = []
        for (position, label) in ["scale", "B", "mean", "var"].enumerated() {
            let name = view.inputs[position + 1]
            let tensor = try constant(name, of: view)
            let values = try tensor.floatValues(file: file, node: view.name)
            guard tensor.dims.count == 1, values.count == parameters.first?.count ?? values.count else {
                throw view.invalid("\(label) '\(MessageText.printable(name))' has shape \(tensor.dims); expected one value per channel")
            }
            parameters.append(values)
        }
        let epsilon = Double(try view.float("epsilon", default: 1e-5))
        var scale: [Float] = [], shift: [Float] = []
        for c in parameters[0].indices {
            let denominator = Double(parameters[3][c]) + epsilon
            guard denominator > 0, denominator.isFinite else {
                throw view.invalid("var + epsilon is \(denominator) for channel \(c); it must be positive")
            }
            let s = Double(parameters[0][c]) / denominator.squareRoot()
            scale.append(Float(s))
            shift.append(Float(Double(parameters[1][c]) - Double(parameters[2][c]) * s))
        }
        try emitAffine(view, x, scale: scale, shift: shift)
    }

    /// `shape`: `[C]` (per channel, the default) or `[h, w, C]`.
    mutating func emitAffine(_ view: ONNXNodeView, _ x: String, scale: [Float], shift: [Float], shape: TensorShape? = nil) throws(Diagnostic) {
        guard scale.allSatisfy({ $0.isFinite }), shift.allSatisfy({ $0.isFinite }) else {
            throw view.invalid("\(view.opType) has non-finite constants")
        }
        let shape = shape ?? TensorShape([scale.count])
        let s = store(Tensor(shape: shape, floats: scale), as: "\(view.name).scale", reuse: false)
        let t = store(Tensor(shape: shape, floats: shift), as: "\(view.name).shift", reuse: false)
        emit(Node(name: view.name, op: .affine(channels: shape.dims.last ?? 0), inputs: [x], parameters: [s, t], output: output(view)))
    }

    // MARK: Pad

    /// Pad, constant mode with value 0, height and width only: inputs `pads`,
    /// `constant_value` and (opset 18+) `axes` (the importer reads opsets 11+).
    mutating func convertPad(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...4)
        let x = try activation(view.inputs[0], of: view)
        guard try channelCount(x) != nil else { return poison(view) }
        let mode = try view.string("mode") ?? "constant"
        guard mode == "constant" else {
            throw .unsupported("mode=\(MessageText.printable(mode)) is not supported (only constant padding)")
        }
        let pads: [Int64]
        var value: Float = 0
        var axes: [Int64] = [0, 1, 2, 3]
        guard let name = view.input(1) else { throw view.invalid("Pad has no 'pads' input") }
        pads = try constant(name, of: view).int64Values(file: file, node: view.name)
        if let name = view.input(2) {
            let tensor = try constant(name, of: view)
            let values = try tensor.floatValues(file: file, node: view.name)
            guard values.count == 1 else { throw view.invalid("constant_value must be a scalar, has shape \(tensor.dims)") }
            value = values[0]
        }
        if let name = view.input(3) {
            axes = try constant(name, of: view).int64Values(file: file, node: view.name).map { $0 < 0 ? $0 + 4 : $0 }
        }
        guard value.isFinite else { throw view.invalid("constant_value \(value) is not finite") }
        guard pads.count == 2 * axes.count, axes.allSatisfy({ (0..<4).contains($0) }) else {
            throw view.invalid("pads \(pads) do not match \(axes.count) axes of a 4-D input")
        }
        var begin = [Int64](repeating: 0, count: 4), end = [Int64](repeating: 0, count: 4)
        for (i, axis) in axes.enumerated() {
            begin[Int(axis)] = pads[i]
            end[Int(axis)] = pads[i + axes.count]
        }
        guard begin[0] == 0, end[0] == 0, begin[1] == 0, end[1] == 0 else {
            throw .unsupported("pads \(pads) pad the batch or channel axis (only height and width)")
        }
        guard (begin + end).allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.maxSpatial }) else {
            throw .unsupported("pads \(pads) are not supported (only non-negative padding, no cropping)")
        }
        let padding = Padding(top: Int(begin[2]), left: Int(begin[3]), bottom: Int(end[2]), right: Int(end[3]))
        emit(Node(name: view.name, op: .pad(padding, value: value), inputs: [x], output: output(view)))
    }

    // MARK: auto_pad

    /// Explicit pads `[top, left, bottom, right]` for `auto_pad` SAME_UPPER,
    /// SAME_LOWER or VALID (nil for NOTSET or absent: use `pads`).
    /// SAME: output `ceil(in / stride)`, total padding
    /// `max((out - 1) * stride + kernel - in, 0)`, the odd one at the end
    /// (UPPER) or the beginning (LOWER).
    mutating func autoPads(_ view: ONNXNodeView, input x: String, kernel: [Int], strides: [Int]) throws(Diagnostic) -> [Int]? {
        guard let mode = try view.string("auto_pad"), mode != "NOTSET" else { return nil }
        switch mode {
        case "VALID":
            return [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            guard let shape = try spatialShape(x) else { return [0, 0, 0, 0] }
            var begin: [Int] = [], end: [Int] = []
            for (size, (k, s)) in zip([shape.h, shape.w], zip(kernel, strides)) {
                let out = (size + s - 1) / s
                let total = max((out - 1) * s + k - size, 0)
                let small = total / 2
                begin.append(mode == "SAME_UPPER" ? small : total - small)
                end.append(mode == "SAME_UPPER" ? total - small : small)
            }
            return [begin[0], begin[1], end[0], end[1]]
        default:
            throw .unsupported("auto_pad=\(MessageText.printable(mode)) is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)")
        }
    }

    // MARK: Shapes while converting

    /// The NHWC shape of an activation converted so far (nil when it comes
    /// from an unsupported node, already reported).
    /// A graph that does not infer (an unsupported node upstream) gives nil
    /// too: the final shape inference reports what is wrong.
    func spatialShape(_ x: String) throws(Diagnostic) -> TensorShape? {
        if x == input.name { return input.type.shape }
        guard !poisoned.contains(x), producers[x] != nil else { return nil }
        let partial = SqueezeIR.Graph(name: "partial", inputs: [input], outputs: [x], nodes: nodes, constants: irConstants)
        guard let typed = try? ShapeInference.run(partial) else { return nil }
        return typed.valueTypes[x]?.shape
    }

    func channelCount(_ x: String) throws(Diagnostic) -> Int? {
        guard let shape = try spatialShape(x) else { return nil }
        guard shape.isActivation4D else {
            throw .unsupported("only 4-D [N, C, H, W] inputs are supported here; the input is \(ONNXGraphConverter.onnxShape(shape))")
        }
        return shape.c
    }

    /// Marks the node's output as coming from an unsupported input (already reported).
    mutating func poison(_ view: ONNXNodeView) {
        poisoned.insert(output(view))
        defined.insert(output(view))
    }
}

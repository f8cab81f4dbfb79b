import SqueezeIR
import SqueezeTensorIO

/// Gemm and MatMul classifier heads (`y = alpha * A * B' + beta * C`, A the
/// `[1, K]` flatten of a feature map) lowered exactly to a convolution:
/// the flatten of an `H x W x C` map (ONNX NCHW element order, `k = (c * H
/// + y) * W + x`) times a weight `W[n][k]` is a convolution with an `H x W`
/// kernel, no padding, over the map, its weight `W` read as OIHW `[N, C, H,
/// W]` (stored OHWI like every convolution), giving a `1 x 1 x N` map, then
/// flattened to `[1, N]`. So fp32, int8 (per-channel weights, int32 bias,
/// requantisation), the C kernels and both schedules (a whole-map step at
/// the end; the convolution's window is the whole map) are those of a
/// convolution. Refused: transA, a batch other than 1, an input that is not
/// a flattened feature map, a bias other than `[N]`, `[1, N]` or a scalar.
extension ONNXGraphConverter {
    mutating func convertGemm(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...3)
        let transA = try view.int("transA", default: 0)
        guard transA == 0 else { throw .unsupported("transA=\(transA) is not supported (only 0: A is the flattened feature map)") }
        let transB = try view.int("transB", default: 0)
        guard transB == 0 || transB == 1 else { throw view.invalid("transB must be 0 or 1, got \(transB)") }
        let alpha = try view.float("alpha", default: 1)
        let beta = try view.float("beta", default: 1)
        guard alpha.isFinite, beta.isFinite else { throw view.invalid("alpha and beta must be finite, got \(alpha) and \(beta)") }
        try dense(view, transposed: transB == 1, alpha: alpha, beta: beta, bias: view.input(2))
    }

    mutating func convertMatMul(_ view: ONNXNodeView) throws(Diagnostic) {
        try view.requireInputs(2...2)
        try dense(view, transposed: false, alpha: 1, beta: 1, bias: nil)
    }

    /// `Add(dense, constant)` right after a Gemm/MatMul whose output nothing
    /// else reads: the constant (`[N]`, `[1, N]` or a scalar) joins the
    /// convolution's bias. False when the Add is not of that form.
    mutating func foldDenseBias(_ view: ONNXNodeView) throws(Diagnostic) -> Bool {
        let (a, b) = (resolve(view.inputs[0]), resolve(view.inputs[1]))
        let (value, constantName): (String, String)
        if denseOutputs.contains(a), constants[b] != nil {
            (value, constantName) = (a, view.inputs[1])
        } else if denseOutputs.contains(b), constants[a] != nil {
            (value, constantName) = (b, view.inputs[0])
        } else {
            return false
        }
        guard uses[value] == [view.index], let flattenIndex = producers[value], case .flatten = nodes[flattenIndex].op,
              let convIndex = producers[nodes[flattenIndex].inputs[0]], case .conv2d(var conv) = nodes[convIndex].op
        else { return false }
        let n = conv.outChannels
        let extra = try denseBias(constantName, outputs: n, view: view)
        let convNode = nodes[convIndex]
        var bias = [Float](repeating: 0, count: n)
        if conv.hasBias {
            guard let old = irConstants[convNode.parameters[1]]?.floats, old.count == n else {
                throw .internal("dense bias is missing", node: convNode.name)
            }
            bias = old
        }
        for i in 0..<n { bias[i] += extra[i] }
        let biasName = store(Tensor(shape: TensorShape([n]), floats: bias), as: "\(convNode.name).bias_add", reuse: false)
        conv.hasBias = true
        nodes[convIndex].op = .conv2d(conv)
        nodes[convIndex].parameters = [convNode.parameters[0], biasName]
        nodes[convIndex].fusedFrom = (convNode.fusedFrom.isEmpty ? [convNode.name] : convNode.fusedFrom) + [view.name]
        let y = output(view)
        producers[value] = nil
        nodes[flattenIndex].output = y
        producers[y] = flattenIndex
        defined.insert(y)
        denseOutputs.insert(y)
        return true
    }

    /// The lowering shared by Gemm and MatMul (see the type comment).
    private mutating func dense(_ view: ONNXNodeView, transposed: Bool, alpha: Float, beta: Float, bias: String?) throws(Diagnostic) {
        let a = resolve(view.inputs[0])
        if poisoned.contains(a) {
            // The node before is unsupported and already reported.
            poisoned.insert(output(view))
            defined.insert(output(view))
            return
        }
        _ = try activation(view.inputs[0], of: view)
        let weight = try constant(view.inputs[1], of: view)
        let (dims, _) = try weight.checkedShape(file: file, node: view.name)
        guard dims.count == 2, dims[0] > 0, dims[1] > 0 else {
            throw .unsupported("\(view.opType) with a weight of shape \(dims) is not supported (only a 2-D weight)")
        }
        let (k, n) = transposed ? (dims[1], dims[0]) : (dims[0], dims[1])
        let map = try flattenedMap(a, view)
        guard map.h * map.w * map.c == k else {
            throw .unsupported("\(view.opType) needs \(k) input features, but its input is the flatten of a \(map.c)x\(map.h)x\(map.w) map "
                               + "(\(map.c * map.h * map.w) features)")
        }
        let values = try weight.floatValues(file: file, node: view.name)
        // W[n][k], k in NCHW flatten order, scaled by alpha.
        var rows = [Float](repeating: 0, count: n * k)
        for i in 0..<n {
            for j in 0..<k { rows[i * k + j] = alpha * (transposed ? values[i * k + j] : values[j * n + i]) }
        }
        let ohwi = Layout.oihwToOHWI(rows, o: n, i: map.c, kh: map.h, kw: map.w)
        var parameters = [store(Tensor(shape: TensorShape([n, map.h, map.w, map.c]), floats: ohwi),
                                as: "\(view.name)/weight", reuse: false)]
        if let bias, beta != 0 {
            let scaled = try denseBias(bias, outputs: n, view: view).map { beta * $0 }
            parameters.append(store(Tensor(shape: TensorShape([n]), floats: scaled), as: "\(view.name)/bias", reuse: false))
        }
        let attributes = Conv2DAttributes(outChannels: n, kernel: Size2(map.h, map.w), hasBias: parameters.count == 2)
        var convValue = output(view) + "_map"
        var suffix = 2
        while valueNames.contains(convValue) || producers[convValue] != nil {
            convValue = output(view) + "_map\(suffix)"
            suffix += 1
        }
        let conv = Node(name: view.name, op: .conv2d(attributes), inputs: [map.value], parameters: parameters, output: convValue)
        if uses[a] == [view.index], let index = producers[a] {
            // The flatten only this layer reads becomes the convolution (no dead flatten of the map is left).
            try checkReplacedFlatten(index, elements: k)
            var replacement = conv
            replacement.fusedFrom = nodes[index].sourceNames + [view.name]
            nodes[index] = replacement
            producers[a] = nil
            producers[convValue] = index
            defined.insert(convValue)
        } else {
            emit(conv)
        }
        emit(Node(name: view.name + "/flatten", op: .flatten, inputs: [convValue], output: output(view)))
        denseOutputs.insert(output(view))
    }

    /// The post-shape checks of a flatten about to be replaced, made now (the
    /// flatten is then `[1, elements]`).
    private mutating func checkReplacedFlatten(_ index: Int, elements: Int) throws(Diagnostic) {
        for check in postChecks {
            switch check {
            case .reshape(index, let target, let columns?) where columns != Int64(elements):
                throw .unsupported("Reshape '\(MessageText.printable(nodes[index].name))' to \(target) needs \(columns) values per image, "
                                   + "but its input has \(elements)")
            case .flattenAxis(index, let axis) where axis != -3:
                throw .unsupported("Flatten '\(MessageText.printable(nodes[index].name))' axis \(axis) on a rank-4 tensor is not supported (only axis 1)")
            case .reshape, .softmax, .flattenAxis:
                continue
            }
        }
        postChecks.removeAll { check in
            switch check {
            case .reshape(let node, _, _), .flattenAxis(let node, _): node == index
            case .softmax: false
            }
        }
    }

    /// The bias of a dense layer: `[N]`, `[1, N]` or one value for all.
    private func denseBias(_ name: String, outputs n: Int, view: ONNXNodeView) throws(Diagnostic) -> [Float] {
        let tensor = try constant(name, of: view)
        let values = try tensor.floatValues(file: file, node: view.name)
        if values.count == 1 && tensor.dims.count <= 2 { return [Float](repeating: values[0], count: n) }
        guard values.count == n, tensor.dims == [Int64(n)] || tensor.dims == [1, Int64(n)] else {
            throw .unsupported("bias '\(MessageText.printable(name))' of shape \(tensor.dims) is not supported (only [\(n)], [1, \(n)] or a scalar)")
        }
        return values
    }

    /// The feature map whose flatten (a Flatten or Reshape to `[1, K]`) a
    /// dense layer reads: the map's value and its NHWC size.
    private func flattenedMap(_ value: String, _ view: ONNXNodeView) throws(Diagnostic) -> (value: String, h: Int, w: Int, c: Int) {
        let refusal = Diagnostic.unsupported("\(view.opType) is supported only as a classifier head: its input must be the Flatten "
                                             + "(or Reshape to [1, K]) of a feature map")
        guard let index = producers[value], case .flatten = nodes[index].op else { throw refusal }
        let map = nodes[index].inputs[0]
        let partial = SqueezeIR.Graph(name: "partial", inputs: [input], outputs: [], nodes: Array(nodes[...index]), constants: irConstants)
        guard let typed = try? ShapeInference.run(partial), let shape = typed.valueTypes[map]?.shape,
              let flat = typed.valueTypes[value]?.shape else {
            // An earlier node is unsupported (reported) or the shapes are wrong (reported by shape inference).
            throw refusal
        }
        guard shape.isActivation4D, shape.n == 1, flat.dims == [1, shape.elementCount] else { throw refusal }
        return (map, shape.h, shape.w, shape.c)
    }
}

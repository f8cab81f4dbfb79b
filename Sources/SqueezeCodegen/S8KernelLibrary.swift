import SqueezeIR
import SqueezeMemory

/// The int8 kernels (Templates/sq_kernels_s8.h) with the paired weight
/// layout (`PairedInt8WeightEncoding`) and single-rounding requantisation.
/// Convolutions request an int16 im2col scratch, global averages int32
/// sums. There is no int8 average pool, standalone concat, flatten of a
/// map, or softmax: those throw, naming the layer.
struct S8KernelLibrary: KernelLibrary {
    let quantization: Quantization
    let parameters: KernelParameterTable
    var im2col = "im2col"

    init(quantization: Quantization, parameters: KernelParameterTable = KernelParameterTable()) {
        self.quantization = quantization
        self.parameters = parameters
    }

    var precision: String { "int8" }
    var suffix: String { "s8" }
    var element: String { "int8_t" }
    var elementBytes: Int { 1 }
    var elementUnit: String { "int8 codes" }
    var kernelsHeader: String { "sq_kernels_s8.h" }
    var modelHeaderTemplate: String { "sq_model_s8.h.in" }
    var encoding: any WeightEncoding { PairedInt8WeightEncoding(quantization: quantization) }
    var stepAccumulator: String { "gap_acc" }
    var accumulatorZero: String { "0" }
    var streamMembers: [String] { ["int16_t *im2col;"] }
    var computesRowsApart: Bool { true }

    // MARK: - Scratch

    static let im2colName = Int8Scratch.im2colName
    static func sumsName(_ node: String) -> String { Int8Scratch.gapName(node) }

    /// Bytes of the im2col scratch of one convolution (`SQ_S8_SCRATCH_BYTES`
    /// in sq_kernels_s8.h): two pixels of K4 int16 values, plus K4 bytes of
    /// int8 staging when cin is not a multiple of 4.
    static func im2colBytes(kernel: Size2, inputChannels: Int) -> Int {
        let k4 = (kernel.h * kernel.w * inputChannels + 3) / 4 * 4
        return k4 * (inputChannels % 4 != 0 ? 5 : 4)
    }

    /// The im2col scratch (sized for the largest convolution, after the
    /// sums) and 4 bytes per channel of every global average's sums.
    func scratchRequests(for graph: Graph) throws(CodegenError) -> [KernelScratchRequest] {
        var im2col = 0
        var result: [KernelScratchRequest] = []
        for node in graph.nodes {
            guard let type = graph.valueTypes[node.inputs[0]] else { throw CodegenError("value '\(node.inputs[0])' has no type") }
            let input = type.shape
            switch node.op {
            case .conv2d(let a):
                im2col = max(im2col, Self.im2colBytes(kernel: a.kernel, inputChannels: input.c))
                if a.pool == .globalAverage {
                    result.append(KernelScratchRequest(name: Self.sumsName(node.name), bytes: 4 * a.outChannels, use: .sums(node: node.name)))
                }
            case .fire(let a):
                im2col = max(im2col, Self.im2colBytes(kernel: a.squeeze.kernel, inputChannels: input.c))
                im2col = max(im2col, Self.im2colBytes(kernel: a.expand1x1.kernel, inputChannels: a.squeeze.outChannels))
                im2col = max(im2col, Self.im2colBytes(kernel: a.expand3x3.kernel, inputChannels: a.squeeze.outChannels))
            case .globalAvgPool:
                result.append(KernelScratchRequest(name: Self.sumsName(node.name), bytes: 4 * input.c, use: .sums(node: node.name)))
            case .relu, .maxPool, .avgPool, .concat, .add, .dropout, .flatten, .softmax:
                break
            }
        }
        if im2col > 0 { result.append(KernelScratchRequest(name: Self.im2colName, bytes: im2col, use: .im2col)) }
        return result
    }

    func scratchParameters(_ node: Node, placed: [String: String]) throws(CodegenError) -> [(String, String)] {
        var parameters: [(String, String)] = []
        if StepEmitter.convolves(node) {
            guard let pointer = placed[Self.im2colName] else { throw CodegenError("the im2col scratch was not placed") }
            parameters.append(("int16_t *SQ_RESTRICT im2col", "(int16_t *)(void *)(\(pointer))"))
        }
        if StepEmitter.averagesGlobally(node) {
            guard let pointer = placed[Self.sumsName(node.name)] else { throw CodegenError("the sums of \(node.name) were not placed") }
            parameters.append(("int32_t *SQ_RESTRICT gap_acc", "(int32_t *)(void *)(\(pointer))"))
        }
        return parameters
    }

    func streamAccumulator(_ node: Node, outputBase: String, arenaPointer: (Int) -> String, plan: ArenaPlan) -> String {
        "(int32_t *)(void *)(\(arenaPointer(plan.offsets[Self.sumsName(node.name)] ?? 0)))"
    }

    func streamSetup(arenaPointer: (Int) -> String, plan: ArenaPlan) -> [String] {
        ["s->im2col = (int16_t *)(void *)(\(arenaPointer(plan.offsets[Self.im2colName] ?? 0)));"]
    }

    /// `<PREFIX>_INPUT_SCALE` ... `_OUTPUT_ZERO_POINT`: how the caller quantises and dequantises.
    func modelDefines(upper: String, graph: Graph, into p: inout CPrinter) throws(CodegenError) {
        func params(_ value: String) throws(CodegenError) -> QuantParams {
            guard let q = quantization.values[value] else { throw CodegenError("value '\(value)' has no quantisation parameters") }
            return q
        }
        func literal(_ x: Float) throws(CodegenError) -> String {
            guard let text = FloatLiteral.c(x) else { throw CodegenError("\(x) is not finite") }
            return text
        }
        let input = try params(graph.inputs[0].name)
        let output = try params(graph.outputs[0])
        p.comment(["int8: real = scale * (code - zero_point). The input is quantised with the",
                   "input parameters; output codes dequantise with the output parameters."])
        p.lines([
            "#define \(upper)_INPUT_SCALE \(try literal(input.scale))",
            "#define \(upper)_INPUT_ZERO_POINT \(input.zeroPoint)",
            "#define \(upper)_OUTPUT_SCALE \(try literal(output.scale))",
            "#define \(upper)_OUTPUT_ZERO_POINT \(output.zeroPoint)",
        ])
    }

    // MARK: - Calls

    func convQuantization(_ weight: String) throws(CodegenError) -> ConvQuantization {
        guard let q = quantization.convolutions[weight] else { throw CodegenError("weight '\(weight)' has no quantisation parameters") }
        return q
    }

    /// `sq_conv_params_s8` of one convolution call.
    func convParameters(_ a: Conv2DAttributes, source s: Map, target t: Map, arrays x: ConvArrays) throws(CodegenError) -> String {
        let q = try convQuantization(x.weight)
        let out = convOutput(a, source: s, target: t)
        let fields = [".in = " + KernelParameterTable.dims(s), ".out = " + KernelParameterTable.dims(out),
                      ".win = " + KernelParameterTable.window(kernel: a.kernel, stride: a.stride, padding: a.padding),
                      ".in_zp = \(q.input.zeroPoint)", ".out_zp = \(q.output.zeroPoint)",
                      ".act_min = \(q.activationMin)", ".act_max = \(q.activationMax)",
                      ".w = \(x["weights"])", ".bias = \(x["bias"])", ".mult = \(x["multiplier"])", ".shift = \(x["shift"])"]
        let layer = convLayer(x)
        return parameters.add(kind: "conv", layer: layer, type: "sq_conv_params_s8", comment: "\(layer): " + convSummary(a, s, out),
                              fields: fields)
    }

    func conv(_ a: Conv2DAttributes, source s: Map, target t: Map, arrays x: ConvArrays, rows: (String, String)) throws(CodegenError) -> String {
        let name = try convParameters(a, source: s, target: t, arrays: x)
        return "sq_\(isPointwise(a) ? "conv1x1" : "conv")_s8(&\(name), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1), \(im2col));"
    }

    func convGlobalAverage(_ a: Conv2DAttributes, source s: Map, acc: String, arrays x: ConvArrays,
                           rows: (String, String)) throws(CodegenError) -> String {
        let name = try convParameters(a, source: s, target: s, arrays: x)
        return "sq_conv1x1_gap_s8(&\(name), \(s.pointer), \(acc), \(rows.0), \(rows.1), \(im2col));"
    }

    /// Requantises the int32 sums to the average's own scale (`AverageQuantization`).
    func gapFinish(acc: String, out: String, channels: Int, pixels: Int, node: String) throws(CodegenError) -> String {
        guard let q = quantization.averages[node] else { throw CodegenError("global average '\(node)' has no quantisation parameters") }
        let name = parameters.add(kind: "mean", layer: node, type: "sq_gap_params_s8",
                                  comment: "\(node): mean of \(q.count) pixels, requantised to scale \(q.output.scale) zp \(q.output.zeroPoint)",
                                  fields: [".c = \(channels)", ".sum_zp = \(q.count * q.input.zeroPoint)", ".mult = \(q.multiplier)",
                                           ".shift = \(q.shift)", ".out_zp = \(q.output.zeroPoint)"])
        return "sq_gap_mean_s8(&\(name), \(acc), \(out));"
    }

    func add(_ a: String, _ b: String, out: String, count: Int, node: String) throws(CodegenError) -> String {
        guard let q = quantization.adds[node] else { throw CodegenError("add '\(node)' has no quantisation parameters") }
        let name = parameters.add(kind: "add", layer: node, type: "sq_add_params_s8",
                                  comment: "\(node): bypass add of \(count) values, one rounding",
                                  fields: [".a_zp = \(q.a.zeroPoint)", ".a_mult = \(q.multiplierA)", ".b_zp = \(q.b.zeroPoint)",
                                           ".b_mult = \(q.multiplierB)", ".shift = \(q.shift)", ".out_zp = \(q.output.zeroPoint)",
                                           ".act_min = -128", ".act_max = 127"])
        return "sq_add_s8(&\(name), \(a), \(b), \(out), \(count));"
    }

    /// ReLU on codes: clamps below the zero point of `value`.
    func relu(_ pointer: String, count: Int, value: String) -> String {
        "sq_relu_s8(\(pointer), \(count), \(quantization.values[value]?.zeroPoint ?? -128));"
    }

    func concatCopy(layer: String, source: Map, target: Map, rows: (String, String)) throws(CodegenError) -> String {
        throw unsupported("a standalone concat", layer: layer)
    }

    func avgPool(_ a: PoolAttributes, layer: String, source: Map, target: Map, rows: (String, String)) throws(CodegenError) -> String {
        throw unsupported("average pooling", layer: layer)
    }

    func flatten(layer: String, input: TensorShape, source: String, target: String) throws(CodegenError) -> String {
        throw unsupported("flatten", layer: layer)
    }

    func softmax(layer: String, rows: Int, width: Int, source: String, target: String) throws(CodegenError) -> [String] {
        throw unsupported("softmax", layer: layer)
    }
}

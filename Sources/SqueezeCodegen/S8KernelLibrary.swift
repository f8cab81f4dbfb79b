import SqueezeIR
import SqueezeMemory

/// The int8 kernels (Templates/sq_kernels_s8.h) with the paired weight
/// layout (`PairedInt8WeightEncoding`) and single-rounding requantisation.
/// Convolutions request an int16 im2col scratch, global averages int32
/// sums.
struct S8KernelLibrary: KernelLibrary {
    let quantization: Quantization
    let parameters: KernelParameterTable
    let storage: WeightStoragePlan
    var im2col = "im2col"
    var decodeScratch = "wdec"

    init(quantization: Quantization, parameters: KernelParameterTable = KernelParameterTable(),
         storage: WeightStoragePlan = WeightStoragePlan()) {
        self.quantization = quantization
        self.parameters = parameters
        self.storage = storage
    }

    var precision: String { "int8" }
    var suffix: String { "s8" }
    var element: String { "int8_t" }
    var elementBytes: Int { 1 }
    var elementUnit: String { "int8 codes" }
    var kernelsHeader: String { "sq_kernels_s8.h" }
    var modelHeaderTemplate: String { "sq_model_s8.h.in" }
    var encoding: any WeightEncoding {
        CompressedWeightEncoding(dense: PairedInt8WeightEncoding(quantization: quantization), plan: storage, quantized: true)
    }
    var stepAccumulator: String { "gap_acc" }
    var accumulatorZero: String { "0" }
    var streamMembers: [String] { ["int16_t *im2col;"] }
    var computesRowsApart: Bool { true }

    // MARK: - Scratch

    /// The im2col and global-average sums (`S8KernelScratch`, with the formula).
    var scratch: any KernelScratchProvider { S8KernelScratch(storage: storage) }

    func streamAccumulator(outputBase: String, sums: String) -> String { "(int32_t *)(void *)(\(sums))" }

    func streamSetup(im2col: String) -> [String] { ["s->im2col = (int16_t *)(void *)(\(im2col));"] }

    /// `<PREFIX>_INPUT_SCALE` ... `_OUTPUT_ZERO_POINT`: how the caller quantises and dequantises.
    func modelDefines(upper: String, graph: Graph, into p: inout CPrinter) throws(Diagnostic) {
        func params(_ value: String) throws(Diagnostic) -> QuantParams {
            guard let q = quantization.values[value] else { throw Diagnostic.internal("value '\(value)' has no quantisation parameters") }
            return q
        }
        func literal(_ x: Float) throws(Diagnostic) -> String {
            guard let text = FloatLiteral.c(x) else { throw Diagnostic.internal("\(x) is not finite") }
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

    func convQuantization(_ weight: String) throws(Diagnostic) -> ConvQuantization {
        guard let q = quantization.convolutions[weight] else { throw Diagnostic.internal("weight '\(weight)' has no quantisation parameters") }
        return q
    }

    /// `sq_conv_params_s8` of one convolution call.
    func convParameters(_ a: Conv2DAttributes, source s: Map, target t: Map, arrays x: ConvArrays) throws(Diagnostic) -> String {
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

    func conv(_ a: Conv2DAttributes, source s: Map, target t: Map, arrays x: ConvArrays, rows: (String, String)) throws(Diagnostic) -> String {
        let name = try convParameters(a, source: s, target: t, arrays: x)
        if a.isGrouped { return "sq_gconv_s8(&\(name), \(a.groups), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1));" }
        let kernel = isPointwise(a) ? "conv1x1" : "conv"
        if let cw = compressedWeights(x) {
            return "sq_\(kernel)_cw_s8(&\(name), &\(cw), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1), \(im2col), \(decodeScratch));"
        }
        return "sq_\(kernel)_s8(&\(name), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1), \(im2col));"
    }

    func convGlobalAverage(_ a: Conv2DAttributes, source s: Map, acc: String, arrays x: ConvArrays,
                           rows: (String, String)) throws(Diagnostic) -> String {
        let name = try convParameters(a, source: s, target: s, arrays: x)
        if let cw = compressedWeights(x) {
            return "sq_conv1x1_gap_cw_s8(&\(name), &\(cw), \(s.pointer), \(acc), \(rows.0), \(rows.1), \(im2col), \(decodeScratch));"
        }
        return "sq_conv1x1_gap_s8(&\(name), \(s.pointer), \(acc), \(rows.0), \(rows.1), \(im2col));"
    }

    /// Requantises the int32 sums to the average's own scale (`AverageQuantization`).
    func gapFinish(acc: String, out: String, channels: Int, pixels: Int, node: String) throws(Diagnostic) -> String {
        guard let q = quantization.averages[node] else { throw Diagnostic.internal("global average '\(node)' has no quantisation parameters") }
        let name = parameters.add(kind: "mean", layer: node, type: "sq_gap_params_s8",
                                  comment: "\(node): mean of \(q.count) pixels, requantised to scale \(q.output.scale) zp \(q.output.zeroPoint)",
                                  fields: [".c = \(channels)", ".sum_zp = \(q.count * q.input.zeroPoint)", ".mult = \(q.multiplier)",
                                           ".shift = \(q.shift)", ".out_zp = \(q.output.zeroPoint)"])
        return "sq_gap_mean_s8(&\(name), \(acc), \(out));"
    }

    func add(_ a: String, _ b: String, out: String, count: Int, node: String) throws(Diagnostic) -> String {
        guard let q = quantization.adds[node] else { throw Diagnostic.internal("add '\(node)' has no quantisation parameters") }
        let name = parameters.add(kind: "add", layer: node, type: "sq_add_params_s8",
                                  comment: "\(node): bypass add of \(count) values, one rounding",
                                  fields: [".a_zp = \(q.a.zeroPoint)", ".a_mult = \(q.multiplierA)", ".b_zp = \(q.b.zeroPoint)",
                                           ".b_mult = \(q.multiplierB)", ".shift = \(q.shift)", ".out_zp = \(q.output.zeroPoint)",
                                           ".act_min = -128", ".act_max = 127"])
        return "sq_add_s8(&\(name), \(a), \(b), \(out), \(count));"
    }

    /// ReLU on codes: clamps below the zero point of `value`.
    /// An imported Fire expand requantised a second time, to its concat's
    /// parameters, through a 256-entry table (index code + 128), over the
    /// rows and channels the expand just wrote (rings: row modulo height).
    func convOutputTable(_ arrays: ConvArrays, target t: Map, channels: Int, rows: (String, String)) throws(Diagnostic) -> [String] {
        guard let table = try convQuantization(arrays.weight).outputTable else { return [] }
        var lines = ["{", "    static const int8_t sq_table[256] = {"]
        for start in stride(from: 0, to: 256, by: 16) {
            let values = table[start..<(start + 16)].map { String($0) }.joined(separator: ", ")
            lines.append("        \(values)\(start + 16 < 256 ? "," : "")")
        }
        lines += ["    };",
                  "    int sq_r, sq_x, sq_k;",
                  "    for (sq_r = \(rows.0); sq_r < \(rows.1); ++sq_r) {",
                  "        int8_t *sq_row = \(t.pointer) + (sq_r % \(t.ring)) * \(t.w * t.stride);",
                  "        for (sq_x = 0; sq_x < \(t.w); ++sq_x) {",
                  "            for (sq_k = 0; sq_k < \(channels); ++sq_k) {",
                  "                sq_row[sq_x * \(t.stride) + sq_k] = sq_table[sq_row[sq_x * \(t.stride) + sq_k] + 128];",
                  "            }",
                  "        }",
                  "    }",
                  "}"]
        return lines
    }

    func relu(_ pointer: String, count: Int, value: String) -> String {
        "sq_relu_s8(\(pointer), \(count), \(quantization.values[value]?.zeroPoint ?? -128));"
    }

    /// A copy of codes (`ConcatQuantization`); an input on other parameters
    /// than the concat's then goes through its rescale table in place.
    func concatCopy(layer: String, node: String, input: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> [String] {
        let copy = copyChannels(layer: layer, source: source, target: target, rows: rows)
        guard let q = quantization.concatTables[ConcatQuantization.tableKey(concat: node, input: input)] else { return [copy] }
        var slice = target
        slice.c = source.c
        let table = parameters.addArray(kind: "lut", layer: layer + "/" + input, type: "int8_t",
                                        comment: "\(node): codes of input \(input) rescaled to the concat's parameters (output code of input code + 128)",
                                        values: q.map { String($0) })
        let name = parameters.add(kind: "rescale", layer: layer + "/" + input, type: "sq_lut_params_s8",
                                  comment: "\(node): input \(input) rescaled in its \(source.c)-channel slice",
                                  fields: [".map = " + KernelParameterTable.dims(slice), ".table = \(table)"])
        return [copy, "sq_lut_rows_s8(&\(name), \(target.pointer), \(rows.0), \(rows.1));"]
    }

    /// Average of codes with the input's scale and zero point kept (`Int8PoolKernels.avgPool`: round half away from zero).
    func avgPool(_ a: PoolAttributes, layer: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        guard let zp = quantization.averagePools[layer]?.params.zeroPoint else {
            throw Diagnostic.internal("average pool '\(layer)' has no quantisation parameters")
        }
        let name = poolParameters(kind: "avgpool", a, layer: layer, source: source, target: target)
        return "sq_avgpool_s8(&\(name), \(zp), \(source.pointer), \(target.pointer), \(rows.0), \(rows.1));"
    }

    /// ONNX's NCHW element order (`FlattenKernel`); codes keep their parameters.
    func flatten(layer: String, input: TensorShape, source: String, target: String) throws(Diagnostic) -> String {
        "sq_flatten_nchw_s8(\(source), \(input.h), \(input.w), \(input.c), \(target));"
    }

    /// Integer softmax with the layer's exp table (`SoftmaxQuantization`), output scale 1/256 zp -128.
    func softmax(layer: String, rows: Int, width: Int, source: String, target: String) throws(Diagnostic) -> [String] {
        guard let q = quantization.softmaxes[layer] else { throw Diagnostic.internal("softmax '\(layer)' has no quantisation parameters") }
        let table = q.table.map { "\($0)u" }.joined(separator: ", ")
        let name = parameters.add(kind: "softmax", layer: layer, type: "sq_softmax_params_s8",
                                  comment: "\(layer): int8 softmax of \(width) values, input scale \(q.input.scale), exp table in Q16",
                                  fields: [".width = \(width)", ".table = { \(table) }"])
        if rows == 1 { return ["sq_softmax_s8(&\(name), \(source), \(target));"] }
        return ["int r;", "for (r = 0; r < \(rows); ++r) {",
                "    sq_softmax_s8(&\(name), \(source) + r * \(width), \(target) + r * \(width));", "}"]
    }
}

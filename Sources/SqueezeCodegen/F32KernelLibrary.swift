import SqueezeIR
import SqueezeMemory

/// The fp32 kernels (Templates/sq_kernels_f32.h) with the blocked weight
/// layout (`BlockedWeightEncoding`), or compressed layers decoded block by
/// block (Templates/sq_decode.h). Only decoding needs arena scratch
/// (`F32KernelScratch`): a global average sums straight into its output.
struct F32KernelLibrary: KernelLibrary {
    let parameters: KernelParameterTable
    let storage: WeightStoragePlan
    var im2col = ""
    var decodeScratch = "wdec"
    /// The graph's constants (affine scales and shifts go into parameter arrays).
    var constants: [String: Tensor] = [:]

    init(parameters: KernelParameterTable = KernelParameterTable(), storage: WeightStoragePlan = WeightStoragePlan(),
         constants: [String: Tensor] = [:]) {
        self.parameters = parameters
        self.storage = storage
        self.constants = constants
    }

    var precision: String { "fp32" }
    var suffix: String { "f32" }
    var element: String { "float" }
    var elementBytes: Int { 4 }
    var elementUnit: String { "floats" }
    var kernelsHeader: String { "sq_kernels_f32.h" }
    var modelHeaderTemplate: String { "sq_model.h.in" }
    var encoding: any WeightEncoding { CompressedWeightEncoding(dense: BlockedWeightEncoding(), plan: storage, quantized: false) }
    var stepAccumulator: String { "out" }
    var accumulatorZero: String { "0.0f" }
    var streamMembers: [String] { [] }
    var computesRowsApart: Bool { false }

    var scratch: any KernelScratchProvider { F32KernelScratch(storage: storage) }

    func streamAccumulator(outputBase: String, sums: String) -> String { outputBase }

    func modelDefines(upper: String, graph: Graph, into p: inout CPrinter) throws(Diagnostic) {}

    func streamSetup(im2col: String) -> [String] { [] }

    /// `sq_conv_params_f32` of one convolution call.
    func convParameters(_ a: Conv2DAttributes, source s: Map, target t: Map, arrays x: ConvArrays) -> String {
        let out = convOutput(a, source: s, target: t)
        var fields = [".in = " + KernelParameterTable.dims(s), ".out = " + KernelParameterTable.dims(out),
                      ".win = " + KernelParameterTable.window(kernel: a.kernel, stride: a.stride, padding: a.padding)]
        if a.activation == .relu { fields.append(".relu = 1") }
        fields += [".w = \(x["weights"])", ".bias = \(x["bias"])"]
        let layer = convLayer(x)
        return parameters.add(kind: "conv", layer: layer, type: "sq_conv_params_f32", comment: "\(layer): " + convSummary(a, s, out),
                              fields: fields)
    }

    func conv(_ a: Conv2DAttributes, source s: Map, target t: Map, arrays x: ConvArrays, rows: (String, String)) throws(Diagnostic) -> String {
        let name = convParameters(a, source: s, target: t, arrays: x)
        if a.isGrouped { return "sq_gconv_f32(&\(name), \(a.groups), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1));" }
        let kernel = isPointwise(a) ? "conv1x1" : "conv"
        if let cw = compressedWeights(x) {
            return "sq_\(kernel)_cw_f32(&\(name), &\(cw), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1), \(decodeScratch));"
        }
        return "sq_\(kernel)_f32(&\(name), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1));"
    }

    func convGlobalAverage(_ a: Conv2DAttributes, source s: Map, acc: String, arrays x: ConvArrays,
                           rows: (String, String)) throws(Diagnostic) -> String {
        let name = convParameters(a, source: s, target: s, arrays: x)
        if let cw = compressedWeights(x) {
            return "sq_conv1x1_relu_gap_cw_f32(&\(name), &\(cw), \(s.pointer), \(acc), \(rows.0), \(rows.1), \(decodeScratch));"
        }
        return "sq_conv1x1_relu_gap_f32(&\(name), \(s.pointer), \(acc), \(rows.0), \(rows.1));"
    }

    func gapFinish(acc: String, out: String, channels: Int, pixels: Int, node: String) throws(Diagnostic) -> String {
        guard let scale = FloatLiteral.c(1 / Float(pixels)) else { throw Diagnostic.internal("bad pooling scale") }
        return "sq_gap_finish_f32(\(acc), \(channels), \(scale));"
    }

    func add(_ a: String, _ b: String, out: String, count: Int, node: String) throws(Diagnostic) -> String {
        "sq_add_f32(\(a), \(b), \(out), \(count));"
    }

    func convOutputTable(_ arrays: ConvArrays, target: Map, channels: Int, rows: (String, String)) throws(Diagnostic) -> [String] { [] }

    func relu(_ pointer: String, count: Int, value: String) -> String {
        "sq_relu_f32(\(pointer), \(count));"
    }

    func concatCopy(layer: String, node: String, input: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> [String] {
        [copyChannels(layer: layer, source: source, target: target, rows: rows)]
    }

    func avgPool(_ a: PoolAttributes, layer: String, source s: Map, target t: Map, rows: (String, String)) throws(Diagnostic) -> String {
        let name = poolParameters(kind: "avgpool", a, layer: layer, source: s, target: t)
        return "sq_avgpool_f32(&\(name), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1));"
    }

    func flatten(layer: String, input: TensorShape, source: String, target: String) throws(Diagnostic) -> String {
        "sq_flatten_nchw_f32(\(source), \(input.h), \(input.w), \(input.c), \(target));"
    }

    func softmax(layer: String, rows: Int, width: Int, source: String, target: String) throws(Diagnostic) -> [String] {
        if rows == 1 { return ["sq_softmax_f32(\(source), \(target), \(width));"] }
        return ["int r;", "for (r = 0; r < \(rows); ++r) {",
                "    sq_softmax_f32(\(source) + r * \(width), \(target) + r * \(width), \(width));", "}"]
    }
}

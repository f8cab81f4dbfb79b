import SqueezeIR
import SqueezeMemory

/// The kernels of one precision (Templates/sq_kernels_<suffix>.h) as the
/// emitters use them: the C element type, the header, how weights are
/// encoded, the arena scratch its kernels request, and every kernel call
/// rendered once. A call's sizes go into a `static const` parameter struct
/// (`KernelParameterTable`) passed by pointer, so the always-inline kernels
/// still specialise per call site.
///
/// The library is chosen once per graph (`KernelLibraries.library(for:)`):
/// fp32 unless the graph is quantised. A new op is one method here and one
/// per library; an op a library lacks throws, naming the layer.
protocol KernelLibrary {
    /// `fp32` or `int8` (the generated header's `_PRECISION`).
    var precision: String { get }
    /// Kernel name suffix: `f32`, `s8`.
    var suffix: String { get }
    /// C type of an activation element, and its size in bytes.
    var element: String { get }
    var elementBytes: Int { get }
    /// What the input and output counts count, for the generated header.
    var elementUnit: String { get }
    var kernelsHeader: String { get }
    var modelHeaderTemplate: String { get }
    /// How weights are encoded: the dense layout, with the compressed layers of `storage`.
    var encoding: any WeightEncoding { get }
    /// The layers stored compressed (Templates/sq_decode.h).
    var storage: WeightStoragePlan { get }
    /// C expression of the decode scratch in the current function (`void *`).
    var decodeScratch: String { get set }
    /// Where the call sites' parameter structs go (shared by all emitters of one model).
    var parameters: KernelParameterTable { get }
    /// C expression of the int16 im2col scratch in the current function (int8).
    var im2col: String { get set }

    /// The arena scratch its kernels request from the planner, per stage
    /// (`KernelScratchProvider`: int8 im2col and global-average sums).
    var scratch: any KernelScratchProvider { get }
    /// Global average: the sums' buffer in a step function (`out` itself or scratch),
    /// and in a streamed stage (`outputBase`: the output's pointer there; `sums`:
    /// the pointer of the sums scratch the kernels requested).
    var stepAccumulator: String { get }
    func streamAccumulator(outputBase: String, sums: String) -> String
    /// The zero a sum starts from.
    var accumulatorZero: String { get }
    /// Members the streamed state struct adds, and their setup in the run function.
    var streamMembers: [String] { get }
    /// `im2col`: the arena pointer of the shared im2col scratch.
    func streamSetup(im2col: String) -> [String]
    /// The generated header's precision-specific macros (int8: the input and output quantisation).
    func modelDefines(upper: String, graph: Graph, into p: inout CPrinter) throws(Diagnostic)
    /// Whether a streamed stage computes its row in its own SQ_NOINLINE function
    /// (int8: keeps the kernels' stack out of the pull recursion).
    var computesRowsApart: Bool { get }

    func conv(_ a: Conv2DAttributes, source: Map, target: Map, arrays: ConvArrays, rows: (String, String)) throws(Diagnostic) -> String
    /// 1x1 convolution + ReLU summed into the global-average accumulator `acc`.
    func convGlobalAverage(_ a: Conv2DAttributes, source: Map, acc: String, arrays: ConvArrays,
                           rows: (String, String)) throws(Diagnostic) -> String
    func gap(layer: String, source: Map, acc: String, rows: (String, String)) -> String
    /// The means from the sums.
    func gapFinish(acc: String, out: String, channels: Int, pixels: Int, node: String) throws(Diagnostic) -> String
    /// Element-wise sum of `count` values (the bypass).
    func add(_ a: String, _ b: String, out: String, count: Int, node: String) throws(Diagnostic) -> String
    /// ReLU in place on `count` values of `value` at `pointer`.
    func relu(_ pointer: String, count: Int, value: String) -> String
    func maxPool(_ pool: PoolAttributes, layer: String, source: Map, target: Map, rows: (String, String)) -> String
    /// Folds one input row into the pooled row `accRow`.
    func maxPoolFold(_ pool: PoolAttributes, layer: String, source: Map, accRow: String, target: Map, first: String) -> String
    func copyChannels(layer: String, source: Map, target: Map, rows: (String, String)) -> String
    /// An imported Fire expand's second requantisation (`ConvQuantization.outputTable`) over the
    /// `channels` it just wrote; nothing for other convolutions and in fp32.
    func convOutputTable(_ arrays: ConvArrays, target: Map, channels: Int, rows: (String, String)) throws(Diagnostic) -> [String]
    /// Copy of one input of a standalone concat into its channel slice.
    func concatCopy(layer: String, node: String, input: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> [String]
    func avgPool(_ a: PoolAttributes, layer: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> String
    func flatten(layer: String, input: TensorShape, source: String, target: String) throws(Diagnostic) -> String
    /// Softmax over the last axis of `rows` rows of `width` values.
    func softmax(layer: String, rows: Int, width: Int, source: String, target: String) throws(Diagnostic) -> [String]
    /// What follows a convolution call on the rows it wrote, for activations
    /// the convolution kernel does not apply itself (none for ReLU).
    func convEpilogue(_ a: Conv2DAttributes, node: String, output: Map, rows: (String, String)) throws(Diagnostic) -> [String]
    /// A standalone activation in place on rows of `target`.
    func activation(_ a: Activation, node: String, target: Map, rows: (String, String)) throws(Diagnostic) -> String
    /// A per-channel affine map in place on rows of `target` (parameters: scale, shift).
    func affine(node: String, parameters: [String], target: Map, rows: (String, String)) throws(Diagnostic) -> String
    /// Zero padding: rows of `target` from `source` (`input`: the padded value's name).
    /// Constant padding with `value` (fp32 as it is; int8 its code in the input's parameters).
    func pad(_ p: Padding, value: Float, layer: String, input: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> String
}

typealias Map = StepEmitter.Map

enum KernelLibraries {
    /// The library of a graph: int8 when it is quantised, fp32 otherwise.
    static func library(for graph: Graph, parameters: KernelParameterTable = KernelParameterTable()) -> any KernelLibrary {
        let storage = WeightStoragePlan(graph: graph)
        if let quantization = graph.quantization {
            return S8KernelLibrary(quantization: quantization, parameters: parameters, storage: storage)
        }
        return F32KernelLibrary(parameters: parameters, storage: storage, constants: graph.constants)
    }
}

extension KernelLibrary {
    var isQuantized: Bool { precision == "int8" }

    /// `base + elements` for a byte offset into an arena of `element`s.
    func arenaPointer(_ base: String, byteOffset: Int) -> String {
        byteOffset == 0 ? base : "\(base) + \(byteOffset / elementBytes)"
    }

    /// A planned buffer's pointer: `base` (the arena pointer the caller
    /// passed) plus its offset in region 0, or in another region of a split
    /// arena that region's own array (`ArenaSections`) plus its offset.
    func arenaPointer(_ placement: Placement?, base: String, plan: ArenaPlan, prefix: String) -> String {
        guard let placement, placement.region > 0, plan.regions.indices.contains(placement.region) else {
            return arenaPointer(base, byteOffset: placement?.offset ?? 0)
        }
        return arenaPointer(ArenaSections.regionArray(prefix: prefix, region: plan.regions[placement.region].name),
                            byteOffset: placement.offset)
    }

    /// The arrays of a convolution, encoded into the weight table on first use.
    func arrays(_ weights: inout WeightTable, weight: String, bias: String?, _ graph: Graph) throws(Diagnostic) -> ConvArrays {
        try weights.convolution(weight: weight, bias: bias, in: graph, encoding: encoding)
    }

    /// The `sq_cw_<suffix>` struct of a compressed convolution (nil: dense),
    /// named after its layer.
    func compressedWeights(_ x: ConvArrays) -> String? {
        guard let layout = storage.layers[x.weight] else { return nil }
        var fields = [".format = \(layout.format.cName)"]
        if let bits = layout.format.bits { fields.append(".bits = \(bits)") }
        fields += [".block = \(layout.block)", ".block_len = \(layout.blockLength)", ".len = \(layout.length)"]
        if isQuantized && layout.format == .codebook(bits: 4) { fields.append(".pairs = \(storage.pairsOffset)") }
        fields.append(".data = \(storage.dataOffset)")
        for (field, role) in [("table", "table"), ("idx", "indices"), ("mask", "mask"), ("values", "values"), ("first", "first")]
        where x.names[role] != nil {
            fields.append(".\(field) = \(x[role])")
        }
        let layer = convLayer(x)
        return parameters.add(kind: "cw", layer: layer, type: "sq_cw_\(suffix)",
                              comment: "\(layer): \(layout.format.weightFormat), \(layout.block) output channels per decoded block, "
                                  + "\(layout.bytes) bytes (dense \(layout.denseBytes))",
                              fields: fields)
    }

    func isPointwise(_ a: Conv2DAttributes) -> Bool {
        a.kernel == .square(1) && a.stride == .square(1) && a.padding.isZero
    }

    /// The output map a convolution writes: `target`'s storage, the convolution's width and channels.
    func convOutput(_ a: Conv2DAttributes, source s: Map, target t: Map) -> Map {
        var out = t
        out.w = OutputSize.conv(input: s.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right) ?? 0
        out.h = OutputSize.conv(input: s.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom) ?? 0
        out.c = a.outChannels
        return out
    }

    /// A layer name for a convolution's struct: its weight without `.weight`.
    func convLayer(_ arrays: ConvArrays) -> String {
        for suffix in [".weight", "_weight", "/weight"] where arrays.weight.hasSuffix(suffix) {
            return String(arrays.weight.dropLast(suffix.count))
        }
        return arrays.weight
    }

    func convSummary(_ a: Conv2DAttributes, _ s: Map, _ out: Map) -> String {
        "conv \(a.kernel.h)x\(a.kernel.w)/\(a.stride.h)" + (a.isGrouped ? " \(a.groups) groups" : "") + (a.activation == .none ? "" : " + " + a.activation.summary)
            + ", \(s.h)x\(s.w)x\(s.c) -> \(out.h)x\(out.w)x\(out.c)"
    }

    func poolSummary(_ kind: String, _ a: PoolAttributes, _ s: Map, _ t: Map) -> String {
        "\(kind) \(a.kernel.h)x\(a.kernel.w)/\(a.stride.h), \(s.h)x\(s.w)x\(s.c) -> \(t.h)x\(t.w)x\(s.c)"
    }

    /// `sq_pool_params` of a pooling call.
    func poolParameters(kind: String, _ a: PoolAttributes, layer: String, source s: Map, target t: Map) -> String {
        var fields = [".in = " + KernelParameterTable.dims(s), ".out = " + KernelParameterTable.dims(t, channels: s.c),
                      ".win = " + KernelParameterTable.window(kernel: a.kernel, stride: a.stride, padding: a.padding,
                                                              bottomRight: kind == "avgpool")]
        if a.countIncludePad && kind == "avgpool" { fields.append(".count_include_pad = 1") }
        return parameters.add(kind: "pool", layer: layer, type: "sq_pool_params", comment: "\(layer): " + poolSummary(kind, a, s, t),
                              fields: fields)
    }

    /// `sq_copy_params` of a channel copy.
    func copyParameters(layer: String, source s: Map, target t: Map) -> String {
        parameters.add(kind: "copy", layer: layer, type: "sq_copy_params",
                       comment: "\(layer): copy \(s.h)x\(s.w)x\(s.c) into \(t.h)x\(t.w)x\(t.c)",
                       fields: [".in = " + KernelParameterTable.dims(s), ".out = " + KernelParameterTable.dims(t, channels: s.c)])
    }

    func maxPool(_ pool: PoolAttributes, layer: String, source: Map, target: Map, rows: (String, String)) -> String {
        let name = poolParameters(kind: "maxpool", pool, layer: layer, source: source, target: target)
        return "sq_maxpool_\(suffix)(&\(name), \(source.pointer), \(target.pointer), \(rows.0), \(rows.1));"
    }

    func maxPoolFold(_ pool: PoolAttributes, layer: String, source: Map, accRow: String, target: Map, first: String) -> String {
        let name = poolParameters(kind: "maxpool", pool, layer: layer, source: source, target: target)
        return "sq_maxpool_fold_\(suffix)(&\(name), \(source.pointer), \(accRow), \(first));"
    }

    func copyChannels(layer: String, source: Map, target: Map, rows: (String, String)) -> String {
        "sq_copy_channels_\(suffix)(&\(copyParameters(layer: layer, source: source, target: target)), \(source.pointer), "
            + "\(target.pointer), \(rows.0), \(rows.1));"
    }

    func gap(layer: String, source: Map, acc: String, rows: (String, String)) -> String {
        let name = parameters.add(kind: "dims", layer: layer, type: "sq_dims",
                                  comment: "\(layer): global average of \(source.h)x\(source.w)x\(source.c)",
                                  fields: KernelParameterTable.dimsFields(source))
        return "sq_gap_\(suffix)(&\(name), \(source.pointer), \(acc), \(rows.0), \(rows.1));"
    }

    /// `sq_pad_params` of a padding call (`fill`: the padding's code; 0 in fp32).
    /// `value`: the fill of an fp32 pad (a `.value` field unless 0); `fill`: an int8 pad's code.
    func padCall(_ p: Padding, value: Float, layer: String, source s: Map, target t: Map, fill: Int32, rows: (String, String)) throws(Diagnostic) -> String {
        var fields = [".in = " + KernelParameterTable.dims(s), ".out = " + KernelParameterTable.dims(t, channels: s.c),
                      ".pad_t = \(p.top)", ".pad_l = \(p.left)", ".fill = \(fill)"]
        if suffix == "f32", value != 0 {
            guard let literal = FloatLiteral.c(value) else { throw Diagnostic.internal("pad value \(value) is not finite", node: layer) }
            fields.append(".value = \(literal)")
        }
        let what = value == 0 ? "zero pad \(p)" : "pad \(p) with \(value)\(suffix == "f32" ? "" : " (code \(fill))")"
        let name = parameters.add(kind: "pad", layer: layer, type: "sq_pad_params",
                                  comment: "\(layer): \(what), \(s.h)x\(s.w)x\(s.c) -> \(t.h)x\(t.w)x\(s.c)",
                                  fields: fields)
        return "sq_pad_rows_\(suffix)(&\(name), \(s.pointer), \(t.pointer), \(rows.0), \(rows.1));"
    }
}

import SqueezeIR
import SqueezeMemory

/// The const arrays one convolution call uses: packed weights and bias
/// (fp32), plus multipliers and shifts (int8).
struct ConvArrays {
    var w: String
    var b: String
    var m = ""
    var s = ""
}

/// Builds the kernel calls of Templates/sq_kernels_f32.h or
/// Templates/sq_kernels_s8.h for one graph: fp32 unless the graph is
/// quantised. Every call takes literal sizes so the always-inline kernels
/// specialise per layer.
struct KernelCalls {
    typealias Map = StepEmitter.Map

    let quantization: Quantization?
    /// C expression of the int16 im2col scratch (int8 only).
    var im2col = "im2col"

    init(graph: Graph) {
        quantization = graph.quantization
    }

    var isInt8: Bool { quantization != nil }
    /// C type of an activation element.
    var element: String { isInt8 ? "int8_t" : "float" }
    var suffix: String { isInt8 ? "s8" : "f32" }
    var kernelsHeader: String { isInt8 ? "sq_kernels_s8.h" : "sq_kernels_f32.h" }

    /// The arrays of a convolution, added to the weight table on first use.
    func arrays(_ weights: inout WeightTable, weight: String, bias: String?, _ graph: Graph) throws(CodegenError) -> ConvArrays {
        if isInt8 {
            let names = try weights.int8Conv(weight, graph)
            return ConvArrays(w: names.w, b: names.b, m: names.m, s: names.s)
        }
        return ConvArrays(w: try weights.convWeights(weight, graph), b: try bias.map { name throws(CodegenError) in try weights.bias(name, graph) } ?? "NULL")
    }

    func convQuant(_ weight: String) throws(CodegenError) -> ConvQuantization? {
        guard let quantization else { return nil }
        guard let q = quantization.convolutions[weight] else { throw CodegenError("weight '\(weight)' has no quantisation parameters") }
        return q
    }

    /// One convolution over output rows `rows`.
    func conv(_ a: Conv2DAttributes, _ q: ConvQuantization?, source s: Map, target t: Map, arrays x: ConvArrays, rows: (String, String)) -> String {
        let pointwise = a.kernel == .square(1) && a.stride == .square(1) && a.padding.isZero
        let outW = OutputSize.conv(input: s.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right) ?? 0
        guard let q else {
            let relu = a.activation == .relu ? 1 : 0
            if pointwise {
                return "sq_conv1x1_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(t.stride), \(t.ring), "
                    + "\(a.outChannels), \(x.w), \(x.b), \(relu), \(rows.0), \(rows.1));"
            }
            return "sq_conv_f32(\(s.pointer), \(s.h), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(outW), \(t.stride), \(t.ring), "
                + "\(a.outChannels), \(x.w), \(x.b), \(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), "
                + "\(a.padding.top), \(a.padding.left), \(relu), \(rows.0), \(rows.1));"
        }
        let requant = "\(x.w), \(x.b), \(x.m), \(x.s), \(q.output.zeroPoint), \(q.activationMin), \(q.activationMax)"
        if pointwise {
            return "sq_conv1x1_s8(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(t.stride), \(t.ring), "
                + "\(a.outChannels), \(requant), \(rows.0), \(rows.1), \(im2col));"
        }
        return "sq_conv_s8(\(s.pointer), \(s.h), \(s.w), \(s.stride), \(s.ring), \(s.c), \(q.input.zeroPoint), \(t.pointer), \(outW), "
            + "\(t.stride), \(t.ring), \(a.outChannels), \(requant), \(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), "
            + "\(a.padding.top), \(a.padding.left), \(rows.0), \(rows.1), \(im2col));"
    }

    /// 1x1 convolution + ReLU summed into the global-average accumulator `acc`.
    func convGlobalAverage(_ a: Conv2DAttributes, _ q: ConvQuantization?, source s: Map, acc: String, arrays x: ConvArrays,
                           rows: (String, String)) -> String {
        guard let q else {
            return "sq_conv1x1_relu_gap_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(acc), \(a.outChannels), "
                + "\(x.w), \(x.b), \(rows.0), \(rows.1));"
        }
        return "sq_conv1x1_gap_s8(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(acc), \(a.outChannels), "
            + "\(x.w), \(x.b), \(x.m), \(x.s), \(q.output.zeroPoint), \(q.activationMin), \(q.activationMax), \(rows.0), \(rows.1), \(im2col));"
    }

    func gap(source s: Map, acc: String, rows: (String, String)) -> String {
        "sq_gap_\(suffix)(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(acc), \(rows.0), \(rows.1));"
    }

    /// The mean from the sums: fp32 scales `acc` in place; int8 requantises
    /// the int32 sums to the average's own scale (`AverageQuantization`) into
    /// `out`, counting with the caller's `int i`.
    func gapFinish(acc: String, out: String, channels: Int, pixels: Int, node: String) throws(CodegenError) -> String {
        if let quantization {
            guard let q = quantization.averages[node] else { throw CodegenError("global average '\(node)' has no quantisation parameters") }
            return "for (i = 0; i < \(channels); ++i) (\(out))[i] = sq_requant_s8((\(acc))[i] - \(q.count * q.input.zeroPoint), "
                + "\(q.multiplier), \(q.shift), \(q.output.zeroPoint), -128, 127);"
        }
        guard let scale = FloatLiteral.c(1 / Float(pixels)) else { throw CodegenError("bad pooling scale") }
        return "sq_gap_finish_f32(\(acc), \(channels), \(scale));"
    }

    /// Element-wise sum of `count` values (the bypass).
    func add(_ a: String, _ b: String, out: String, count: Int, node: String) throws(CodegenError) -> String {
        guard let quantization else { return "sq_add_f32(\(a), \(b), \(out), \(count));" }
        guard let q = quantization.adds[node] else { throw CodegenError("add '\(node)' has no quantisation parameters") }
        return "sq_add_s8(\(a), \(q.a.zeroPoint), \(q.multiplierA), \(b), \(q.b.zeroPoint), \(q.multiplierB), \(out), \(count), "
            + "\(q.shift), \(q.output.zeroPoint), -128, 127);"
    }

    func maxPool(_ a: PoolAttributes, source s: Map, target t: Map, rows: (String, String)) -> String {
        "sq_maxpool_\(suffix)(\(s.pointer), \(s.h), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(t.w), \(t.stride), \(t.ring), "
            + "\(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), \(a.padding.top), \(a.padding.left), \(rows.0), \(rows.1));"
    }

    func maxPoolFold(_ a: PoolAttributes, source s: Map, accRow: String, target t: Map, first: String) -> String {
        "sq_maxpool_fold_\(suffix)(\(s.pointer), \(s.w), \(s.stride), \(s.c), \(accRow), \(t.w), \(t.stride), "
            + "\(a.kernel.w), \(a.stride.w), \(a.padding.left), \(first));"
    }

    func copyChannels(source s: Map, target: String, targetStride: Int, targetRing: Int, rows: (String, String)) -> String {
        "sq_copy_channels_\(suffix)(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(target), \(targetStride), \(targetRing), "
            + "\(rows.0), \(rows.1));"
    }
}

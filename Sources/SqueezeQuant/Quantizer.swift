import SqueezeIR

/// Turns a fused fp32 graph and calibrated ranges into an int8 graph: the
/// input and every activation int8 per tensor (asymmetric), weights int8
/// symmetric per output channel, biases int32 (corrected for the input zero
/// point), requantisation multipliers and shifts per channel. A pass
/// (Graph -> Graph): nodes and names are unchanged; `quantization` is set.
///
/// Parameters per value: a convolution's output from the range of its output
/// before any fused pool (`<node>.conv`) — max pools and global averages of
/// int8 codes keep scale and zero point; a Fire module's squeeze from
/// `<node>.squeeze`, and both expands are requantised straight to the
/// concat's parameters (no copy, no second requantisation); max pool, global
/// average, ReLU, dropout, flatten and average pool pass their input's
/// parameters on; a softmax outputs scale 1/256, zero point -128
/// (`SoftmaxQuantization`).
///
/// The parameters of a point come from its calibrated range, or are given
/// (an already-quantised model's own, `ImportedPoints`); the integer
/// lowering below (weights, biases, multipliers, shifts) is the same for
/// both, and takes an imported model's integer weights and biases as they
/// are (`Graph.importedQuantization`).
public struct Quantizer {
    public var ranges: [String: ClosedRange<Float>]
    public var calibration: CalibrationSummary
    /// Parameters by quantisation point, used as they are (no range).
    public var given: [String: QuantParams]

    public init(ranges: [String: ClosedRange<Float>], calibration: CalibrationSummary) {
        self.ranges = ranges
        self.calibration = calibration
        given = [:]
        graphImported = nil
    }

    /// The integer lowering of an already-quantised model: `given` holds
    /// the model's parameters of every point, its weights and biases are
    /// in `Graph.importedQuantization`.
    public init(given: [String: QuantParams], calibration: CalibrationSummary) {
        ranges = [:]
        self.calibration = calibration
        self.given = given
        graphImported = nil
    }

    /// Activation parameters for a real range (widened to include 0):
    /// scale = (max - min) / 255, zero point = round(-128 - min / scale).
    public static func activationParams(_ range: ClosedRange<Float>) -> QuantParams {
        let lo = min(Double(range.lowerBound), 0)
        var hi = max(Double(range.upperBound), 0)
        if hi - lo < 1e-9 { hi = lo + 1e-9 }
        let scale = Float((hi - lo) / 255)
        let zp = (-128 - lo / Double(scale)).rounded(.toNearestOrAwayFromZero)
        return QuantParams(scale: scale, zeroPoint: Int32(min(max(zp, -128), 127)))
    }

    /// The imported model's quantisation while `run` lowers its graph.
    private var graphImported: ImportedQuantization?

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var lowering = self
        lowering.graphImported = graph.importedQuantization
        return try lowering.lower(graph)
    }

    private func lower(_ graph: Graph) throws(Diagnostic) -> Graph {
        guard graph.quantization == nil else { throw .usage("graph '\(graph.name)' is already quantised") }
        guard graph.inputs.count == 1 else { throw .unsupported("int8 needs a graph with one input") }
        var values: [String: QuantParams] = [:]
        var convolutions: [String: ConvQuantization] = [:]
        var averages: [String: AverageQuantization] = [:]
        var adds: [String: AddQuantization] = [:]
        var activations: [String: ActivationQuantization] = [:]
        var affines: [String: AffineQuantization] = [:]
        var averagePools: [String: AveragePoolQuantization] = [:]
        var concatTables: [String: [Int8]] = [:]
        var softmaxes: [String: SoftmaxQuantization] = [:]
        var constants = graph.constants
        var usedRanges: [String: ClosedRange<Float>] = [:]

        func params(_ point: String, node: String?) throws(Diagnostic) -> QuantParams {
            if let p = given[point] { return p }
            guard let range = ranges[point] else {
                throw .internal("no calibrated range for '\(point)'", node: node)
            }
            usedRanges[point] = range
            return Self.activationParams(range)
        }
        func known(_ value: String, node: String) throws(Diagnostic) -> QuantParams {
            guard let p = values[value] else { throw .internal("value '\(value)' has no quantisation parameters", node: node) }
            return p
        }

        let input = graph.inputs[0].name
        if graph.inputType == .uint8 {
            // Raw 0...255 pixels (`--input-type uint8`): exact codes v - 128, whatever was calibrated.
            values[input] = InputType.rawQuantization
            usedRanges[input] = InputType.rawRange
        } else {
            values[input] = try params(input, node: nil)
        }
        // Convolutions feeding a standalone concat take its parameters (`ConcatQuantization`).
        let concatOutputs = ConcatQuantization.sharedOutputs(in: graph)
        for node in graph.nodes {
            guard Int8Support.supports(node.op) else { throw Int8Support.refusal(node) }
            if let limit = Int8Support.shapeLimit(node, in: graph) { throw .unsupported(limit, node: node.name) }
            let x = try known(node.inputs[0], node: node.name)
            switch node.op {
            case .conv2d(let a):
                let point = a.pool == nil ? concatOutputs[node.output] ?? node.output : Quantization.convPoint(node.name)
                var out = try params(point, node: node.name)
                if a.activation.isClamp {
                    // Parameters the model gives, or a concat's shared ones, are kept (a table after a widened requantisation);
                    // calibrated ones, and those inside a fused global average, may be widened.
                    let keep = a.pool != .globalAverage && (given[point] != nil || concatOutputs[node.output] != nil)
                    out = try quantizeConv(a, parameters: Array(node.parameters), input: x,
                                           output: keep ? .keep(requantize: out, final: out) : .widen(out), node: node.name,
                                           &constants, &convolutions)
                } else {
                    // Requantised to the pre-activation point, then a lookup table to `out`.
                    let pre = try quantizeConv(a, parameters: Array(node.parameters), input: x,
                                               output: .widen(try params(Quantization.activationPoint(node.name), node: node.name)),
                                               node: node.name, &constants, &convolutions)
                    values[Quantization.activationPoint(node.name)] = pre
                    activations[node.name] = ActivationQuantization.derive(activation: a.activation, input: pre, output: out)
                }
                switch a.pool {
                case nil:
                    values[node.output] = out
                case .max:
                    values[Quantization.convPoint(node.name)] = out
                    values[node.output] = out
                case .globalAverage:
                    values[Quantization.convPoint(node.name)] = out
                    let input = try graph.type(of: node.inputs[0]).shape
                    let rows = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom) ?? 0
                    let columns = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left,
                                                  padEnd: a.padding.right) ?? 0
                    let average = try Self.average(input: out, output: try params(node.output, node: node.name), count: rows * columns,
                                                   node: node.name, fused: true)
                    averages[node.name] = average
                    values[node.output] = average.output
                }
            case .fire(let a):
                let squeeze = try params(Quantization.squeezePoint(node.name), node: node.name)
                let concat = try params(a.pool == nil ? node.output : Quantization.convPoint(node.name), node: node.name)
                let ranges = a.parameterRanges
                // The squeeze's codes stay inside the module: widened when too narrow.
                let squeezed = try quantizeConv(a.squeeze, parameters: Array(node.parameters[ranges[0]]), input: x, output: .widen(squeeze),
                                                node: node.name, &constants, &convolutions)
                // An imported model's expands keep their own parameters and are requantised to the concat's (its two roundings).
                let e1 = given[Quantization.expandPoint(node.name, "1x1")].flatMap { $0 == concat ? nil : $0 }
                let e3 = given[Quantization.expandPoint(node.name, "3x3")].flatMap { $0 == concat ? nil : $0 }
                try quantizeConv(a.expand1x1, parameters: Array(node.parameters[ranges[1]]), input: squeezed,
                                 output: .keep(requantize: e1 ?? concat, final: concat), node: node.name, &constants, &convolutions)
                try quantizeConv(a.expand3x3, parameters: Array(node.parameters[ranges[2]]), input: squeezed,
                                 output: .keep(requantize: e3 ?? concat, final: concat), node: node.name, &constants, &convolutions)
                values[Quantization.squeezePoint(node.name)] = squeezed
                if a.pool != nil { values[Quantization.convPoint(node.name)] = concat }
                values[node.output] = concat
            case .globalAvgPool:
                let s = try graph.type(of: node.inputs[0]).shape
                let average = try Self.average(input: x, output: try params(node.output, node: node.name), count: s.h * s.w, node: node.name)
                averages[node.name] = average
                values[node.output] = average.output
            case .maxPool, .relu, .dropout, .flatten:
                values[node.output] = x
            case .add:
                let add = try Self.add(x, try known(node.inputs[1], node: node.name), output: try params(node.output, node: node.name),
                                       node: node.name)
                adds[node.name] = add
                values[node.output] = add.output
            case .activation(let a):
                let out = try params(node.output, node: node.name)
                activations[node.name] = ActivationQuantization.derive(activation: a, input: x, output: out)
                values[node.output] = out
            case .affine:
                let out = try params(node.output, node: node.name)
                guard let scale = graph.constants[node.parameters[0]]?.floats, let shift = graph.constants[node.parameters[1]]?.floats,
                      scale.count == shift.count, !scale.isEmpty else {
                    throw .internal("the affine op has no scale and shift of one shape", node: node.name)
                }
                guard scale.allSatisfy({ $0.isFinite }), shift.allSatisfy({ $0.isFinite }) else {
                    throw .input("the affine op's scale or shift is not finite", node: node.name)
                }
                // An output range too narrow for the factors (at most 2^29) or the offsets (at most 2^19 codes) is widened.
                let largestScale = Double(scale.map(abs).max() ?? 0), largestShift = Double(shift.map(abs).max() ?? 0)
                let wide = Self.widened(out, toScale: max(largestScale * Double(x.scale) / 536_870_912, largestShift / 524_288))
                guard let parameter = graph.constants[node.parameters[0]]?.shape,
                      let broadcast = AffineBroadcast(parameter: parameter, map: try graph.type(of: node.inputs[0]).shape) else {
                    throw .internal("the affine op's parameters do not cover its input", node: node.name)
                }
                guard let q = AffineQuantization.derive(input: x, output: wide, scale: scale, shift: shift, broadcast: broadcast) else {
                    throw .internal("the affine op's int8 rescale factors are out of range after widening", node: node.name)
                }
                affines[node.name] = q
                values[node.output] = q.output
            case .pad:
                values[node.output] = x
            case .avgPool:
                let pool = AveragePoolQuantization.derive(input: x)
                averagePools[node.name] = pool
                values[node.output] = pool.params
            case .softmax:
                let softmax = SoftmaxQuantization.derive(input: x)
                softmaxes[node.name] = softmax
                values[node.output] = softmax.output
            case .concat:
                var inputs: [QuantParams] = []
                for name in node.inputs { inputs.append(try known(name, node: node.name)) }
                if let shared = ConcatQuantization.derive(inputs: inputs) {
                    values[node.output] = shared
                } else {
                    // Inputs on other scales: each rescaled to the concat's calibrated parameters by a 256-entry table.
                    let out = try params(node.output, node: node.name)
                    for (name, p) in zip(node.inputs, inputs) where p != out {
                        concatTables[ConcatQuantization.tableKey(concat: node.name, input: name)] = Self.rescaleTable(from: p, to: out)
                    }
                    values[node.output] = out
                }
            }
        }

        var result = graph
        result.constants = constants
        result.inputs[0].type = TensorType(.int8, graph.inputs[0].type.shape)
        result.valueTypes = [:]
        result = try ShapeInference.run(result)
        result.quantization = Quantization(values: values, convolutions: convolutions, averages: averages, adds: adds, ranges: usedRanges,
                                           calibration: calibration, activations: activations, affines: affines,
                                           averagePools: averagePools, softmaxes: softmaxes, concatTables: concatTables)
        return result
    }

    /// An addition's two rescale factors as multipliers sharing one shift,
    /// the largest shift (<= 62) that keeps both multipliers below 2^31.
    static func add(_ a: QuantParams, _ b: QuantParams, output: QuantParams, node: String) throws(Diagnostic) -> AddQuantization {
        // An output range 2^27 times narrower than an input's is widened (coarser steps, same real zero).
        let output = widened(output, toScale: Double(max(a.scale, b.scale)) / 134_217_728)
        let ma = Double(a.scale) / Double(output.scale), mb = Double(b.scale) / Double(output.scale)
        let largest = max(ma, mb)
        guard largest > 0, largest < 268_435_456 else {
            throw .internal("the int8 add's rescale factors (\(ma), \(mb)) are out of range", node: node)
        }
        let shift = min(62, 30 - Int(largest.exponent))
        func multiplier(_ m: Double) -> Int32 { Int32(min((m * Double(sign: .plus, exponent: shift, significand: 1)).rounded(.toNearestOrAwayFromZero), 2147483647)) }
        return AddQuantization(a: a, b: b, output: output, multiplierA: multiplier(ma), multiplierB: multiplier(mb), shift: Int32(shift))
    }

    /// A global average's requantisation to its own calibrated scale, for
    /// any pixel count: `M = input.scale / (count * output.scale)` as a
    /// general multiplier and shift (shift in [1, 62], so M may be 0.5 or
    /// more, as it is over 1 or 2 pixels). The mean of codes `sum - count *
    /// zp` is at most `255 * count` in magnitude, so the requantised value
    /// stays inside int32 whenever `255 * count * M < 2^30`.
    static func average(input: QuantParams, output: QuantParams, count: Int, node: String,
                        fused: Bool = false) throws(Diagnostic) -> AverageQuantization {
        let pool = fused ? "the int8 global average pool fused into this convolution" : "the int8 global average pool"
        guard count > 0 else { throw .unsupported("\(pool) has no pixels to average", node: node) }
        // 255 * count * M below 2^29: an output range too narrow for that is widened.
        let output = widened(output, toScale: 255 * Double(input.scale) / 536_870_912)
        let m = Double(input.scale) / (Double(count) * Double(output.scale))
        guard 255 * Double(count) * m < 1_073_741_824, let (multiplier, shift) = RequantMultiplier.general(m) else {
            throw .internal("\(pool) over \(count) pixels has a rescale factor \(m) too large for int32 "
                               + "(its calibrated output range is \(output.scale * 255) wide for inputs of scale \(input.scale))",
                               node: node)
        }
        return AverageQuantization(input: input, output: output, count: Int32(count), multiplier: multiplier, shift: shift)
    }

    /// An imported model's integer weight (and bias) of a convolution, when
    /// its shape matches.
    private func importedWeight(_ parameters: [String], cout: Int, count: Int) -> (weight: QuantizedWeight, bias: QuantizedBias?)? {
        guard let imported = graphImported, let weight = imported.weights[parameters[0]], weight.codes.count == count,
              weight.scales.count == cout else { return nil }
        let bias = parameters.count > 1 ? imported.biases[parameters[1]] : nil
        return (weight, bias.flatMap { $0.codes.count == cout && $0.scales.count == cout ? $0 : nil })
    }

    /// The codes of `to` for every code of `from`, as DequantizeLinear then
    /// QuantizeLinear compute them (onnxruntime's QLinearConcat table):
    /// `(q - zp) * scale` in float32, divided by the new scale, rounded half
    /// to even, plus the new zero point, saturated.
    public static func rescaleTable(from: QuantParams, to: QuantParams) -> [Int8] {
        (-128...127).map { (code: Int32) -> Int8 in
            let real = Float(code - from.zeroPoint) * from.scale
            let q = (real / to.scale).rounded(.toNearestOrEven) + Float(to.zeroPoint)
            return Int8(min(max(q, -128), 127))
        }
    }

    /// Scales equal up to float32 rounding of their product.
    static func sameScale(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-6 * max(abs(a), abs(b))
    }

    /// Where a convolution's requantised codes end up when the wanted
    /// output parameters are too narrow for its accumulator (a factor
    /// `input.scale * weight.scale / output.scale` of 0.5 or more, which
    /// the kernels' high-word requantisation cannot take).
    enum ConvOutput {
        /// The parameters are the quantizer's own choice (a calibrated
        /// point, or one internal to a fused op): widen them.
        case widen(QuantParams)
        /// The parameters must be kept (an imported model's, or shared):
        /// requantise to `requantize` (widened when needed), then a table
        /// to `final` when the two differ.
        case keep(requantize: QuantParams, final: QuantParams)

        var wanted: QuantParams {
            switch self {
            case .widen(let p): p
            case .keep(let p, _): p
            }
        }
    }

    /// Parameters with a scale of at least `scale` whose real range covers
    /// `p`'s: the same real zero, coarser steps.
    static func widened(_ p: QuantParams, toScale scale: Double) -> QuantParams {
        guard scale > Double(p.scale) else { return p }
        let lo = Double(p.scale) * Double(-128 - p.zeroPoint)
        let s = Float(scale)
        let zp = (-128 - lo / Double(s)).rounded(.toNearestOrAwayFromZero)
        return QuantParams(scale: s, zeroPoint: Int32(min(max(zp, -128), 127)))
    }

    /// The largest factor the convolution kernels requantise with (below
    /// 0.5, with margin for float rounding of the widened scale).
    static let largestConvFactor = 0.484375

    /// Quantises one convolution; returns the parameters of the codes it
    /// finally writes (the wanted ones, or widened ones for `.widen`).
    @discardableResult
    private func quantizeConv(_ a: Conv2DAttributes, parameters: [String], input: QuantParams, output target: ConvOutput, node: String,
                              _ constants: inout [String: Tensor], _ convolutions: inout [String: ConvQuantization]) throws(Diagnostic) -> QuantParams {
        let wanted = target.wanted
        guard let weight = constants[parameters[0]], let w = weight.floats, weight.shape.rank == 4 else {
            throw .unsupported("weight '\(parameters[0])' must be an fp32 OHWI tensor to be quantised", node: node)
        }
        let cout = a.outChannels
        let k = w.count / max(cout, 1)
        var bias = [Float](repeating: 0, count: cout)
        if a.hasBias {
            guard parameters.count > 1, let b = constants[parameters[1]]?.floats, b.count == cout else {
                throw .unsupported("bias '\(parameters.count > 1 ? parameters[1] : "?")' must be fp32 [\(cout)]", node: node)
            }
            bias = b
        }
        let imported = importedWeight(parameters, cout: cout, count: w.count)
        var codes = [Int8](repeating: 0, count: w.count)
        var scales = [Float](repeating: 1, count: cout)
        var sums = [Int64](repeating: 0, count: cout)
        var corrected = [Int32](repeating: 0, count: cout)
        var multipliers = [Int32](repeating: 0, count: cout)
        var shifts = [Int32](repeating: 0, count: cout)
        for co in 0..<cout {
            let row = w[(co * k)..<((co + 1) * k)]
            guard row.allSatisfy({ $0.isFinite }), bias[co].isFinite else {
                throw .input("weights or bias of output channel \(co) are not finite", node: node)
            }
            var sum: Int64 = 0
            let scale: Float
            if let imported {
                // The model's own codes and scale, exactly.
                scale = imported.weight.scales[co]
                for i in 0..<k {
                    codes[co * k + i] = imported.weight.codes[co * k + i]
                    sum += Int64(imported.weight.codes[co * k + i])
                }
            } else {
                let maxAbs = row.reduce(Float(0)) { max($0, abs($1)) }
                // An all-zero channel gets a scale that keeps its multiplier small (M = 2^-10).
                var chosen = maxAbs > 0 ? Double(maxAbs) / 127 : Double(wanted.scale) / 1024 / Double(input.scale)
                // A bias of at most 2^28 accumulator units, so the int32 accumulator cannot overflow: coarser weights
                // where the input's scale is tiny next to the bias (a layer after one that calibrated as all zeros).
                chosen = max(chosen, Double(abs(bias[co])) / (Double(input.scale) * 268_435_456))
                scale = Float(chosen)
                for i in 0..<k {
                    let q = (Double(row[row.startIndex + i]) / Double(scale)).rounded(.toNearestOrAwayFromZero)
                    let code = Int8(min(max(q, -127), 127))
                    codes[co * k + i] = code
                    sum += Int64(code)
                }
            }
            scales[co] = scale
            sums[co] = sum
        }
        // Output parameters the kernels can requantise to: every factor below 0.5.
        let largest = scales.map { Double(input.scale) * Double($0) }.max() ?? 0
        let requantized = largest / Double(wanted.scale) <= Self.largestConvFactor
            ? wanted : Self.widened(wanted, toScale: largest / Self.largestConvFactor)
        var outputTable: [Int8]?
        if case .keep(_, let final) = target, final != requantized {
            outputTable = Self.rescaleTable(from: requantized, to: final)
        }
        for co in 0..<cout {
            let biasScale = Double(input.scale) * Double(scales[co])
            var b = (Double(bias[co]) / biasScale).rounded(.toNearestOrAwayFromZero)
            if let importedBias = imported?.bias, Self.sameScale(Double(importedBias.scales[co]), biasScale) {
                // The model's int32 bias, exactly (its scale is input scale x weight scale).
                b = Double(importedBias.codes[co])
            }
            guard abs(b) < 1e15 else { throw .input("bias of output channel \(co) does not fit int32 after quantisation", node: node) }
            let value = Int64(b) - Int64(input.zeroPoint) * sums[co]
            // The accumulator must stay inside int32 for every input.
            guard abs(value) + Int64(k) * 128 * (imported == nil ? 127 : 128) < Int64(Int32.max) else {
                throw .input("the int32 accumulator of output channel \(co) could overflow (bias \(value), \(k) taps)", node: node)
            }
            corrected[co] = Int32(value)
            let m = biasScale / Double(requantized.scale)
            guard let (multiplier, shift) = RequantMultiplier.make(m) else {
                throw .internal("requantisation factor \(m) of output channel \(co) is 0.5 or more after widening", node: node)
            }
            multipliers[co] = multiplier
            shifts[co] = shift
        }
        let output = requantized
        constants[parameters[0]] = Tensor(shape: weight.shape, storage: .int8(codes))
        if a.hasBias {
            constants[parameters[1]] = Tensor(shape: TensorShape([cout]), storage: .int32(corrected))
        }
        var (lo, hi): (Int32, Int32) = (-128, 127)
        switch a.activation {
        case .relu: lo = max(output.zeroPoint, -128)
        case .clip(let min, let max): (lo, hi) = (Int32(output.quantize(min)), Int32(output.quantize(max)))
        case .none, .leakyRelu, .sigmoid: break
        }
        convolutions[parameters[0]] = ConvQuantization(
            input: input, output: output, weightScales: scales, bias: corrected, multipliers: multipliers, shifts: shifts,
            activationMin: lo, activationMax: hi, outputTable: outputTable)
        if case .keep(_, let final) = target { return final }
        return requantized
    }
}

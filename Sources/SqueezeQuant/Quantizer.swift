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
            let x = try known(node.inputs[0], node: node.name)
            switch node.op {
            case .conv2d(let a):
                let out = try params(a.pool == nil ? concatOutputs[node.output] ?? node.output : Quantization.convPoint(node.name),
                                     node: node.name)
                if a.activation.isClamp {
                    try quantizeConv(a, parameters: Array(node.parameters), input: x, output: out, node: node.name, &constants, &convolutions)
                } else {
                    // Requantised to the pre-activation point, then a lookup table to `out`.
                    let pre = try params(Quantization.activationPoint(node.name), node: node.name)
                    try quantizeConv(a, parameters: Array(node.parameters), input: x, output: pre, node: node.name, &constants, &convolutions)
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
                try quantizeConv(a.squeeze, parameters: Array(node.parameters[ranges[0]]), input: x, output: squeeze, node: node.name,
                                 &constants, &convolutions)
                // An imported model's expands keep their own parameters and are requantised to the concat's (its two roundings).
                let e1 = given[Quantization.expandPoint(node.name, "1x1")].flatMap { $0 == concat ? nil : $0 }
                let e3 = given[Quantization.expandPoint(node.name, "3x3")].flatMap { $0 == concat ? nil : $0 }
                try quantizeConv(a.expand1x1, parameters: Array(node.parameters[ranges[1]]), input: squeeze, output: e1 ?? concat,
                                 node: node.name, &constants, &convolutions, outputTable: e1.map { Self.rescaleTable(from: $0, to: concat) })
                try quantizeConv(a.expand3x3, parameters: Array(node.parameters[ranges[2]]), input: squeeze, output: e3 ?? concat,
                                 node: node.name, &constants, &convolutions, outputTable: e3.map { Self.rescaleTable(from: $0, to: concat) })
                values[Quantization.squeezePoint(node.name)] = squeeze
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
                      let q = AffineQuantization.derive(input: x, output: out, scale: scale, shift: shift) else {
                    throw .unsupported("the affine op's int8 rescale factors are out of range", node: node.name)
                }
                affines[node.name] = q
                values[node.output] = out
            case .pad:
                values[node.output] = x
            case .avgPool:
                let pool = AveragePoolQuantization.derive(input: x)
                averagePools[node.name] = pool
                values[node.output] = pool.params
            case .softmax:
                let width = try graph.type(of: node.inputs[0]).shape.dims.last ?? 1
                guard width <= SoftmaxQuantization.maximumWidth else {
                    throw .unsupported("the int8 softmax takes rows of at most \(SoftmaxQuantization.maximumWidth) values, not \(width)",
                                       node: node.name)
                }
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
        let ma = Double(a.scale) / Double(output.scale), mb = Double(b.scale) / Double(output.scale)
        let largest = max(ma, mb)
        guard largest > 0, largest < 268_435_456 else {
            throw .unsupported("the int8 add's rescale factors (\(ma), \(mb)) are out of range", node: node)
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
        let m = Double(input.scale) / (Double(count) * Double(output.scale))
        guard 255 * Double(count) * m < 1_073_741_824, let (multiplier, shift) = RequantMultiplier.general(m) else {
            throw .unsupported("\(pool) over \(count) pixels has a rescale factor \(m) too large for int32 "
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

    private func quantizeConv(_ a: Conv2DAttributes, parameters: [String], input: QuantParams, output: QuantParams, node: String,
                              _ constants: inout [String: Tensor], _ convolutions: inout [String: ConvQuantization],
                              outputTable: [Int8]? = nil) throws(Diagnostic) {
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
                scale = maxAbs > 0 ? maxAbs / 127 : Float(Double(output.scale) / 1024 / Double(input.scale))
                for i in 0..<k {
                    let q = (Double(row[row.startIndex + i]) / Double(scale)).rounded(.toNearestOrAwayFromZero)
                    let code = Int8(min(max(q, -127), 127))
                    codes[co * k + i] = code
                    sum += Int64(code)
                }
            }
            scales[co] = scale
            let biasScale = Double(input.scale) * Double(scale)
            var b = (Double(bias[co]) / biasScale).rounded(.toNearestOrAwayFromZero)
            if let importedBias = imported?.bias, Self.sameScale(Double(importedBias.scales[co]), biasScale) {
                // The model's int32 bias, exactly (its scale is input scale x weight scale).
                b = Double(importedBias.codes[co])
            }
            guard abs(b) < 1e15 else { throw .input("bias of output channel \(co) does not fit int32 after quantisation", node: node) }
            let value = Int64(b) - Int64(input.zeroPoint) * sum
            // The accumulator must stay inside int32 for every input.
            guard abs(value) + Int64(k) * 128 * (imported == nil ? 127 : 128) < Int64(Int32.max) else {
                throw .input("the int32 accumulator of output channel \(co) could overflow (bias \(value), \(k) taps)", node: node)
            }
            corrected[co] = Int32(value)
            let m = biasScale / Double(output.scale)
            guard let (multiplier, shift) = RequantMultiplier.make(m) else {
                throw .unsupported("requantisation factor \(m) of output channel \(co) is 0.5 or more (the output range is too "
                                   + "narrow for its inputs); the int8 kernels need it below 0.5", node: node)
            }
            multipliers[co] = multiplier
            shifts[co] = shift
        }
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
    }
}

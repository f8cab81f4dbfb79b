/// int8 quantisation of a graph (set by `SqueezeQuant.Quantizer`).
///
/// Scheme (TFLite / CMSIS-NN int8):
/// - activations int8 per tensor, `real = scale * (q - zeroPoint)`;
/// - weights int8 symmetric per output channel (zero point 0, codes in
///   [-127, 127]);
/// - bias int32 with scale `inputScale * weightScale[co]`, stored *corrected*
///   for the input zero point: `bias[co] - inputZeroPoint * sum_k w[co][k]`,
///   so a convolution is `acc = bias' + sum_k w * x_k` over raw input codes,
///   padded taps reading the input zero point;
/// - requantisation per output channel with TFLite's single rounding
///   (`TFLITE_SINGLE_ROUNDING`): `v = (acc * multiplier + 2^(shift-1)) >> shift`
///   in 64 bits, arithmetic shift (ties round towards +infinity), then
///   `clamp(v + outputZeroPoint, activationMin, activationMax)`; ReLU is
///   `activationMin = outputZeroPoint` (the code of 0.0).
public struct QuantParams: Sendable, Hashable, CustomStringConvertible {
    public var scale: Float
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The real value of a code.
    public func dequantize(_ q: Int32) -> Float { scale * Float(q - zeroPoint) }

    /// The code of a real value: round half away from zero, clamp to int8;
    /// NaN gives the zero point. The generated C (`sq_quantize_f32_s8`) does
    /// exactly this in float arithmetic.
    public func quantize(_ x: Float) -> Int8 {
        if x.isNaN { return Int8(zeroPoint) }
        var t = (x / scale).rounded(.toNearestOrAwayFromZero) + Float(zeroPoint)
        t = min(max(t, -128), 127)
        return Int8(t)
    }

    public var description: String { "scale \(scale) zp \(zeroPoint)" }
}

/// Everything one quantised convolution needs at run time.
public struct ConvQuantization: Sendable, Hashable {
    public var input: QuantParams
    public var output: QuantParams
    /// Per output channel; weights are `round(w / scale)`.
    public var weightScales: [Float]
    /// Corrected int32 bias per output channel (see `QuantParams`).
    public var bias: [Int32]
    /// Requantisation per output channel: multiplier in [0, 2^31), shift in [32, 62].
    public var multipliers: [Int32]
    public var shifts: [Int32]
    public var activationMin: Int32
    public var activationMax: Int32
    /// An imported Fire expand whose own output parameters differ from its
    /// concat's: the 256 concat codes of its codes (index code + 128), as
    /// the model requantises it a second time (`Quantizer.rescaleTable`);
    /// nil otherwise.
    public var outputTable: [Int8]?

    public init(input: QuantParams, output: QuantParams, weightScales: [Float], bias: [Int32], multipliers: [Int32],
                shifts: [Int32], activationMin: Int32, activationMax: Int32, outputTable: [Int8]? = nil) {
        self.outputTable = outputTable
        self.input = input
        self.output = output
        self.weightScales = weightScales
        self.bias = bias
        self.multipliers = multipliers
        self.shifts = shifts
        self.activationMin = activationMin
        self.activationMax = activationMax
    }

    public static let minimumShift: Int32 = 32
    public static let maximumShift: Int32 = 62

    /// The requantised, clamped output code of accumulator `acc` for channel `co`.
    @inline(__always)
    public func requantize(_ acc: Int32, channel co: Int) -> Int8 {
        let code = Self.requantize(acc, multiplier: multipliers[co], shift: shifts[co], zeroPoint: output.zeroPoint,
                                   min: activationMin, max: activationMax)
        guard let outputTable else { return code }
        return outputTable[Int(code) + 128]
    }

    @inline(__always)
    public static func requantize(_ acc: Int32, multiplier: Int32, shift: Int32, zeroPoint: Int32, min lo: Int32, max hi: Int32) -> Int8 {
        let product = Int64(acc) * Int64(multiplier) + (Int64(1) << Int64(shift - 1))
        let v = Int32(truncatingIfNeeded: product >> Int64(shift)) + zeroPoint
        return Int8(truncatingIfNeeded: Swift.min(Swift.max(v, lo), hi))
    }
}

/// A global average pool (fused into a convolution or not) requantised to
/// its own output scale, so the averaged logits keep their resolution:
///
///     out = clamp(requant(sum - count * input.zeroPoint) + output.zeroPoint, -128, 127)
///
/// with `M = input.scale / (count * output.scale)` as multiplier and shift,
/// for any pixel count: multiplier in [2^30, 2^31), shift in [1, 62] (below
/// 32, unlike a convolution's, when M >= 0.5, e.g. over 1 or 2 pixels; the
/// quantizer keeps `255 * count * M < 2^30`, so the value fits in int32).
public struct AverageQuantization: Sendable, Hashable {
    public var input: QuantParams
    public var output: QuantParams
    /// Pixels averaged.
    public var count: Int32
    public var multiplier: Int32
    public var shift: Int32

    public init(input: QuantParams, output: QuantParams, count: Int32, multiplier: Int32, shift: Int32) {
        self.input = input
        self.output = output
        self.count = count
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The output code of a channel's sum of input codes.
    public func finish(_ sum: Int32) -> Int8 {
        ConvQuantization.requantize(sum &- count &* input.zeroPoint, multiplier: multiplier, shift: shift, zeroPoint: output.zeroPoint,
                                    min: -128, max: 127)
    }
}

/// An element-wise sum of two int8 tensors (the paper's bypass), each input
/// rescaled to the output scale in one step (single rounding, 64 bits):
///
///     out = clamp(((a - a.zp) * multiplierA + (b - b.zp) * multiplierB + 2^(shift-1)) >> shift
///                 + output.zeroPoint, -128, 127)
///
/// `multiplierX = round(x.scale / output.scale * 2^shift)` in [0, 2^31), 1 <= shift <= 62.
public struct AddQuantization: Sendable, Hashable {
    public var a: QuantParams
    public var b: QuantParams
    public var output: QuantParams
    public var multiplierA: Int32
    public var multiplierB: Int32
    public var shift: Int32

    public init(a: QuantParams, b: QuantParams, output: QuantParams, multiplierA: Int32, multiplierB: Int32, shift: Int32) {
        self.a = a
        self.b = b
        self.output = output
        self.multiplierA = multiplierA
        self.multiplierB = multiplierB
        self.shift = shift
    }

    @inline(__always)
    public func add(_ x: Int8, _ y: Int8) -> Int8 {
        let sum = Int64(Int32(x) - a.zeroPoint) * Int64(multiplierA) + Int64(Int32(y) - b.zeroPoint) * Int64(multiplierB)
        let v = (sum + (Int64(1) << Int64(shift - 1))) >> Int64(shift)
        return Int8(min(max(v + Int64(output.zeroPoint), -128), 127))
    }
}

/// How the activation ranges were measured.
public struct CalibrationSummary: Sendable, Hashable {
    /// e.g. "minmax", "percentile 99.99", "mse".
    public var method: String
    /// Names of the calibration inputs, in the order they were used.
    public var inputs: [String]

    public init(method: String, inputs: [String]) {
        self.method = method
        self.inputs = inputs
    }
}

/// The int8 quantisation of a graph: parameters of every activation value
/// (graph values and the internal values of fused ops) and of every
/// convolution, keyed by its weight parameter's name.
public struct Quantization: Sendable, Hashable {
    /// Per value: graph input, node outputs, and fused-internal points
    /// named `<node>.squeeze` (a Fire module's squeeze output) and
    /// `<node>.conv` (a convolution's output before a fused pool).
    public var values: [String: QuantParams]
    public var convolutions: [String: ConvQuantization]
    /// Global average pools by node name.
    public var averages: [String: AverageQuantization]
    /// Element-wise additions (bypass) by node name.
    public var adds: [String: AddQuantization]
    /// The observed real range `[min, max]` each value's parameters came from.
    public var ranges: [String: ClosedRange<Float>]
    public var calibration: CalibrationSummary
    /// Lookup-table activations by node name (standalone clip, leaky ReLU,
    /// sigmoid; a convolution's fused leaky ReLU).
    public var activations: [String: ActivationQuantization]
    /// Per-channel affine maps by node name.
    public var affines: [String: AffineQuantization]
    /// Average pools (not global) by node name.
    public var averagePools: [String: AveragePoolQuantization]
    /// Softmaxes by node name.
    public var softmaxes: [String: SoftmaxQuantization]
    /// Standalone concats whose inputs have other parameters than the
    /// concat: the input's codes through a 256-entry rescale table (output
    /// code of input code + 128), by `ConcatQuantization.tableKey`.
    public var concatTables: [String: [Int8]]

    public init(values: [String: QuantParams], convolutions: [String: ConvQuantization], averages: [String: AverageQuantization],
                adds: [String: AddQuantization] = [:], ranges: [String: ClosedRange<Float>], calibration: CalibrationSummary,
                activations: [String: ActivationQuantization] = [:], affines: [String: AffineQuantization] = [:],
                averagePools: [String: AveragePoolQuantization] = [:], softmaxes: [String: SoftmaxQuantization] = [:],
                concatTables: [String: [Int8]] = [:]) {
        self.values = values
        self.convolutions = convolutions
        self.averages = averages
        self.adds = adds
        self.ranges = ranges
        self.calibration = calibration
        self.activations = activations
        self.affines = affines
        self.averagePools = averagePools
        self.softmaxes = softmaxes
        self.concatTables = concatTables
    }

    public func activation(_ node: String) throws(Diagnostic) -> ActivationQuantization {
        guard let a = activations[node] else { throw .internal("activation has no quantisation parameters", node: node) }
        return a
    }

    public func affine(_ node: String) throws(Diagnostic) -> AffineQuantization {
        guard let a = affines[node] else { throw .internal("affine op has no quantisation parameters", node: node) }
        return a
    }

    /// A convolution's output before its fused lookup-table activation
    /// (leaky ReLU), when the activation is not a clamp.
    public static func activationPoint(_ node: String) -> String { node + ".act" }

    public func params(of value: String) throws(Diagnostic) -> QuantParams {
        guard let params = values[value] else { throw .internal("value '\(value)' has no quantisation parameters") }
        return params
    }

    public func convolution(_ weight: String, node: String) throws(Diagnostic) -> ConvQuantization {
        guard let conv = convolutions[weight] else {
            throw .internal("convolution weight '\(weight)' has no quantisation parameters", node: node)
        }
        return conv
    }

    public func average(_ node: String) throws(Diagnostic) -> AverageQuantization {
        guard let average = averages[node] else { throw .internal("global average pool has no quantisation parameters", node: node) }
        return average
    }

    public func addition(_ node: String) throws(Diagnostic) -> AddQuantization {
        guard let add = adds[node] else { throw .internal("add has no quantisation parameters", node: node) }
        return add
    }

    /// Internal quantisation points of fused ops.
    public static func squeezePoint(_ node: String) -> String { node + ".squeeze" }
    public static func convPoint(_ node: String) -> String { node + ".conv" }
    /// An imported Fire module's expand output before its concat (`"1x1"`, `"3x3"`).
    public static func expandPoint(_ node: String, _ expand: String) -> String { node + ".expand" + expand }
}

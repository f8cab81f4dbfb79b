/// A per-channel affine map `y = x * scale[c] + shift[c]` on int8 codes, in
/// one rounding with 64-bit products (like `AddQuantization`):
///
///     out = clamp(((x - input.zp) * multiplier[c] + offset[c] + 2^(shift-1)) >> shift
///                 + output.zeroPoint, -128, 127)
///
/// `multiplier[c] = round(scale[c] * input.scale / output.scale * 2^shift)`
/// (signed, |.| < 2^31) and `offset[c] = round(shift[c] / output.scale * 2^shift)`
/// (int64), one `shift` in [1, 62] for all channels: the largest that keeps
/// every multiplier inside int32.
public struct AffineQuantization: Sendable, Hashable {
    public var input: QuantParams
    public var output: QuantParams
    public var multipliers: [Int32]
    public var offsets: [Int64]
    public var shift: Int32
    /// Which value of the map each multiplier and offset is for (per channel unless the constants broadcast over rows or columns).
    public var broadcast: AffineBroadcast

    public init(input: QuantParams, output: QuantParams, multipliers: [Int32], offsets: [Int64], shift: Int32,
                broadcast: AffineBroadcast = .perChannel) {
        self.input = input
        self.output = output
        self.multipliers = multipliers
        self.offsets = offsets
        self.shift = shift
        self.broadcast = broadcast
    }

    /// nil when a factor is not finite or too large for int32 at shift 1.
    public static func derive(input: QuantParams, output: QuantParams, scale: [Float], shift offsets: [Float],
                              broadcast: AffineBroadcast = .perChannel) -> AffineQuantization? {
        guard scale.count == offsets.count, !scale.isEmpty else { return nil }
        let factors = scale.map { Double($0) * Double(input.scale) / Double(output.scale) }
        let terms = offsets.map { Double($0) / Double(output.scale) }
        guard factors.allSatisfy({ $0.isFinite }), terms.allSatisfy({ $0.isFinite && abs($0) < 1e6 }) else { return nil }
        let largest = factors.map(abs).max() ?? 0
        var shift = 62
        if largest > 0 {
            shift = min(62, 30 - Int(largest.exponent))
        }
        // The offsets times 2^shift must stay far inside int64.
        while shift > 1, (terms.map(abs).max() ?? 0) * Double(sign: .plus, exponent: shift, significand: 1) > 1e17 { shift -= 1 }
        guard shift >= 1 else { return nil }
        let two = Double(sign: .plus, exponent: shift, significand: 1)
        var multipliers: [Int32] = []
        for f in factors {
            let m = (f * two).rounded(.toNearestOrAwayFromZero)
            guard abs(m) < 2147483647 else { return nil }
            multipliers.append(Int32(m))
        }
        let rounded = terms.map { Int64(($0 * two).rounded(.toNearestOrAwayFromZero)) }
        return AffineQuantization(input: input, output: output, multipliers: multipliers, offsets: rounded, shift: Int32(shift),
                                  broadcast: broadcast)
    }

    /// The output code of input code `q` in channel `c`.
    @inline(__always)
    public func apply(_ q: Int8, channel c: Int) -> Int8 {
        let v = Int64(Int32(q) - input.zeroPoint) * Int64(multipliers[c]) + offsets[c] + (Int64(1) << Int64(shift - 1))
        let r = (v >> Int64(shift)) + Int64(output.zeroPoint)
        return Int8(min(max(r, -128), 127))
    }
}

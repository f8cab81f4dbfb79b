import SqueezeIR

/// An integer multiplier and right shift for a real rescale factor
/// `M = multiplier * 2^-shift`, as `ConvQuantization` uses them: multiplier
/// in [2^30, 2^31) (full precision), shift in [32, 62], so the generated C
/// can take the high word of the 64-bit product.
enum RequantMultiplier {
    /// nil when M >= 0.5 (shift would be below 32).
    static func make(_ m: Double) -> (multiplier: Int32, shift: Int32)? {
        guard m > 0 else { return (0, ConvQuantization.minimumShift) }
        // m = f * 2^e with f in [0.5, 1).
        let e = Int(m.exponent) + 1
        let f = m / Double(sign: .plus, exponent: e, significand: 1)
        var multiplier = Int64((f * 2147483648.0).rounded(.toNearestOrAwayFromZero))
        var shift = 31 - e
        if multiplier == 1 << 31 {
            multiplier >>= 1
            shift -= 1
        }
        guard shift >= Int(ConvQuantization.minimumShift) else { return nil }
        if shift > Int(ConvQuantization.maximumShift) {
            let extra = shift - Int(ConvQuantization.maximumShift)
            multiplier = extra >= 63 ? 0 : multiplier >> Int64(extra)
            shift = Int(ConvQuantization.maximumShift)
        }
        return (Int32(multiplier), Int32(shift))
    }
}

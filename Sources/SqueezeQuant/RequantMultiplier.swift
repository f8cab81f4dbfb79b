import SqueezeIR

/// An integer multiplier and right shift for a real rescale factor
/// `M = multiplier * 2^-shift`: multiplier in [2^30, 2^31) (full precision).
/// Convolutions (`ConvQuantization`) need shift in [32, 62], so the generated
/// C can take the high word of the 64-bit product (`make`); a global
/// average's mean is requantised once per channel with the plain 64-bit
/// `sq_requant_s8`, which takes any shift in [1, 62] (`general`).
enum RequantMultiplier {
    /// nil when M >= 0.5 (shift would be below 32).
    static func make(_ m: Double) -> (multiplier: Int32, shift: Int32)? {
        make(m, minimumShift: Int(ConvQuantization.minimumShift))
    }

    /// Any M in (0, 2^30): shift in [1, 62]; nil when M >= 2^30.
    static func general(_ m: Double) -> (multiplier: Int32, shift: Int32)? {
        make(m, minimumShift: 1)
    }

    private static func make(_ m: Double, minimumShift: Int) -> (multiplier: Int32, shift: Int32)? {
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
        guard shift >= minimumShift else { return nil }
        if shift > Int(ConvQuantization.maximumShift) {
            let extra = shift - Int(ConvQuantization.maximumShift)
            multiplier = extra >= 63 ? 0 : multiplier >> Int64(extra)
            shift = Int(ConvQuantization.maximumShift)
        }
        return (Int32(multiplier), Int32(shift))
    }
}

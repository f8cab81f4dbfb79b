/// An int8 average pool (`Op.avgPool`): input and output share scale and
/// zero point (an average stays inside its inputs' range), so there is no
/// requantisation. Per output, with `n` the divisor (`PoolAttributes`:
/// window positions inside the padded extent with `countIncludePad`, else
/// the real ones) and `v` the sum of `q - zeroPoint` over the real window
/// positions (padding is real 0):
///
///     out = clamp(zeroPoint + round(v / n), -128, 127)
///
/// `round` is half away from zero in integers (`(v + n/2) / n`, negated for
/// v < 0, truncating division), exactly as `sq_avgpool_s8`; a window with
/// no real position gives the zero point.
public struct AveragePoolQuantization: Sendable, Hashable {
    public var params: QuantParams

    public init(params: QuantParams) {
        self.params = params
    }

    /// The parameters of an average pool reading a value with `input`'s.
    public static func derive(input: QuantParams) -> AveragePoolQuantization {
        AveragePoolQuantization(params: input)
    }

    /// `round(v / n)` half away from zero (n > 0).
    @inline(__always)
    public static func roundedQuotient(_ v: Int32, _ n: Int32) -> Int32 {
        v >= 0 ? (v + n / 2) / n : -((-v + n / 2) / n)
    }

    /// The output code of a window whose codes minus the zero point sum to `v`, over divisor `n`.
    public func finish(sum v: Int32, divisor n: Int32, empty: Bool) -> Int8 {
        guard !empty, n > 0 else { return Int8(truncatingIfNeeded: params.zeroPoint) }
        let q = Self.roundedQuotient(v, n) + params.zeroPoint
        return Int8(min(max(q, -128), 127))
    }
}

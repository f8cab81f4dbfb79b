/// How far generated outputs are from the reference.
public struct ErrorStats: Sendable, Codable, Equatable {
    public var maxAbsError: Double
    /// max - min of the reference values.
    public var range: Double
    /// maxAbsError / range.
    public var relativeError: Double
    /// Values that are NaN or infinite in either (NaN compared with NaN is
    /// not agreement: such a comparison never passes).
    public var nonFinite: Int
    /// Values that differ at all (for int8 outputs: differing bytes).
    public var differing: Int

    enum CodingKeys: String, CodingKey {
        case range
        case maxAbsError = "max_abs_error"
        case relativeError = "relative_error"
        case nonFinite = "non_finite"
        case differing
    }

    public init(actual: [Float], expected: [Float]) {
        precondition(actual.count == expected.count, "compared arrays differ in size")
        var maxAbs = 0.0
        var nonFinite = 0
        var differing = 0
        for (a, e) in zip(actual, expected) {
            if a.bitPattern != e.bitPattern { differing += 1 }
            if !a.isFinite || !e.isFinite {
                nonFinite += 1
            } else {
                maxAbs = max(maxAbs, Double(abs(a - e)))
            }
        }
        let finite = expected.filter(\.isFinite)
        let range = Double((finite.max() ?? 0) - (finite.min() ?? 0))
        self.maxAbsError = maxAbs
        self.range = range
        self.relativeError = maxAbs / max(range, Double(Float.leastNormalMagnitude))
        self.nonFinite = nonFinite
        self.differing = differing
    }

    /// Tolerance 0 asks for identical values.
    public func within(_ tolerance: Double) -> Bool {
        nonFinite == 0 && (tolerance == 0 ? differing == 0 : relativeError <= tolerance)
    }
}

/// A stored weight value as the encodings see it: compared by its exact
/// bits. fp32 weights are encoded as their `Float.bitPattern` (so -0.0 and
/// every NaN payload round-trip; only +0.0 counts as a zero), int8 weights
/// as their codes.
public protocol WeightValue: Hashable, Comparable, Sendable {
    /// Bytes one value takes in flash (tables and dense or raw sparse payloads).
    static var byteWidth: Int { get }
    /// The value the sparse formats leave out.
    static var zero: Self { get }
}

extension UInt32: WeightValue {
    public static var byteWidth: Int { 4 }
}

extension Int8: WeightValue {
    public static var byteWidth: Int { 1 }
}

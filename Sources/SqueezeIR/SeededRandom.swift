/// SplitMix64: a tiny, fast, well-distributed generator whose output is fully
/// defined by its seed, so seeded weights and inputs are the same on every
/// machine (no platform libm involved: only integer math and one division).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one named stream: the same (seed, name) always gives
    /// the same numbers, independent of which other streams exist.
    public init(seed: UInt64, stream name: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        state = seed ^ hash
    }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (modulo reduction: plenty uniform for search moves and tests).
    public mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Uniform in [0, 1) with 24 bits of precision (exact in Float).
    public mutating func unitFloat() -> Float {
        Float(next() >> 40) / Float(1 << 24)
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * unitFloat()
    }
}

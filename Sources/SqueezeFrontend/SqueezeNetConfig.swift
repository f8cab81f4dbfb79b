import SqueezeIR

/// Which SqueezeNet, and the paper's metaparameters (Iandola et al. 2016,
/// Section 5). The defaults reproduce the published v1.0 / v1.1 tables.
public struct SqueezeNetConfig: Sendable, Hashable {
    public enum Version: String, Sendable, Hashable, CaseIterable {
        /// conv1: 96 filters 7x7/2; max pools after conv1, fire4, fire8.
        case v1_0 = "squeezenet1.0"
        /// conv1: 64 filters 3x3/2; max pools after conv1, fire3, fire5.
        case v1_1 = "squeezenet1.1"
    }

    /// The paper's Section 6 bypass variants.
    public enum Bypass: String, Sendable, Hashable, CaseIterable {
        case none
        /// Identity shortcut around Fire modules whose input and output channels match.
        case simple
        /// As simple, plus a 1x1 convolution shortcut around the others.
        case complex
    }

    public var version: Version
    public var inputSize: Int
    public var classes: Int
    /// Expand filters of the first Fire module (base_e).
    public var baseE: Int
    /// Expand filters added every `freq` Fire modules (incr_e).
    public var incrE: Int
    public var freq: Int
    /// Fraction of expand filters that are 3x3 (pct_3x3).
    public var pct3x3: Double
    /// Squeeze ratio: squeeze filters / expand filters (SR).
    public var squeezeRatio: Double
    public var bypass: Bypass
    /// Append a softmax so the output is probabilities instead of logits.
    public var softmax: Bool
    /// Seed of the deterministic weight initialisation.
    public var seed: UInt64

    public init(version: Version, inputSize: Int = 224, classes: Int = 1000, baseE: Int = 128, incrE: Int = 128,
                freq: Int = 2, pct3x3: Double = 0.5, squeezeRatio: Double = 0.125, bypass: Bypass = .none,
                softmax: Bool = false, seed: UInt64 = 1) {
        self.version = version
        self.inputSize = inputSize
        self.classes = classes
        self.baseE = baseE
        self.incrE = incrE
        self.freq = freq
        self.pct3x3 = pct3x3
        self.squeezeRatio = squeezeRatio
        self.bypass = bypass
        self.softmax = softmax
        self.seed = seed
    }

    /// Channel counts of one Fire module.
    public struct FireChannels: Sendable, Hashable {
        public var squeeze: Int
        public var expand1x1: Int
        public var expand3x3: Int
        public var output: Int { expand1x1 + expand3x3 }
    }

    /// Channels of fire2...fire9: e_i = base_e + incr_e * floor(i / freq),
    /// e3x3 = pct_3x3 * e_i, s_i = SR * e_i (rounded to the nearest integer).
    public func fireChannels() throws(Diagnostic) -> [FireChannels] {
        guard baseE > 0, incrE >= 0, freq > 0 else {
            throw .input("metaparameters need base_e > 0, incr_e >= 0, freq > 0 (got \(baseE), \(incrE), \(freq))")
        }
        guard pct3x3 > 0, pct3x3 < 1 else {
            throw .input("pct3x3 must be between 0 and 1 exclusive (got \(pct3x3))")
        }
        guard squeezeRatio > 0, squeezeRatio <= 1 else {
            throw .input("squeeze ratio must be in (0, 1] (got \(squeezeRatio))")
        }
        return try (0..<8).map { (i: Int) throws(Diagnostic) -> FireChannels in
            // Saturating, and capped far above any limit: absurd values are refused by
            // SizeLimits (with the layer), not by an overflow trap.
            let e = min(SizeLimits.sum(baseE, SizeLimits.product(incrE, i / freq)), 1 << 40)
            let e3 = Int((Double(e) * pct3x3).rounded())
            let s = Int((Double(e) * squeezeRatio).rounded())
            let channels = FireChannels(squeeze: s, expand1x1: e - e3, expand3x3: e3)
            guard s >= 1, e3 >= 1, e - e3 >= 1 else {
                throw .input("fire\(i + 2) gets squeeze \(s), expand \(e - e3)+\(e3): every layer needs at least one filter", node: "fire\(i + 2)")
            }
            return channels
        }
    }
}

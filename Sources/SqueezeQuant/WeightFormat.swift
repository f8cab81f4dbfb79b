/// How one layer's weights are stored in flash.
public enum WeightFormat: Sendable, Hashable, CustomStringConvertible {
    /// Every value as is (today's layout).
    case dense
    /// `bits`-bit indices into tables of 2^bits values: one table for the
    /// layer, or one per output channel (`perChannel`).
    case codebook(bits: Int, perChannel: Bool)
    /// Zeros left out, located by `zeros`; the values kept are stored as
    /// is (`codebook` nil) or as indices into tables (which hold no zero).
    case sparse(zeros: ZeroLayout, codebook: SparseCodebook?)

    /// The codebook of a sparse layer.
    public struct SparseCodebook: Sendable, Hashable {
        public var bits: Int
        public var perChannel: Bool
        public init(bits: Int, perChannel: Bool) {
            self.bits = bits
            self.perChannel = perChannel
        }
    }

    /// Where the zeros of a sparse layer are.
    public enum ZeroLayout: Sendable, Hashable {
        /// One bit per weight (1: stored).
        case bitmask
        /// Deep Compression's relative indices: each stored entry carries
        /// the number of zeros before it in `gapBits` bits; a gap too long
        /// for them is bridged with filler entries that store a zero.
        case relative(gapBits: Int)
    }

    public var description: String {
        func table(_ perChannel: Bool) -> String { perChannel ? "/channel" : "/layer" }
        switch self {
        case .dense: return "dense"
        case .codebook(let bits, let perChannel): return "codebook\(bits)\(table(perChannel))"
        case .sparse(let zeros, let codebook):
            let z: String
            switch zeros {
            case .bitmask: z = "sparse-mask"
            case .relative(let gap): z = "sparse-rel\(gap)"
            }
            guard let codebook else { return z }
            return z + "+codebook\(codebook.bits)\(table(codebook.perChannel))"
        }
    }
}

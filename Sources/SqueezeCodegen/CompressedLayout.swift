import SqueezeIR
import SqueezeQuant

/// How one convolution's weights are stored compressed in the generated C
/// (Templates/sq_decode.h): the dense kernels' packed array (`len`
/// elements, padding included) in blocks of `block` output channels
/// (`blockLength` elements each), as a codebook, a bitmask of the zeros, or
/// both. The kernels decode one block at a time into `decodedBytes` of
/// arena scratch.
public struct CompressedLayout: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        /// `bits`-bit indices into a table of the layer's values.
        case codebook(bits: Int)
        /// A bitmask of the non-zero elements; they are stored raw (`bits`
        /// nil) or as `bits`-bit indices into a table of the non-zero values.
        case sparse(bits: Int?)

        /// The `WeightFormat` it is (one table per layer, a bitmask).
        public var weightFormat: WeightFormat {
            switch self {
            case .codebook(let bits): .codebook(bits: bits, perChannel: false)
            case .sparse(let bits): .sparse(zeros: .bitmask, codebook: bits.map { .init(bits: $0, perChannel: false) })
            }
        }

        /// `SQ_CW_*` of sq_decode.h.
        var cName: String {
            switch self {
            case .codebook: "SQ_CW_CODEBOOK"
            case .sparse(let bits): bits == nil ? "SQ_CW_SPARSE" : "SQ_CW_SPARSE_CODEBOOK"
            }
        }

        var bits: Int? {
            switch self {
            case .codebook(let bits): bits
            case .sparse(let bits): bits
            }
        }
    }

    public var format: Format
    /// Output channels per decoded block.
    public var block: Int
    /// Packed elements per block.
    public var blockLength: Int
    /// Packed elements in all.
    public var length: Int
    /// Bytes of one decoded block (the scratch the kernels request).
    public var decodedBytes: Int
    /// Flash bytes: table, indices, mask, raw values, block offsets.
    public var bytes: Int
    /// Flash bytes of the dense packed array.
    public var denseBytes: Int

    public var blocks: Int { (length + blockLength - 1) / blockLength }
}

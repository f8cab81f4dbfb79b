/// One layer's weights in a `WeightFormat`, with every byte flash would
/// hold for them (`byteCount`). Weights are `channels` equal runs (output
/// channels, OHWI order); each run is encoded on its own so a kernel can
/// decode any block of output channels.
public struct EncodedWeights<Value: WeightValue>: Sendable, Hashable {
    public var format: WeightFormat
    /// Number of weights (decoded).
    public var count: Int
    /// Output channels (runs of `count / channels` weights).
    public var channels: Int
    /// Codebook formats: one table (per layer) or one per channel, each of
    /// exactly 2^bits values (unused entries repeat the first).
    public var tables: [[Value]]
    /// Sparse formats: the bitmask (one bit per weight, 1 = stored) or the
    /// packed gaps of the relative layout.
    public var zeroBits: [UInt8]
    /// Dense and raw sparse formats: the stored values.
    public var values: [Value]
    /// Codebook formats: the packed indices of the stored values.
    public var indices: [UInt8]
    /// Sparse formats: stored entries before each channel's first one.
    public var channelOffsets: [Int]
    /// Sparse formats: stored entries in all (kept values and fillers).
    public var entries: Int

    /// Bytes of one channel offset: 16 bits while the entries fit, else 32.
    public var offsetByteWidth: Int { entries < 1 << 16 ? 2 : 4 }

    /// Flash bytes: tables, packed indices, masks or gaps, stored values
    /// and the per-channel offsets of sparse formats.
    public var byteCount: Int {
        let tableBytes = tables.reduce(0) { $0 + $1.count } * Value.byteWidth
        switch format {
        case .dense:
            return count * Value.byteWidth
        case .codebook:
            return tableBytes + indices.count
        case .sparse:
            return zeroBits.count + values.count * Value.byteWidth + tableBytes + indices.count
                + channelOffsets.count * offsetByteWidth
        }
    }

    /// Flash bits per weight (0 for an empty layer).
    public var bitsPerWeight: Double { count == 0 ? 0 : Double(byteCount * 8) / Double(count) }
}

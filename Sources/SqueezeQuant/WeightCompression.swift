/// Lossless format choice for one layer: every candidate format whose
/// decode is exact, the smallest in flash wins (ties: the simpler,
/// earlier candidate; dense first).
///
/// Tables, per layer or per output channel: both are candidates and the
/// size decides. Evidence on squeezenet1.1 with `--codebook 4`
/// (docs/compression.md): fp32 picks one table per layer in all 26
/// layers (a 16-entry fp32 table is 64 bytes; per channel it would cost
/// 64 bytes for every 27..576 weights, +50..240%). int8 picks per-layer
/// tables too: the per-channel scale is max|w| / 127 and in most channels
/// the largest |w| is the same extreme shared value, so the 16 float
/// values become the same 16 codes in every channel; only layers with few
/// weights per channel (expand1x1, conv1: 16..64 weights) reach 17..63
/// distinct codes, and there a 5..6-bit per-layer table (32..64 bytes)
/// is still smaller than 16 bytes for every channel of 16..64 weights.
/// Per-channel tables win when channels really differ (a model shared
/// per channel, `WeightEncoderTests`), so they stay a candidate.
///
/// Zeros: the bitmask layout (one bit per weight) is the only sparse
/// candidate by default. Measured on squeezenet1.1 (seeded, 10 classes)
/// pruned to 2/3 zeros and shared to 16 values per layer: bitmask + 4-bit
/// indices 221,359 bytes; Deep Compression's relative indices with the
/// same indices 230,908 at their best gap width (3 bits; 234,664 at 2,
/// 254,278 at 4, more at others: short gaps need fillers, long ones cost
/// bits on every entry). At a third of the weights kept a mask bit per
/// weight is 3 bits per kept entry, less than a gap field plus fillers,
/// and the bitmask decodes without a serial dependency on the previous
/// entry. The relative layout stays encodable (`zeroLayouts`) for much
/// sparser layers. (`WeightCompressionPassTests` checks this.)
public enum WeightCompression {
    /// The candidate formats for `values` (OHWI, `channels` runs).
    public static func candidates<V: WeightValue>(_ values: [V], channels: Int,
                                                  zeroLayouts: [WeightFormat.ZeroLayout] = [.bitmask]) -> [WeightFormat] {
        var formats: [WeightFormat] = [.dense]
        let run = channels > 0 ? values.count / channels : 0
        let layerDistinct = Set(values).count
        var channelDistinct = 0
        var start = 0
        while start < values.count {
            channelDistinct = max(channelDistinct, Set(values[start..<(start + run)]).count)
            start += run
        }
        if let bits = bits(for: layerDistinct) { formats.append(.codebook(bits: bits, perChannel: false)) }
        if let bits = bits(for: channelDistinct) { formats.append(.codebook(bits: bits, perChannel: true)) }
        let hasZeros = values.contains(V.zero)
        guard hasZeros else { return formats }
        for zeros in zeroLayouts {
            formats.append(.sparse(zeros: zeros, codebook: nil))
            // The sparse tables hold the stored values (no zero for a bitmask).
            let fillerZero = zeros == .bitmask ? 0 : 1
            if let bits = bits(for: layerDistinct - 1 + fillerZero) {
                formats.append(.sparse(zeros: zeros, codebook: .init(bits: bits, perChannel: false)))
            }
            if let bits = bits(for: channelDistinct - (channelDistinct > 1 ? 1 : 0) + fillerZero) {
                formats.append(.sparse(zeros: zeros, codebook: .init(bits: bits, perChannel: true)))
            }
        }
        return formats
    }

    /// The smallest exact encoding, or `forced` when given (nil if it
    /// cannot hold the values exactly).
    public static func best<V: WeightValue>(_ values: [V], channels: Int, forced: WeightFormat? = nil,
                                            zeroLayouts: [WeightFormat.ZeroLayout] = [.bitmask]) -> EncodedWeights<V>? {
        if let forced { return WeightEncoder.encode(values, channels: channels, format: forced) }
        var best: EncodedWeights<V>?
        for format in candidates(values, channels: channels, zeroLayouts: zeroLayouts) {
            // A per-channel candidate counts the most distinct values of any channel, so it fits or is skipped.
            guard let encoded = WeightEncoder.encode(values, channels: channels, format: format) else { continue }
            if best == nil || encoded.byteCount < best!.byteCount { best = encoded }
        }
        return best
    }

    /// The smallest index width (2...8) for `distinct` values; nil above 256.
    public static func bits(for distinct: Int) -> Int? {
        guard distinct <= 256 else { return nil }
        var bits = 2
        while 1 << bits < distinct { bits += 1 }
        return bits
    }
}

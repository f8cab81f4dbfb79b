/// Lossless format choice for one layer: every candidate format whose
/// decode is exact, the smallest in flash wins (ties: the simpler,
/// earlier candidate; dense first).
///
/// Tables, per layer or per output channel: both are candidates and the
/// size decides, and the evidence on squeezenet1.1 (`--codebook 4`,
/// docs/compression.md) is that fp32 layers pick one table per layer
/// (a 16-entry fp32 table is 64 bytes: per channel it would cost 64 bytes
/// for every 64..576 weights), while int8 layers need per-channel tables
/// when the float weights were shared per layer: per-channel scales map a
/// layer's 16 float values to different codes in every channel (up to 16
/// per channel but far more than 16 per layer), and 16 one-byte entries
/// per channel are cheap.
///
/// Zeros: the bitmask layout (one bit per weight) is the only sparse
/// candidate by default. Measured on squeezenet1.1 pruned to 2/3 zeros
/// the bitmask costs 1 bit per weight, Deep Compression's relative
/// indices at their best gap width about 4/3 bits (4-bit gaps on a third
/// of the weights plus fillers), and the bitmask decodes without a serial
/// dependency on the previous entry.
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

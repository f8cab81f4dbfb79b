/// Encodes weights into a `WeightFormat` and decodes them back exactly.
public enum WeightEncoder {
    /// `values` (OHWI, `channels` equal runs) in `format`; nil when a
    /// codebook table cannot hold the distinct values (more than 2^bits).
    public static func encode<V: WeightValue>(_ values: [V], channels: Int, format: WeightFormat) -> EncodedWeights<V>? {
        precondition(channels >= 1 && values.count % channels == 0, "\(values.count) weights are not \(channels) equal channels")
        let run = values.count / channels
        var result = EncodedWeights<V>(format: format, count: values.count, channels: channels, tables: [], zeroBits: [],
                                       values: [], indices: [], channelOffsets: [], entries: 0)
        switch format {
        case .dense:
            result.values = values
        case .codebook(let bits, let perChannel):
            guard let (tables, indices) = codebook(values, run: perChannel ? run : values.count, bits: bits) else { return nil }
            result.tables = tables
            result.indices = PackedIndices.pack(indices, bits: bits)
        case .sparse(let zeros, let codebook):
            // Each channel's entries, then the zero layout of all channels.
            var stored: [V] = []
            var gaps: [Int] = []
            var mask: [Int] = []
            for c in 0..<channels {
                result.channelOffsets.append(stored.count)
                let channel = values[(c * run)..<((c + 1) * run)]
                switch zeros {
                case .bitmask:
                    for v in channel {
                        mask.append(v == V.zero ? 0 : 1)
                        if v != V.zero { stored.append(v) }
                    }
                case .relative(let gapBits):
                    let maxGap = (1 << gapBits) - 1
                    var gap = 0
                    for v in channel {
                        if v == V.zero { gap += 1; continue }
                        while gap > maxGap {
                            // A filler: maxGap zeros, then a stored zero.
                            gaps.append(maxGap)
                            stored.append(V.zero)
                            gap -= maxGap + 1
                        }
                        gaps.append(gap)
                        stored.append(v)
                        gap = 0
                    }
                }
            }
            result.entries = stored.count
            switch zeros {
            case .bitmask: result.zeroBits = PackedIndices.pack(mask, bits: 1)
            case .relative(let gapBits): result.zeroBits = PackedIndices.pack(gaps, bits: gapBits)
            }
            if let codebook {
                // Per channel: each channel's entries share a table.
                var tables: [[V]] = []
                var indices: [Int] = []
                let groups = codebook.perChannel ? channels : 1
                for g in 0..<groups {
                    let start = codebook.perChannel ? result.channelOffsets[g] : 0
                    let end = codebook.perChannel && g + 1 < channels ? result.channelOffsets[g + 1] : stored.count
                    guard let (t, i) = self.codebook(Array(stored[start..<end]), run: max(end - start, 1), bits: codebook.bits) else {
                        return nil
                    }
                    tables += t.isEmpty ? [[V](repeating: V.zero, count: 1 << codebook.bits)] : t
                    indices += i
                }
                result.tables = tables
                result.indices = PackedIndices.pack(indices, bits: codebook.bits)
            } else {
                result.values = stored
            }
        }
        return result
    }

    /// Tables (one per `run` values, each 2^bits long, sorted distinct
    /// values then padding) and each value's index; nil if a run has more
    /// than 2^bits distinct values.
    static func codebook<V: WeightValue>(_ values: [V], run: Int, bits: Int) -> ([[V]], [Int])? {
        precondition((1...8).contains(bits), "codebook bits \(bits) is not 1...8")
        let size = 1 << bits
        var tables: [[V]] = []
        var indices: [Int] = []
        indices.reserveCapacity(values.count)
        var start = 0
        while start < values.count {
            let group = values[start..<min(start + run, values.count)]
            let distinct = Array(Set(group)).sorted()
            guard distinct.count <= size else { return nil }
            var position: [V: Int] = [:]
            for (i, v) in distinct.enumerated() { position[v] = i }
            tables.append(distinct + [V](repeating: distinct[0], count: size - distinct.count))
            indices += group.map { position[$0]! }
            start += run
        }
        return (tables, indices)
    }

    /// The weights `encoded` holds, exactly as encoded.
    public static func decode<V: WeightValue>(_ encoded: EncodedWeights<V>) -> [V] {
        let run = encoded.count / encoded.channels
        switch encoded.format {
        case .dense:
            return encoded.values
        case .codebook(let bits, let perChannel):
            let indices = PackedIndices.unpack(encoded.indices, bits: bits, count: encoded.count)
            return indices.enumerated().map { i, index in encoded.tables[perChannel ? i / max(run, 1) : 0][index] }
        case .sparse(let zeros, let codebook):
            // The stored entries first.
            var stored: [V]
            if let codebook {
                let indices = PackedIndices.unpack(encoded.indices, bits: codebook.bits, count: encoded.entries)
                var channel = 0
                stored = []
                stored.reserveCapacity(encoded.entries)
                for (e, index) in indices.enumerated() {
                    if codebook.perChannel {
                        while channel + 1 < encoded.channels && encoded.channelOffsets[channel + 1] <= e { channel += 1 }
                    }
                    stored.append(encoded.tables[codebook.perChannel ? channel : 0][index])
                }
            } else {
                stored = encoded.values
            }
            var out = [V](repeating: V.zero, count: encoded.count)
            switch zeros {
            case .bitmask:
                let mask = PackedIndices.unpack(encoded.zeroBits, bits: 1, count: encoded.count)
                var e = 0
                for i in 0..<encoded.count where mask[i] == 1 {
                    out[i] = stored[e]
                    e += 1
                }
            case .relative(let gapBits):
                let gaps = PackedIndices.unpack(encoded.zeroBits, bits: gapBits, count: encoded.entries)
                for c in 0..<encoded.channels {
                    let end = c + 1 < encoded.channels ? encoded.channelOffsets[c + 1] : encoded.entries
                    var position = c * run
                    for e in encoded.channelOffsets[c]..<end {
                        position += gaps[e]
                        out[position] = stored[e]
                        position += 1
                    }
                }
            }
            return out
        }
    }
}

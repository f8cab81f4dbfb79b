/// Weight sharing for an int8 build (`--codebook BITS --precision int8`):
/// the shared values are int8 codes, one table per layer, while every
/// output channel keeps its own scale (the quantiser's max|w| / 127).
///
/// Sharing float values first (`KMeansCodebook`) does not survive
/// per-channel quantisation: 16 shared floats divided by each channel's own
/// scale become different codes in different channels. On squeezenet1.1
/// that left conv1 and every expand1x1 with 17 to 63 distinct codes (5 or 6
/// bits per index instead of 4; `analyze` showed it).
///
/// So the weights are shared as the int8 kernels see them: each channel's
/// weights as codes v = w / scale_c (the quantiser's scale and rounding, in
/// [-127, 127]), one 1-D k-means over the layer's non-zero v (KMeansCodebook's
/// Lloyd iterations, its two extreme centroids pinned so that every channel
/// keeps a code of magnitude 127 and with it its scale), the centroids
/// rounded to integers, and each weight replaced by scale_c times its
/// nearest code. The quantiser then finds exactly these codes again: at most
/// 2^bits non-zero codes per layer. Exact zeros (pruned weights) stay zero
/// and are not clustered; a layer whose codes already take at most 2^bits
/// non-zero values is returned unchanged. Deterministic.
public enum Int8CodeSharing {
    /// `weights` (output channel first: `channels` equal, contiguous runs)
    /// shared to at most 2^bits non-zero int8 codes.
    public static func share(_ weights: [Float], channels: Int, bits: Int) -> [Float] {
        precondition((1...8).contains(bits), "codebook bits \(bits) is not 1...8")
        guard channels > 0, weights.count % channels == 0, weights.allSatisfy(\.isFinite) else { return weights }
        let k = weights.count / channels
        let scales = (0..<channels).map { c -> Double in
            Double(weights[(c * k)..<((c + 1) * k)].reduce(Float(0)) { max($0, abs($1)) } / 127)
        }
        // Each non-zero weight as a code value (not yet rounded).
        var values: [Double] = []
        var codes = Set<Double>()
        for (i, w) in weights.enumerated() where w != 0 {
            let v = Double(w) / scales[i / k]
            values.append(v)
            codes.insert(min(max(v.rounded(.toNearestOrAwayFromZero), -127), 127))
        }
        let count = 1 << bits
        guard codes.subtracting([0]).count > count else { return weights }
        values.sort()
        let table = Array(Set(KMeansCodebook.lloyd(values, k: count, pinEnds: true).map {
            min(max($0.rounded(.toNearestOrAwayFromZero), -127), 127)
        })).sorted()
        return weights.enumerated().map { i, w in
            guard w != 0 else { return w }
            let code = nearest(Double(w) / scales[i / k], in: table)
            return Float(code * scales[i / k])
        }
    }

    /// The entry of sorted `table` nearest to `v` (ties: the lower).
    static func nearest(_ v: Double, in table: [Double]) -> Double {
        var (lo, hi) = (0, table.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if table[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        if lo == table.count { return table[table.count - 1] }
        if lo == 0 { return table[0] }
        return v - table[lo - 1] <= table[lo] - v ? table[lo - 1] : table[lo]
    }
}

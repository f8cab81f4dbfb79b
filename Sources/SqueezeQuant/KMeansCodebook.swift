/// Weight sharing for one layer (Deep Compression): the weights are
/// replaced by the nearest of at most 2^bits shared values found by 1-D
/// k-means. Deterministic: centroids start evenly spaced over [min, max]
/// (the linear initialisation Deep Compression found best; when the layer
/// has negative and positive weights, over [min, largest negative] and
/// [smallest positive, max] joined, so a pruned layer's empty band around
/// zero gets no centroid that would stay empty), a fixed
/// number of Lloyd iterations run (fewer only when the assignment stops
/// changing), a weight exactly between two centroids goes to the lower
/// one, and an empty cluster keeps its centroid. Exact zeros (pruned
/// weights) stay zero and are not clustered; a layer that already has at
/// most 2^bits distinct non-zero values is returned unchanged.
public enum KMeansCodebook {
    public static let iterations = 30

    /// The shared values (sorted) for `weights`' non-zero values.
    public static func centroids(_ weights: [Float], bits: Int) -> [Float] {
        precondition((1...8).contains(bits), "codebook bits \(bits) is not 1...8")
        let values = weights.filter { $0 != 0 }.sorted()
        guard !values.isEmpty else { return [] }
        let distinct = Array(Set(values)).sorted()
        let k = 1 << bits
        if distinct.count <= k { return distinct }
        let centroids = lloyd(values.map { Double($0) }, k: k, pinEnds: false)
        return Array(Set(centroids.map { Float($0) })).sorted()
    }

    /// Lloyd's 1-D k-means on sorted, non-empty `values`: `k` centroids
    /// (sorted, possibly repeated when clusters stay empty), initialised
    /// linearly as described above. `pinEnds`: the first and last centroids
    /// stay at the smallest and largest value (the update skips them), so
    /// the extremes are kept exactly.
    static func lloyd(_ values: [Double], k: Int, pinEnds: Bool) -> [Double] {
        let low = values[0], high = values[values.count - 1]
        // Linear over the values' range, less the gap pruning left around zero
        // (centroids there would stay empty).
        let belowZero = values.last { $0 < 0 } ?? low
        let aboveZero = values.first { $0 > 0 } ?? high
        let gapped = low < 0 && high > 0
        let left = gapped ? belowZero - low : high - low
        let length = gapped ? left + high - aboveZero : left
        var centroids = (0..<k).map { j -> Double in
            let p = length * Double(j) / Double(k - 1)
            return !gapped || p <= left ? low + p : aboveZero + (p - left)
        }
        var boundaries: [Int] = []
        for _ in 0..<iterations {
            // Assignment: values are sorted, so each cluster is a contiguous range.
            var starts = [Int](repeating: 0, count: k + 1)
            var j = 0
            for (i, v) in values.enumerated() {
                while j + 1 < k && v > (centroids[j] + centroids[j + 1]) / 2 {
                    j += 1
                    starts[j] = i
                }
            }
            while j + 1 < k { j += 1; starts[j] = values.count }
            starts[k] = values.count
            if starts == boundaries { break }
            boundaries = starts
            for c in 0..<k where starts[c + 1] > starts[c] && !(pinEnds && (c == 0 || c == k - 1)) {
                var sum = 0.0
                for i in starts[c]..<starts[c + 1] { sum += values[i] }
                centroids[c] = sum / Double(starts[c + 1] - starts[c])
            }
            centroids.sort()
        }
        return centroids
    }

    /// `weights` with every non-zero value replaced by its nearest centroid (ties: the lower).
    public static func share(_ weights: [Float], bits: Int) -> [Float] {
        let table = centroids(weights, bits: bits)
        guard !table.isEmpty else { return weights }
        return weights.map { w in
            guard w != 0 else { return w }
            // Binary search for the first centroid >= w, then the nearer neighbour.
            var (lo, hi) = (0, table.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if table[mid] < w { lo = mid + 1 } else { hi = mid }
            }
            if lo == table.count { return table[table.count - 1] }
            if lo == 0 { return table[0] }
            let (below, above) = (table[lo - 1], table[lo])
            return Double(w) - Double(below) <= Double(above) - Double(w) ? below : above
        }
    }
}

/// Magnitude pruning of one layer: the `sparsity` fraction of its weights
/// with the smallest |w| (rounded to the nearest whole weight) become
/// +0.0. Ties in |w| go by position: the earlier weight is pruned first,
/// so the result is the same on every run and machine.
public enum MagnitudePruning {
    /// How many of `count` weights `sparsity` prunes.
    public static func prunedCount(_ count: Int, sparsity: Double) -> Int {
        min(count, Int((sparsity * Double(count)).rounded()))
    }

    public static func prune(_ weights: [Float], sparsity: Double) -> [Float] {
        precondition(sparsity >= 0 && sparsity < 1, "sparsity \(sparsity) is not in [0, 1)")
        let pruned = prunedCount(weights.count, sparsity: sparsity)
        guard pruned > 0 else { return weights }
        let order = weights.indices.sorted { a, b in
            let (x, y) = (abs(weights[a]), abs(weights[b]))
            return x != y ? x < y : a < b
        }
        var result = weights
        for i in order.prefix(pruned) { result[i] = 0 }
        return result
    }
}

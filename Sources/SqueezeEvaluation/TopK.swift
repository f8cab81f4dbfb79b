/// The one ranking of output values, shared by `run`, `validate`, the
/// fidelity report and `eval`: the k largest values, largest first, ties to
/// the lower index; NaN ranks below every number.
public enum TopK {
    /// Indices of the `k` largest values (fewer when there are fewer values).
    public static func indices(_ values: [Float], _ k: Int) -> [Int] {
        Array(values.indices.sorted { precedes($0, $1, in: values) }.prefix(max(k, 0)))
    }

    /// The `count` largest values with their indices.
    public static func best(_ values: [Float], count: Int) -> [(index: Int, value: Float)] {
        indices(values, count).map { ($0, values[$0]) }
    }

    /// The index of the largest value (the lowest such index); 0 for no values.
    public static func argmax(_ values: [Float]) -> Int {
        var best = 0
        for i in values.indices.dropFirst() where precedes(i, best, in: values) { best = i }
        return best
    }

    /// Whether `label` is among the `k` largest values (top-k accuracy).
    public static func contains(_ label: Int, _ values: [Float], _ k: Int) -> Bool {
        indices(values, k).contains(label)
    }

    /// Index `a` ranks before index `b`: a larger value, or the same value and a lower index.
    static func precedes(_ a: Int, _ b: Int, in values: [Float]) -> Bool {
        let (x, y) = (values[a], values[b])
        if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? a < b : y.isNaN }
        return x != y ? x > y : a < b
    }
}

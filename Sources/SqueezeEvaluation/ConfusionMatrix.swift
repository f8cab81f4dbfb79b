/// Counts of (true class, predicted class) pairs: `counts[truth][predicted]`.
public struct ConfusionMatrix: Sendable, Codable, Equatable {
    public var counts: [[Int]]

    public init(classes: Int) {
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    public init(counts: [[Int]]) {
        self.counts = counts
    }

    public var classes: Int { counts.count }

    public mutating func add(truth: Int, predicted: Int) {
        counts[truth][predicted] += 1
    }

    /// Inputs of class `truth`.
    public func total(of truth: Int) -> Int { counts[truth].reduce(0, +) }

    /// Inputs of class `truth` predicted correctly.
    public func correct(of truth: Int) -> Int { counts[truth][truth] }

    public var total: Int { counts.map { $0.reduce(0, +) }.reduce(0, +) }

    public var correct: Int { (0..<classes).map { counts[$0][$0] }.reduce(0, +) }

    /// One class's accuracy; nil when the class had no inputs.
    public func accuracy(of truth: Int) -> Double? {
        let n = total(of: truth)
        return n == 0 ? nil : Double(correct(of: truth)) / Double(n)
    }

    /// The `limit` most frequent mistakes (truth != predicted, count > 0),
    /// most frequent first, ties by truth then predicted class.
    public func mostConfused(_ limit: Int) -> [(truth: Int, predicted: Int, count: Int)] {
        var pairs: [(truth: Int, predicted: Int, count: Int)] = []
        for t in 0..<classes {
            for p in 0..<classes where p != t && counts[t][p] > 0 { pairs.append((t, p, counts[t][p])) }
        }
        pairs.sort { a, b in a.count != b.count ? a.count > b.count : (a.truth, a.predicted) < (b.truth, b.predicted) }
        return Array(pairs.prefix(max(limit, 0)))
    }

    /// Element-wise sum (same number of classes).
    public static func + (a: ConfusionMatrix, b: ConfusionMatrix) -> ConfusionMatrix {
        precondition(a.classes == b.classes, "confusion matrices differ in size")
        return ConfusionMatrix(counts: zip(a.counts, b.counts).map { zip($0, $1).map(+) })
    }
}

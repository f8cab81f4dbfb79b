/// A fixed-bin histogram of one quantisation point's values over
/// `[lower, upper]` (the observed range widened to include 0), and the range
/// selection of the calibration methods.
struct Histogram: Sendable {
    static let binCount = 2048

    let lower: Double
    let upper: Double
    private(set) var counts: [Int]

    init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
        counts = [Int](repeating: 0, count: Self.binCount)
    }

    var width: Double { (upper - lower) / Double(Self.binCount) }

    mutating func add(_ values: [Float]) {
        let n = Self.binCount
        guard upper > lower else {
            counts[0] += values.count
            return
        }
        let scale = Double(n) / (upper - lower)
        for v in values {
            let i = Int((Double(v) - lower) * scale)
            counts[min(max(i, 0), n - 1)] += 1
        }
    }

    var total: Int { counts.reduce(0, +) }

    func center(_ bin: Int) -> Double { lower + (Double(bin) + 0.5) * width }

    /// Both tails clipped at percentile `p` (bin edges, widened to include 0).
    func percentileRange(_ p: Double) -> (Double, Double) {
        let total = Double(self.total)
        guard total > 0, upper > lower else { return (lower, upper) }
        let tail = total * (100 - p) / 100
        var below = 0.0
        var lo = lower
        for bin in 0..<Self.binCount {
            below += Double(counts[bin])
            if below > tail { lo = lower + Double(bin) * width; break }
        }
        var above = 0.0
        var hi = upper
        for bin in stride(from: Self.binCount - 1, through: 0, by: -1) {
            above += Double(counts[bin])
            if above > tail { hi = lower + Double(bin + 1) * width; break }
        }
        return (min(lo, 0), max(hi, 0))
    }

    /// The range `[lower * t, upper * t]`, t = k/128, with the least expected
    /// squared error (ties: the wider range).
    func mseRange() -> (Double, Double) {
        guard upper > lower, total > 0 else { return (lower, upper) }
        var best = (error: Double.infinity, lo: lower, hi: upper)
        for k in stride(from: 128, through: 16, by: -1) {
            let t = Double(k) / 128
            let lo = lower * t, hi = upper * t
            let step = (hi - lo) / 255
            var error = 0.0
            for bin in 0..<Self.binCount where counts[bin] > 0 {
                let x = center(bin)
                let e = x < lo ? (lo - x) * (lo - x) : x > hi ? (x - hi) * (x - hi) : step * step / 12
                error += Double(counts[bin]) * e
            }
            if error < best.error { best = (error, lo, hi) }
        }
        return (best.lo, best.hi)
    }
}

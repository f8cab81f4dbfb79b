import SqueezeEvaluation
import Testing

@Suite struct ConfusionMatrixTests {
    /// truth 0: 0,0,1; truth 1: 1,2,2; truth 2: none.
    static func sample() -> ConfusionMatrix {
        var m = ConfusionMatrix(classes: 3)
        for (t, p) in [(0, 0), (0, 0), (0, 1), (1, 1), (1, 2), (1, 2)] { m.add(truth: t, predicted: p) }
        return m
    }

    @Test func countsPerClass() {
        let m = Self.sample()
        #expect(m.counts == [[2, 1, 0], [0, 1, 2], [0, 0, 0]])
        #expect(m.total == 6 && m.correct == 3)
        #expect(m.total(of: 0) == 3 && m.correct(of: 0) == 2)
        #expect(m.accuracy(of: 0) == 2.0 / 3.0)
        #expect(m.accuracy(of: 1) == 1.0 / 3.0)
        #expect(m.accuracy(of: 2) == nil)
    }

    @Test func mostConfusedPairsLargestFirstTiesByClass() {
        let pairs = Self.sample().mostConfused(5)
        #expect(pairs.map(\.truth) == [1, 0])
        #expect(pairs.map(\.predicted) == [2, 1])
        #expect(pairs.map(\.count) == [2, 1])
        #expect(Self.sample().mostConfused(1).count == 1)
        var tie = ConfusionMatrix(classes: 3)
        tie.add(truth: 2, predicted: 0)
        tie.add(truth: 0, predicted: 2)
        #expect(tie.mostConfused(5).map(\.truth) == [0, 2])
    }

    @Test func sumIsElementWise() {
        let s = Self.sample() + Self.sample()
        #expect(s.counts == [[4, 2, 0], [0, 2, 4], [0, 0, 0]])
    }
}

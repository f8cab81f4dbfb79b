import SqueezeEvaluation
import Testing

@Suite struct ErrorStatsTests {
    @Test func identicalValuesDifferNowhere() {
        let stats = ErrorStats(actual: [1, -2, 3], expected: [1, -2, 3])
        #expect(stats.maxAbsError == 0 && stats.differing == 0 && stats.nonFinite == 0)
        #expect(stats.range == 5)
        #expect(stats.within(0) && stats.within(1e-5))
    }

    @Test func errorRelativeToTheReferenceRange() {
        let stats = ErrorStats(actual: [1, -2, 3.5], expected: [1, -2, 3])
        #expect(stats.maxAbsError == 0.5)
        #expect(stats.range == 5)
        #expect(stats.relativeError == 0.1)
        #expect(stats.differing == 1)
        #expect(stats.within(0.1) && !stats.within(0.09) && !stats.within(0))
    }

    @Test func nonFiniteValuesFailAnyTolerance() {
        let stats = ErrorStats(actual: [.nan, 1], expected: [0, 1])
        #expect(stats.nonFinite == 1 && stats.maxAbsError == 0)
        #expect(!stats.within(1))
        // Matching infinities or NaNs are not agreement either (issue 16: an
        // all-NaN input passed); the reference range ignores them.
        let inf = ErrorStats(actual: [.infinity, 2], expected: [.infinity, 1])
        #expect(inf.nonFinite == 1 && inf.maxAbsError == 1 && inf.range == 0)
        #expect(!inf.within(1))
        let nan = ErrorStats(actual: [.nan, .nan], expected: [.nan, .nan])
        #expect(nan.nonFinite == 2 && nan.maxAbsError == 0)
        #expect(!nan.within(1e-5) && !nan.within(0))
    }
}

import SqueezeEvaluation
import Testing

@Suite struct TopKTests {
    @Test func largestFirstWithTiesToTheLowerIndex() {
        let values: [Float] = [0.5, 2, -1, 2, 7, 0.5]
        #expect(TopK.indices(values, 3) == [4, 1, 3])
        #expect(TopK.indices(values, 6) == [4, 1, 3, 0, 5, 2])
        #expect(TopK.best(values, count: 2).map(\.index) == [4, 1])
        #expect(TopK.best(values, count: 2).map(\.value) == [7, 2])
        #expect(TopK.argmax(values) == 4)
        #expect(TopK.argmax([3, 3, 1]) == 0)
        #expect(TopK.argmax([1, 3, 3]) == 1)
    }

    @Test func shortOrEmptyInputs() {
        #expect(TopK.indices([1, 2], 5) == [1, 0])
        #expect(TopK.indices([1, 2], 0).isEmpty)
        #expect(TopK.indices([1, 2], -1).isEmpty)
        #expect(TopK.indices([], 5).isEmpty)
        #expect(TopK.argmax([]) == 0)
    }

    @Test func nanRanksBelowEveryNumber() {
        let values: [Float] = [.nan, -5, .nan, 1]
        #expect(TopK.indices(values, 4) == [3, 1, 0, 2])
        #expect(TopK.argmax(values) == 3)
        #expect(TopK.argmax([.nan, .nan]) == 0)
        #expect(TopK.indices([-.infinity, .infinity], 2) == [1, 0])
    }

    @Test func topKAccuracy() {
        let values: [Float] = [0.1, 0.7, 0.2, 0.9, 0.3, 0.4]
        #expect(TopK.contains(3, values, 1))
        #expect(!TopK.contains(1, values, 1))
        #expect(TopK.contains(1, values, 2))
        #expect(TopK.contains(4, values, 4) && !TopK.contains(4, values, 3))
    }
}

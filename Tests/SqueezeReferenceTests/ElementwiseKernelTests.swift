import Testing
import SqueezeReference

@Suite struct ElementwiseKernelTests {
    @Test func reluClampsNegativesAndNegativeZero() {
        let y = ElementwiseKernels.relu([-3, -0.0, 0, 2.5, -1e-30, 1e-30, -.infinity, .infinity])
        #expect(y == [0, 0, 0, 2.5, 0, 1e-30, 0, .infinity])
        // Never -0: the result for -0 and negatives is +0.
        #expect(y[1].sign == .plus && y[0].sign == .plus)
    }

    @Test func reluPropagatesNaN() {
        #expect(ElementwiseKernels.relu([.nan])[0].isNaN)
    }

    @Test func addIsElementwise() {
        #expect(ElementwiseKernels.add([1, -2.5, 3e7], [0.5, 2.5, 2]) == [1.5, 0, 30_000_002])
    }

    @Test func dropoutIsTheIdentity() {
        let x: [Float] = [1, -2, 0.5, 1e-20]
        #expect(ElementwiseKernels.dropout(x) == x)
    }
}

import SqueezeIR
import Testing
import SqueezeReference

@Suite struct SoftmaxKernelTests {
    @Test func largeLogitsAreStable() {
        // softmax(1000, 1001) = (1/(1+e), e/(1+e)); a naive exp overflows to inf/inf.
        let y = SoftmaxKernel.apply([1000, 1001], shape: TensorShape([1, 2]))
        let finite = y.allSatisfy { $0.isFinite }
        #expect(finite)
        #expect(abs(y[0] - 0.268_941_42) < 1e-7)
        #expect(abs(y[1] - 0.731_058_6) < 1e-7)
        #expect(abs(y[0] + y[1] - 1) < 1e-6)
    }

    @Test func sumsToOnePerRowOverTheLastAxis() {
        // Two rows of three: a uniform row and a spread row.
        let y = SoftmaxKernel.apply([5, 5, 5, -1, 0, 3], shape: TensorShape([2, 3]))
        #expect(maxAbsDifference(Array(y[0...2]), [1.0 / 3, 1.0 / 3, 1.0 / 3]) < 1e-7)
        #expect(abs(y[3...5].reduce(0, +) - 1) < 1e-6)
        // exp(-1), exp(0), exp(3) normalised.
        let e: [Float] = [0.367_879_44, 1, 20.085_537]
        let s = e.reduce(0, +)
        #expect(maxAbsDifference(Array(y[3...5]), e.map { $0 / s }) < 1e-6)
        #expect(y[5] > y[4] && y[4] > y[3])
    }

    @Test func nhwcSoftmaxIsOverChannelsPerPixel() {
        // 1x1x2x2: pixel 0 logits (0, 0), pixel 1 logits (0, ln 3).
        let y = SoftmaxKernel.apply([0, 0, 0, Float(1.098_612_3)], shape: .nhwc(1, 1, 2, 2))
        #expect(maxAbsDifference(y, [0.5, 0.5, 0.25, 0.75]) < 1e-6)
    }
}

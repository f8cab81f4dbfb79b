import SqueezeIR
import Testing
import SqueezeReference

@Suite struct GlobalAvgPoolKernelTests {
    @Test func meanPerChannel() {
        // 1x2x2x3, pixels (1,2,3) (4,5,6) (7,8,9) (10,11,12).
        #expect(GlobalAvgPoolKernel.apply(floats(Array(1...12)), shape: .nhwc(1, 2, 2, 3)) == [5.5, 6.5, 7.5])
    }

    @Test func batchOfTwo() {
        let x = floats(Array(1...12)) + floats(Array(1...12)).map { $0 * -2 }
        #expect(GlobalAvgPoolKernel.apply(x, shape: .nhwc(2, 2, 2, 3)) == [5.5, 6.5, 7.5, -11, -13, -15])
    }

    @Test func nonSquareImage() {
        // 1x1x3x2: channel 0 = 1, 2, 6 (mean 3); channel 1 = 0, 0, -3 (mean -1).
        #expect(GlobalAvgPoolKernel.apply([1, 0, 2, 0, 6, -3], shape: .nhwc(1, 1, 3, 2)) == [3, -1])
    }
}

import SqueezeIR
import Testing
import SqueezeReference

@Suite struct ConcatKernelTests {
    @Test func firstInputChannelsComeFirstPerPixel() {
        // a: 1x1x2x2 pixels (1,2) (3,4); b: 1x1x2x1 pixels (10) (20).
        let y = ConcatKernel.apply([[1, 2, 3, 4], [10, 20]], shapes: [.nhwc(1, 1, 2, 2), .nhwc(1, 1, 2, 1)])
        #expect(y == [1, 2, 10, 3, 4, 20])
        let swapped = ConcatKernel.apply([[10, 20], [1, 2, 3, 4]], shapes: [.nhwc(1, 1, 2, 1), .nhwc(1, 1, 2, 2)])
        #expect(swapped == [10, 1, 2, 20, 3, 4])
    }

    @Test func threeInputsOverTwoRows() {
        // 1x2x1xC: two pixels (rows).
        let y = ConcatKernel.apply([[1, 2], [10, 11, 20, 21], [100, 200]],
                                   shapes: [.nhwc(1, 2, 1, 1), .nhwc(1, 2, 1, 2), .nhwc(1, 2, 1, 1)])
        #expect(y == [1, 10, 11, 100, 2, 20, 21, 200])
    }
}

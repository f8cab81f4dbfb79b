import SqueezeIR
import Testing
import SqueezeReference

@Suite struct PoolKernelTests {
    /// 1x6x6x2: channel 0 is h*6+w (0...35), channel 1 its negation.
    static let sixBySix: [Float] = (0..<36).flatMap { [Float($0), -Float($0)] }

    @Test func maxPoolCeilModeClipsTheLastWindow() {
        let a = PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)
        #expect(PoolKernels.outputShape(input: .nhwc(1, 6, 6, 2), a) == .nhwc(1, 3, 3, 2))
        let y = PoolKernels.maxPool(Self.sixBySix, shape: .nhwc(1, 6, 6, 2), a)
        // Channel 0: bottom-right of each window (the last one clipped to rows/cols 4...5).
        // Channel 1: minus the top-left of each window.
        #expect(y == [14, -0, 16, -2, 17, -4,
                      26, -12, 28, -14, 29, -16,
                      32, -24, 34, -26, 35, -28])
    }

    @Test func maxPoolFloorModeDropsThePartialWindow() {
        let a = PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: false)
        #expect(PoolKernels.outputShape(input: .nhwc(1, 6, 6, 2), a) == .nhwc(1, 2, 2, 2))
        #expect(PoolKernels.maxPool(Self.sixBySix, shape: .nhwc(1, 6, 6, 2), a) == [14, -0, 16, -2, 26, -12, 28, -14])
    }

    @Test func maxPoolIgnoresPadding() {
        // All-negative 2x2 input, kernel 2, stride 2, pad 1: each window holds one
        // real value; zero padding would wrongly give 0.
        let a = PoolAttributes(kernel: .square(2), stride: .square(2), padding: .uniform(1))
        #expect(PoolKernels.maxPool([-1, -2, -3, -4], shape: .nhwc(1, 2, 2, 1), a) == [-1, -2, -3, -4])
    }

    @Test func maxPoolPropagatesNaN() {
        let a = PoolAttributes(kernel: .square(2), stride: .square(2))
        let y = PoolKernels.maxPool([1, .nan, 3, 2], shape: .nhwc(1, 2, 2, 1), a)
        #expect(y.count == 1 && y[0].isNaN)
    }

    @Test func avgPoolPaddedBorderWithAndWithoutCountIncludePad() {
        // x = 1...9 (3x3), kernel 2, stride 2, pad 1 -> 2x2 windows holding
        // {1}, {2,3}, {4,7}, {5,6,8,9}.
        let x = floats(Array(1...9))
        var a = PoolAttributes(kernel: .square(2), stride: .square(2), padding: .uniform(1))
        #expect(PoolKernels.avgPool(x, shape: .nhwc(1, 3, 3, 1), a) == [1, 2.5, 5.5, 7])
        a.countIncludePad = true
        #expect(PoolKernels.avgPool(x, shape: .nhwc(1, 3, 3, 1), a) == [0.25, 1.25, 2.75, 7])
    }

    @Test func avgPoolCeilModeWindowPastThePaddedExtent() {
        // x = 1...16 (4x4), kernel 3, stride 2, pad 1, ceil -> 3x3. Along each axis
        // the windows cover real rows {0,1}, {1,2,3}, {3}; the last window starts at
        // 3 and its end is clipped to in + padEnd = 5, so with count_include_pad it
        // counts 2 positions, not 3 (PyTorch semantics).
        let x = floats(Array(1...16))
        var a = PoolAttributes(kernel: .square(3), stride: .square(2), padding: .uniform(1), ceilMode: true)
        #expect(PoolKernels.outputShape(input: .nhwc(1, 4, 4, 1), a) == .nhwc(1, 3, 3, 1))
        #expect(PoolKernels.avgPool(x, shape: .nhwc(1, 4, 4, 1), a) == [3.5, 5, 6, 9.5, 11, 12, 13.5, 15, 16])
        a.countIncludePad = true
        let expected: [Float] = [14.0 / 9, 30.0 / 9, 12.0 / 6, 57.0 / 9, 99.0 / 9, 36.0 / 6, 27.0 / 6, 45.0 / 6, 16.0 / 4]
        #expect(maxAbsDifference(PoolKernels.avgPool(x, shape: .nhwc(1, 4, 4, 1), a), expected) < 1e-6)
    }

    @Test func avgPoolCountIncludePadUsesTheEndPadding() {
        // One row [1, 2, 3], kernel 1x3, stride 2, padding right 1 only, ceil -> 2
        // windows: [0, 3) and [2, 5). The second holds the real value 3 and is
        // clipped to in + padRight = 4, so count_include_pad divides by 2.
        let a = PoolAttributes(kernel: Size2(1, 3), stride: Size2(1, 2),
                               padding: Padding(top: 0, left: 0, bottom: 0, right: 1), ceilMode: true)
        #expect(PoolKernels.outputShape(input: .nhwc(1, 1, 3, 1), a) == .nhwc(1, 1, 2, 1))
        #expect(PoolKernels.avgPool([1, 2, 3], shape: .nhwc(1, 1, 3, 1), a) == [2, 3])
        var include = a
        include.countIncludePad = true
        #expect(PoolKernels.avgPool([1, 2, 3], shape: .nhwc(1, 1, 3, 1), include) == [2, 1.5])
    }

    @Test func avgPoolKeepsChannelsApart() {
        // 1x2x2x2, kernel 2: channel means over the single window.
        let y = PoolKernels.avgPool([1, 10, 2, 20, 3, 30, 4, 40], shape: .nhwc(1, 2, 2, 2),
                                    PoolAttributes(kernel: .square(2), stride: .square(2)))
        #expect(y == [2.5, 25])
    }
}

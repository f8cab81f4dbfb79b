import SqueezeIR
import Testing
import SqueezeReference

@Suite struct Conv2DKernelTests {
    @Test func pointwiseMultiChannelWithAndWithoutBias() {
        // NHWC 1x2x2x3, pixels (1,2,3) (4,5,6) (7,8,9) (10,11,12).
        let x = floats(Array(1...12))
        // OHWI 2x1x1x3: out0 = c0 - 2*c2, out1 = 0.5*c0 + 2*c1.
        let w: [Float] = [1, 0, -2, 0.5, 2, 0]
        let a = Conv2DAttributes(outChannels: 2, kernel: .square(1))
        let withBias = Conv2DKernel(attributes: a, inputChannels: 3, weights: w, bias: [10, -1])
        #expect(withBias.outputShape(for: .nhwc(1, 2, 2, 3)) == .nhwc(1, 2, 2, 2))
        #expect(withBias.apply(x, shape: .nhwc(1, 2, 2, 3)) == [5, 3.5, 2, 11, -1, 18.5, -4, 26])

        var noBiasAttributes = a
        noBiasAttributes.hasBias = false
        let noBias = Conv2DKernel(attributes: noBiasAttributes, inputChannels: 3, weights: w, bias: nil)
        #expect(noBias.apply(x, shape: .nhwc(1, 2, 2, 3)) == [-5, 4.5, -8, 12, -11, 19.5, -14, 27])
    }

    @Test func threeByThreeIsCorrelationNotConvolution() {
        // One channel, x = [[1,2,3],[4,5,6],[7,8,9]], pad 1. The kernel has
        // w[0][0] = 1 and w[2][1] = 10, so y[oh][ow] = x[oh-1][ow-1] + 10*x[oh+1][ow].
        var w = [Float](repeating: 0, count: 9)
        w[0] = 1
        w[2 * 3 + 1] = 10
        let kernel = Conv2DKernel(attributes: Conv2DAttributes(outChannels: 1, kernel: .square(3), padding: .uniform(1)),
                                  inputChannels: 1, weights: w, bias: [0])
        let y = kernel.apply(floats(Array(1...9)), shape: .nhwc(1, 3, 3, 1))
        #expect(y == [40, 50, 60, 70, 81, 92, 0, 4, 5])
    }

    @Test func threeByThreePadOneMultiChannel() {
        // 1x3x4x2 input, 2 outputs, bias; expected values from an independent
        // float64 NHWC/OHWI computation (numpy), exact because data are integers.
        let x = floats([-3, -2, -1, 0, 1, 2, 3, -3, -2, -1, 0, 1, 2, 3, -3, -2, -1, 0, 1, 2, 3, -3, -2, -1])
        let w = floats([-2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1, 0, 1, 2, -2, -1, 0,
                        -2, -1, 0, 1, 2, -2, 2, -2, -1, 0, 1, 2, 1, 2, -2, -1, 0, 1])
        let kernel = Conv2DKernel(attributes: Conv2DAttributes(outChannels: 2, kernel: .square(3), padding: .uniform(1)),
                                  inputChannels: 2, weights: w, bias: [0.5, -1])
        let y = kernel.apply(x, shape: .nhwc(1, 3, 4, 2))
        #expect(y == [-6.5, 7, -6.5, 1, 5.5, -14, -2.5, 10, -11.5, 3, -1.5, 3,
                      48.5, 5, -20.5, -5, -7.5, 2, 7.5, -3, 1.5, -10, -15.5, 4])
    }

    @Test func strideTwoAsymmetricPadding() {
        // 1x5x5x2 input, 3 outputs, no bias, stride 2, padding top 1, left 0,
        // bottom 0, right 1 -> 1x2x2x3. (Symmetric or swapped padding give
        // different numbers, so the sides are checked too.)
        let x = floats([5, 1, 2, 4, 1, 3, 4, -3, -5, -2, -2, 4, 5, -5, 0, 4, -4, 3, -4, 0, 3, -2, -2, -2, 2,
                        -3, 5, -1, 0, 0, 1, 1, 0, 5, 3, 3, 2, 1, -2, 5, 0, -3, 4, -4, 4, 1, -4, -5, -1, -5])
        let w = floats([-3, 0, 3, 0, 2, 3, 2, 1, 0, 0, -2, 0, -1, -2, 3, -3, -3, -2,
                        3, 1, 3, -2, 2, -1, 0, -3, 1, 2, 1, -2, 0, -2, 3, 3, -2, 0,
                        3, 2, 1, 1, -3, 2, 0, -3, -2, 0, 2, 0, 1, 3, 1, -1, 1, 1])
        let a = Conv2DAttributes(outChannels: 3, kernel: .square(3), stride: .square(2),
                                 padding: Padding(top: 1, left: 0, bottom: 0, right: 1), hasBias: false)
        let kernel = Conv2DKernel(attributes: a, inputChannels: 2, weights: w, bias: nil)
        #expect(kernel.outputShape(for: .nhwc(1, 5, 5, 2)) == .nhwc(1, 2, 2, 3))
        #expect(kernel.apply(x, shape: .nhwc(1, 5, 5, 2)) == [25, -6, 19, -2, -15, -26, 0, 34, 29, -29, -3, 34])
    }

    @Test func batchOfTwoConvolvesEachImageAlone() {
        // Batch 2 of the 1x1 case: the second image is the first plus 100.
        let first = floats(Array(1...12))
        let second = first.map { $0 + 100 }
        let kernel = Conv2DKernel(attributes: Conv2DAttributes(outChannels: 2, kernel: .square(1)),
                                  inputChannels: 3, weights: [1, 0, -2, 0.5, 2, 0], bias: [10, -1])
        let y = kernel.apply(first + second, shape: .nhwc(2, 2, 2, 3))
        let one = kernel.apply(first, shape: .nhwc(1, 2, 2, 3))
        let two = kernel.apply(second, shape: .nhwc(1, 2, 2, 3))
        #expect(y == one + two)
        #expect(Array(y[8...]) == [-95, 253.5, -98, 261, -101, 268.5, -104, 276])
    }

    @Test func largeLayerTakesTheParallelPathAndMatchesNaiveLoops() {
        // 12x12x16 -> 16 channels, 3x3, stride 1, pad 1: 331,776 MACs, above
        // the threshold for threads. Compared with a direct 7-loop sum in Double.
        var rng = SeededGenerator(seed: 11)
        let (h, w, inC, outC) = (12, 12, 16, 16)
        let x = randomFloats(h * w * inC, using: &rng)
        let weights = randomFloats(outC * 9 * inC, using: &rng)
        let bias = randomFloats(outC, using: &rng)
        let a = Conv2DAttributes(outChannels: outC, kernel: .square(3), padding: .uniform(1))
        let y = Conv2DKernel(attributes: a, inputChannels: inC, weights: weights, bias: bias).apply(x, shape: .nhwc(1, h, w, inC))
        var expected = [Float](repeating: 0, count: h * w * outC)
        for oh in 0..<h {
            for ow in 0..<w {
                for co in 0..<outC {
                    var sum = Double(bias[co])
                    for kh in 0..<3 {
                        for kw in 0..<3 {
                            let ih = oh + kh - 1, iw = ow + kw - 1
                            guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                            for ci in 0..<inC {
                                sum += Double(x[(ih * w + iw) * inC + ci]) * Double(weights[((co * 3 + kh) * 3 + kw) * inC + ci])
                            }
                        }
                    }
                    expected[(oh * w + ow) * outC + co] = Float(sum)
                }
            }
        }
        #expect(maxAbsDifference(y, expected) < 1e-5)
        // Deterministic: a second run is bit-identical.
        #expect(Conv2DKernel(attributes: a, inputChannels: inC, weights: weights, bias: bias).apply(x, shape: .nhwc(1, h, w, inC)) == y)
    }
}

import Testing
import SqueezeIR
import SqueezeReference

/// The int8 reference convolution against the definition: the input
/// explicitly padded with its zero point, a plain sum, single-rounding
/// requantisation.
@Suite struct Int8ConvKernelTests {
    @Test(arguments: [(3, 1, 1), (3, 2, 1), (1, 1, 0), (3, 2, 0), (5, 1, 2)])
    func matchesTheDefinitionWithPaddingAndStride(kernel: Int, stride: Int, pad: Int) {
        var rng = SeededRandom(seed: UInt64(kernel * 100 + stride * 10 + pad), stream: "int8-conv")
        let (h, w, cin, cout) = (7, 6, 5, 3)
        let input = TensorShape.nhwc(1, h, w, cin)
        let zp: Int32 = -37
        let x = (0..<input.elementCount).map { _ in Int8(truncatingIfNeeded: Int(rng.next(below: 256)) - 128) }
        let weights = (0..<(cout * kernel * kernel * cin)).map { _ in Int8(Int(rng.next(below: 255)) - 127) }
        let q = ConvQuantization(
            input: QuantParams(scale: 0.02, zeroPoint: zp), output: QuantParams(scale: 0.05, zeroPoint: 11), weightScales: [1, 1, 1],
            bias: [1234, -98765, 0], multipliers: [1_500_000_000, 1_073_741_824, 2_000_000_000], shifts: [41, 44, 38],
            activationMin: 11, activationMax: 127)
        let a = Conv2DAttributes(outChannels: cout, kernel: .square(kernel), stride: .square(stride), padding: .uniform(pad), activation: .relu)
        let kernelUnderTest = Int8ConvKernel(attributes: a, inputChannels: cin, weights: weights, quantization: q)
        let out = kernelUnderTest.outputShape(for: input)!
        let got = kernelUnderTest.apply(x, shape: input)

        for oy in 0..<out.h {
            for ox in 0..<out.w {
                for co in 0..<cout {
                    var acc = Int64(q.bias[co])
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            let iy = oy * stride - pad + ky, ix = ox * stride - pad + kx
                            for ci in 0..<cin {
                                let v = (iy < 0 || iy >= h || ix < 0 || ix >= w) ? Int64(zp) : Int64(x[(iy * w + ix) * cin + ci])
                                acc += v * Int64(weights[((co * kernel + ky) * kernel + kx) * cin + ci])
                            }
                        }
                    }
                    let shift = Int64(q.shifts[co])
                    let v = (acc * Int64(q.multipliers[co]) + (1 << (shift - 1))) >> shift
                    let expected = Int8(min(max(v + 11, 11), 127))
                    #expect(got[(oy * out.w + ox) * cout + co] == expected, "(\(oy), \(ox), \(co))")
                }
            }
        }
    }
}

import Foundation
import SqueezeIR
import Testing
@testable import SqueezeReference

/// Grouped and depthwise convolutions in the fp32 reference: the same as
/// one ordinary convolution per group over that group's channel slice,
/// concatenated.
@Suite struct GroupedConvKernelTests {
    /// Channels [first, first + count) of an NHWC map.
    static func slice(_ x: [Float], _ s: TensorShape, first: Int, count: Int) -> [Float] {
        (0..<(s.n * s.h * s.w)).flatMap { p in x[(p * s.c + first)..<(p * s.c + first + count)] }
    }

    @Test(arguments: [(4, 4, 4, 3, 1, 1), (4, 8, 4, 3, 2, 1), (6, 4, 2, 1, 1, 0), (8, 8, 8, 3, 2, 1), (6, 9, 3, 3, 1, 0)])
    func equalsOneConvolutionPerGroup(cin: Int, cout: Int, groups: Int, kernel: Int, stride: Int, pad: Int) throws {
        var g = SeededGenerator(seed: UInt64(cin * 1000 + cout * 100 + groups * 10 + kernel))
        let input = TensorShape.nhwc(1, 7, 6, cin)
        let x = randomFloats(input.elementCount, using: &g)
        let cinG = cin / groups, coutG = cout / groups
        let w = randomFloats(cout * kernel * kernel * cinG, using: &g)
        let b = randomFloats(cout, using: &g)
        let a = Conv2DAttributes(outChannels: cout, kernel: .square(kernel), stride: .square(stride), padding: .uniform(pad), groups: groups)
        let grouped = Conv2DKernel(attributes: a, inputChannels: cin, weights: w, bias: b)
        let out = try #require(grouped.outputShape(for: input))
        let got = grouped.apply(x, shape: input)

        var single = a
        single.groups = 1
        single.outChannels = coutG
        var parts: [[Float]] = []
        var shapes: [TensorShape] = []
        for group in 0..<groups {
            let k = coutG * kernel * kernel * cinG
            let kernelG = Conv2DKernel(attributes: single, inputChannels: cinG, weights: Array(w[(group * k)..<((group + 1) * k)]),
                                       bias: Array(b[(group * coutG)..<((group + 1) * coutG)]))
            let sliceShape = TensorShape.nhwc(1, 7, 6, cinG)
            parts.append(kernelG.apply(Self.slice(x, input, first: group * cinG, count: cinG), shape: sliceShape))
            shapes.append(try #require(kernelG.outputShape(for: sliceShape)))
        }
        let expected = ConcatKernel.apply(parts, shapes: shapes)
        #expect(out == .nhwc(1, shapes[0].h, shapes[0].w, cout))
        // Same summation order per output: bit-identical.
        #expect(got == expected)
    }
}

/// The int8 average pool and softmax of the int8 reference against their
/// definitions (`AveragePoolQuantization`, `SoftmaxQuantization`).
@Suite struct Int8AverageSoftmaxTests {
    @Test func averagePoolRoundsHalfAwayFromZeroAroundTheZeroPoint() {
        let q = AveragePoolQuantization.derive(input: QuantParams(scale: 0.1, zeroPoint: 10))
        // Window of 2 values (1x2 kernel, stride 2): codes minus zp sum to 3 -> 1.5 -> 2; -3 -> -1.5 -> -2; 1 -> 0.5 -> 1; -1 -> -0.5 -> -1.
        let x: [Int8] = [11, 12, 9, 8, 10, 11, 10, 9]
        let a = PoolAttributes(kernel: Size2(1, 2), stride: Size2(1, 2))
        let y = Int8PoolKernels.avgPool(x, shape: .nhwc(1, 1, 8, 1), a, q)
        #expect(y == [12, 8, 11, 9])
        #expect(AveragePoolQuantization.roundedQuotient(7, 3) == 2 && AveragePoolQuantization.roundedQuotient(-7, 3) == -2)
    }

    @Test(arguments: [false, true])
    func averagePoolDivisorFollowsCountIncludePad(includePad: Bool) {
        let q = AveragePoolQuantization.derive(input: QuantParams(scale: 0.1, zeroPoint: -20))
        // 2x2 map, 3x3 window, padding 1: every window sees the 4 real codes; padded positions are real 0.
        let x: [Int8] = [-20 + 9, -20 + 9, -20 + 9, -20 + 9]
        let a = PoolAttributes(kernel: .square(3), stride: .square(1), padding: .uniform(1), countIncludePad: includePad)
        let y = Int8PoolKernels.avgPool(x, shape: .nhwc(1, 2, 2, 1), a, q)
        // Sum 36 over 4 real positions: 9; with the padding, over 9 positions: 4.
        #expect(y == [Int8](repeating: includePad ? -20 + 4 : -20 + 9, count: 4))
    }

    @Test func softmaxIsWithinOneStepOfTheFloatSoftmax() {
        let input = QuantParams(scale: 0.05, zeroPoint: 3)
        let q = SoftmaxQuantization.derive(input: input)
        #expect(q.output == QuantParams(scale: 1.0 / 256, zeroPoint: -128))
        #expect(q.table[0] == 65536)
        let codes: [Int8] = [-128, -40, 0, 3, 17, 60, 60, 127, 100, -5]
        let y = q.apply(codes[...])
        let reals = codes.map { Double(input.dequantize(Int32($0))) }
        let top = reals.max()!
        let e = reals.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        for (i, code) in y.enumerated() {
            let p = e[i] / total
            #expect(abs(Double(Int32(code) + 128) / 256 - p) <= 1.0 / 256 + 1e-9, "class \(i): \(code) vs \(p)")
        }
        #expect(y[5] == y[6])
        // A row of equal codes: every class 1/n.
        #expect(q.apply([Int8](repeating: 7, count: 4)[...]) == [Int8](repeating: -64, count: 4))
    }
}

import SqueezeIR
import Testing

/// The int8 parameters of the family ops: lookup tables of activations and
/// per-channel affine requantisation, against real arithmetic.
@Suite struct FamilyQuantizationTests {
    static let input = QuantParams(scale: 0.05, zeroPoint: -10)
    static let output = QuantParams(scale: 0.03, zeroPoint: 20)

    /// Every code of every table is within half an output step (+ float
    /// slack) of the real activation of the input code's value, clamped to int8.
    @Test(arguments: [Activation.clip(min: 0, max: 3), .clip(min: -1, max: 1), .leakyRelu(alpha: 0.1), .sigmoid])
    func tablesFollowTheRealActivation(activation: Activation) {
        let q = ActivationQuantization.derive(activation: activation, input: Self.input, output: Self.output)
        #expect(q.table.count == 256)
        for code in -128...127 {
            let real = activation.apply(Self.input.dequantize(Int32(code)))
            let ideal = min(max(real / Self.output.scale + Float(Self.output.zeroPoint), -128), 127)
            #expect(abs(Float(q.apply(Int8(code))) - ideal) <= 0.5 + 1e-3, "code \(code)")
        }
        // Monotone (all four are non-decreasing functions).
        #expect(zip(q.table, q.table.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func leakyReluKeepsZeroAtTheZeroPoint() {
        let q = ActivationQuantization.derive(activation: .leakyRelu(alpha: 0.2), input: Self.input, output: Self.output)
        #expect(q.apply(Int8(Self.input.zeroPoint)) == Int8(Self.output.zeroPoint))
    }

    /// One rounding: within half an output step plus the multiplier's
    /// rounding of the real `x * scale[c] + shift[c]`, for every code and channel.
    @Test func affineRequantisationIsWithinHalfAStep() throws {
        let scale: [Float] = [1.5, -0.75, 0.01, 3]
        let shift: [Float] = [0.2, -1, 0, 0.5]
        let q = try #require(AffineQuantization.derive(input: Self.input, output: Self.output, scale: scale, shift: shift))
        #expect((1...62).contains(q.shift))
        for c in 0..<4 {
            for code in -128...127 {
                let real = Self.input.dequantize(Int32(code)) * scale[c] + shift[c]
                let ideal = min(max(Double(real) / Double(Self.output.scale) + Double(Self.output.zeroPoint), -128), 127)
                #expect(abs(Double(q.apply(Int8(code), channel: c)) - ideal) <= 0.5 + 1e-4, "channel \(c) code \(code)")
            }
        }
    }

    @Test func affineRefusesFactorsTooLargeForInt32() {
        #expect(AffineQuantization.derive(input: Self.input, output: QuantParams(scale: 1e-12, zeroPoint: 0), scale: [1e6], shift: [0]) == nil)
        #expect(AffineQuantization.derive(input: Self.input, output: Self.output, scale: [.nan], shift: [0]) == nil)
    }
}

import Testing
import SqueezeIR
@testable import SqueezeQuant

@Suite struct RequantMultiplierTests {
    @Test(arguments: [0.49999, 0.25, 0.1, 3.3e-3, 1.7e-5, 6e-9])
    func reconstructsTheFactor(_ m: Double) throws {
        let (multiplier, shift) = try #require(RequantMultiplier.make(m))
        #expect(shift >= 32 && shift <= 62)
        #expect(multiplier >= 1 << 30)
        let back = Double(multiplier) / Double(sign: .plus, exponent: Int(shift), significand: 1)
        #expect(abs(back - m) / m < 1e-9)
    }

    @Test func factorsFromOneHalfUpAreRejected() {
        #expect(RequantMultiplier.make(0.5) == nil)
        #expect(RequantMultiplier.make(3) == nil)
    }

    /// The general form (global averages) has no lower bound on the shift:
    /// factors of 0.5 and more, up to 2^30, and the same result as `make` below 0.5.
    @Test(arguments: [0.5, 1.0, 1.7, 3, 255.5, 1e6, 0.49999, 0.1, 6e-9])
    func generalReconstructsAnyFactor(_ m: Double) throws {
        let (multiplier, shift) = try #require(RequantMultiplier.general(m))
        #expect(shift >= 1 && shift <= 62)
        #expect(multiplier >= 1 << 30)
        let back = Double(multiplier) / Double(sign: .plus, exponent: Int(shift), significand: 1)
        #expect(abs(back - m) / m < 1e-9)
        if m < 0.5 {
            let conv = try #require(RequantMultiplier.make(m))
            #expect(conv == (multiplier, shift))
        } else {
            #expect(shift < ConvQuantization.minimumShift)
        }
    }

    @Test func generalRejectsFactorsFrom2To30Up() {
        #expect(RequantMultiplier.general(1_073_741_824) == nil)
        #expect(RequantMultiplier.general(1_073_741_823) != nil)
    }

    @Test func tinyFactorsLosePrecisionNotRange() throws {
        let (multiplier, shift) = try #require(RequantMultiplier.make(1e-13))
        #expect(shift == 62)
        #expect(multiplier > 0 && multiplier < 1 << 30)
        #expect(RequantMultiplier.make(0)! == (0, 32))
    }

    /// Single rounding: ties go up (towards +infinity), as TFLite's single-rounding mode.
    @Test func requantizeRoundsHalfUp() {
        // M = 0.5 * 2^-1... multiplier 2^30 with shift 32 is M = 0.25.
        let q = { (acc: Int32) in ConvQuantization.requantize(acc, multiplier: 1 << 30, shift: 32, zeroPoint: 0, min: -128, max: 127) }
        #expect(q(2) == 1)     // 0.5 -> 1
        #expect(q(-2) == 0)    // -0.5 -> 0
        #expect(q(6) == 2)     // 1.5 -> 2
        #expect(q(-6) == -1)   // -1.5 -> -1
        #expect(q(1000) == 127)
        #expect(q(-1000) == -128)
    }
}

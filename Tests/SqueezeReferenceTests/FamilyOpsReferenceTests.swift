import SqueezeIR
import Testing
@testable import SqueezeReference

/// The reference kernels of the family ops against their definitions.
@Suite struct FamilyOpsReferenceTests {
    @Test func padPlacesTheMapInsideTheFill() {
        // [1, 2, 3, 2] NHWC, values 1...12.
        let x = (1...12).map(Float.init)
        let p = Padding(top: 1, left: 2, bottom: 0, right: 1)
        let y = PadKernel.apply(x, shape: .nhwc(1, 2, 3, 2), p, fill: -7)
        #expect(PadKernel.outputShape(.nhwc(1, 2, 3, 2), p) == .nhwc(1, 3, 6, 2))
        #expect(y.count == 36)
        // Row 0 is padding; rows 1, 2 hold the input at columns 2...4.
        #expect(y[0..<12].allSatisfy { $0 == -7 })
        #expect(Array(y[12..<24]) == [-7, -7, -7, -7, 1, 2, 3, 4, 5, 6, -7, -7])
        #expect(Array(y[24..<36]) == [-7, -7, -7, -7, 7, 8, 9, 10, 11, 12, -7, -7])
    }

    @Test func affineIsPerChannel() {
        let x: [Float] = [1, 2, 3, 4, 5, 6]
        #expect(AffineKernel.apply(x, shape: .nhwc(1, 1, 2, 3), .perChannel, scale: [2, -1, 0.5], shift: [0, 1, -1]) == [2, -1, 0.5, 8, -4, 2])
        let q = AffineQuantization(input: QuantParams(scale: 1, zeroPoint: 0), output: QuantParams(scale: 1, zeroPoint: 0),
                                   multipliers: [2, -1], offsets: [0, 0], shift: 1)
        // (x * m + 1) >> 1: 3 * 2 -> 3; 3 * -1 -> -1 (ties toward +infinity); clamped at 127.
        #expect(AffineKernel.apply(codes: [3, 3, 127, -128], shape: .nhwc(1, 2, 1, 2), .perChannel, q) == [3, -1, 127, 64])
    }

    /// Parameters per row (map 2 rows x 2 columns x 1 channel): row r takes scale[r], shift[r].
    @Test func affineBroadcastsPerRowAndPerValue() {
        let x: [Float] = [1, 2, 3, 4]
        let rows = AffineBroadcast(byRow: true, byColumn: false)
        #expect(AffineKernel.apply(x, shape: .nhwc(1, 2, 2, 1), rows, scale: [10, -1], shift: [0, 0.5]) == [10, 20, -2.5, -3.5])
        let values = AffineBroadcast(byRow: true, byColumn: true)
        #expect(AffineKernel.apply(x, shape: .nhwc(1, 2, 2, 1), values, scale: [1, 2, 3, 4], shift: [0, 0, 0, 1]) == [1, 4, 9, 17])
        let columns = AffineBroadcast(byRow: false, byColumn: true)
        let q = AffineQuantization(input: QuantParams(scale: 1, zeroPoint: 0), output: QuantParams(scale: 1, zeroPoint: 0),
                                   multipliers: [2, -2], offsets: [0, 0], shift: 1, broadcast: columns)
        #expect(AffineKernel.apply(codes: [5, 5, 7, 7], shape: .nhwc(1, 2, 2, 1), columns, q) == [5, -5, 7, -7])
    }

    @Test func activationsMatchTheirDefinitions() {
        let x: [Float] = [-3, -0.5, 0, 0.5, 7]
        #expect(FusedKernels.activation(x, .clip(min: 0, max: 6)) == [0, 0, 0, 0.5, 6])
        #expect(FusedKernels.activation(x, .leakyRelu(alpha: 0.25)) == [-0.75, -0.125, 0, 0.5, 7])
        let s = FusedKernels.activation(x, .sigmoid)
        #expect(s[2] == 0.5)
        #expect(zip(s, x).allSatisfy { abs(Double($0) - 1 / (1 + _exp(-Double($1)))) < 1e-6 })
    }
}

#if canImport(Glibc)
import Glibc
private func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Darwin
private func _exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif

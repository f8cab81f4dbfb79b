import Foundation
import SqueezeEvaluation
import Testing

@Suite struct FidelityTests {
    @Test func sqnrInDecibels() {
        // signal 64 + 36 = 100, noise 1: 10 log10(100) = 20 dB.
        #expect(abs(Fidelity.sqnr([8, 6], [7, 6]) - 20) < 1e-9)
        // noise 100: 0 dB.
        #expect(abs(Fidelity.sqnr([8, 6], [0, 0])) < 1e-9)
        #expect(Fidelity.sqnr([1, 2], [1, 2]) == 99)
        // Capped at 99 dB.
        #expect(Fidelity.sqnr([1e6], [1e6 + 0.0625]) == 99)
    }

    @Test func agreementOverInputs() {
        let float: [[Float]] = [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0]]
        // Input a: same ranking. Input b: fp32 top-1 (class 0) is int8's 6th.
        let int8: [[Float]] = [[0, 1, 2, 3, 4, 5], [0, 4, 3, 2, 1, 5]]
        let f = Fidelity(names: ["a", "b"], reference: float, compared: int8)
        #expect(f.inputs.map(\.name) == ["a", "b"])
        #expect(f.inputs[0].referenceTop1 == 5 && f.inputs[0].top5 == [5, 4, 3, 2, 1])
        #expect(f.inputs[1].referenceTop1 == 0 && f.inputs[1].top5 == [5, 1, 2, 3, 4])
        #expect(f.top1Agreement == 0.5 && f.top5Agreement == 0.5)
        #expect(f.inputs[0].sqnrDB == 99 && f.minSQNR == f.inputs[1].sqnrDB)
        #expect(abs(f.meanSQNR - (99 + f.inputs[1].sqnrDB) / 2) < 1e-9)
    }

    @Test func jsonKeys() throws {
        let f = Fidelity(names: ["x"], reference: [[1, 2]], compared: [[1, 2]])
        let text = String(decoding: try JSONEncoder().encode(f), as: UTF8.self)
        for key in ["mean_sqnr_db", "min_sqnr_db", "top1_agreement", "top5_agreement", "reference_top1", "top5", "sqnr_db"] {
            #expect(text.contains("\"\(key)\""), "\(key)")
        }
    }
}

import Foundation
import Testing

/// Every family-op fixture and both quantised formats as Cortex-M4 firmware
/// under QEMU (`validate --target mps2-an386`), against the Swift reference:
/// fp32 within the validator's tolerance, int8 bit-exact. Together with
/// FamilyOpsHostTests (family_ops int8), GroupedDenseCommandTests
/// (dw_fire_gemm int8) and QuantizedModelCommandTests (QDQ per-tensor int8)
/// this puts every fixture of issue 15 on the board in each precision it
/// supports.
@Suite struct FamilyOpsFirmwareTests {
    static func validate(_ model: String, input: String, precision: String) throws -> [String: Any] {
        let r = try CLIRunner.run(["validate", model, "--precision", precision, "--target", "mps2-an386", "--input", input, "--json"])
        #expect(r.status == 0, "\(model) \(precision): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// fp32 float fixtures (pad, clip, leaky ReLU, sigmoid, affine, auto_pad;
    /// batch norm after a pool, average pool, flatten of a map, softmax;
    /// depthwise + MatMul head; depthwise Fire + Gemm head; Mul/Add/Sub/Div
    /// by constants broadcast per column, row and value).
    @Test(arguments: ["family_ops", "bn_conv", "dw_gap_matmul", "dw_fire_gemm", "broadcast_ops"])
    func floatFixtureOnTheBoard(name: String) throws {
        let report = try Self.validate(ONNXCommandTests.fixture("\(name).onnx"), input: ONNXCommandTests.fixture("\(name).input0.npy"),
                                       precision: "fp32")
        #expect(report["passed"] as? Bool == true, "\(name)")
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1)
        for input in inputs {
            #expect(input["generated_top1"] as? Int == input["reference_top1"] as? Int, "\(name)")
            let error = try #require(input["error"] as? [String: Any])
            #expect((error["relative_error"] as? Double ?? 1) < 1e-4, "\(name)")
        }
    }

    /// int8 (calibrated on seeded noise) of the fixtures the other suites do not run on the board.
    @Test(arguments: ["bn_conv", "dw_gap_matmul", "broadcast_ops"])
    func int8FixtureOnTheBoardIsBitExact(name: String) throws {
        let report = try Self.validate(ONNXCommandTests.fixture("\(name).onnx"), input: ONNXCommandTests.fixture("\(name).input0.npy"),
                                       precision: "int8")
        #expect(report["passed"] as? Bool == true, "\(name)")
        #expect(report["differing_bytes"] as? Int == 0, "\(name)")
    }

    /// QOperator (QLinearConv, QLinearConcat, QLinearAdd, QLinearGlobalAveragePool;
    /// per-channel and per-tensor, uint8) and QDQ per-channel uint8, no calibration.
    @Test(arguments: ["digits32_bypass_qop_pc_u8", "digits32_qop_pt_u8", "digits32_qdq_pc_u8"])
    func importedQuantizedModelOnTheBoardIsBitExact(name: String) throws {
        let report = try Self.validate(QuantizedModelCommandTests.fixture("\(name).onnx"),
                                       input: QuantizedModelCommandTests.fixture("\(name).input0.npy"), precision: "int8")
        #expect(report["passed"] as? Bool == true, "\(name)")
        #expect(report["differing_bytes"] as? Int == 0, "\(name)")
        #expect((report["instructions"] as? Int ?? 0) > 0, "\(name)")
    }
}

import Foundation
import SqueezeTensorIO
import Testing

/// The grouped/depthwise and dense-head fixtures through the CLI: the
/// reference against onnxruntime, and the one QEMU run of issue 15 part B
/// (int8, every op of the part, bit-exact on a Cortex-M4 board).
@Suite(.serialized) struct GroupedDenseCommandTests {
    static func fixture(_ name: String) -> String { ONNXCommandTests.fixture(name) }

    @Test(arguments: ["dw_fire_gemm", "dw_gap_matmul"])
    func runMatchesOnnxruntime(model: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("y.npy").path
        let r = try CLIRunner.run(["run", Self.fixture("\(model).onnx"), "--input", Self.fixture("\(model).input0.npy"), "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let actual = try #require(try NpyFormat.read(path: out).floats)
        let expected = try #require(try NpyFormat.read(path: Self.fixture("\(model).output0.npy")).floats)
        #expect(actual.count == expected.count)
        #expect(ONNXCommandTests.relativeError(actual, expected) < 1e-4, "\(model)")
    }

    @Test func int8OnTheCortexM4IsBitExact() throws {
        let r = try CLIRunner.run(["validate", Self.fixture("dw_fire_gemm.onnx"), "--precision", "int8", "--target", "mps2-an386",
                                   "--input", Self.fixture("dw_fire_gemm.input0.npy"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == true)
        #expect(report["differing_bytes"] as? Int == 0)
        #expect((report["instructions"] as? Int ?? 0) > 0)
    }
}

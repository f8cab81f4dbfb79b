import Foundation
import SqueezeTensorIO
import Testing

/// Already-quantised models, the pre-flight summary and `squeezec ops`
/// through the CLI (fixtures: Tests/Fixtures/quantized, made by
/// scripts/make_quantized_fixtures.py).
@Suite struct QuantizedModelCommandTests {
    static let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/quantized")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test func preflightIsAShortSummaryAndVerboseListsEveryNode() throws {
        let model = Self.fixture("unsupported_ops.onnx")
        let short = try CLIRunner.run(["run", model])
        #expect(short.status == 1)
        #expect(short.stderr == "squeezec: error: \(model): 5 unsupported nodes (3 Erf, 1 Sin, 1 Cos): 'erf0', 'sin1', 'erf2', ... "
            + "(--verbose lists all 5); operator not supported\n")
        let verbose = try CLIRunner.run(["run", model, "--verbose"])
        #expect(verbose.status == 1)
        let lines = verbose.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines.first == short.stderr.split(separator: "\n").first.map(String.init))
        #expect(Array(lines.dropFirst()) == ["  'erf0' (Erf): operator not supported", "  'sin1' (Sin): operator not supported",
                                             "  'erf2' (Erf): operator not supported", "  'cos3' (Cos): operator not supported",
                                             "  'erf4' (Erf): operator not supported"])
    }

    /// Every op has int8 kernels now, so the int8 pre-flight (Int8SupportTests)
    /// refuses nothing here. A standalone concat whose inputs come out of
    /// calibration on different scales takes its own parameters and rescales
    /// the other inputs by a table: bit-exact on the host against the Swift
    /// int8 reference (the C applies the same table).
    @Test func aConcatOfDifferentlyScaledInputsRescalesThem() throws {
        let model = Self.fixture("concat_int8.onnx")
        let r = try CLIRunner.run(["validate", model, "--precision", "int8", "--calibrate", "Tests/Fixtures/digits/calibrate",
                                   "--target", "host", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true && json["differing_bytes"] as? Int == 0, "\(r.stdout)")
        let generated = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: generated) }
        let g = try CLIRunner.run(["generate", model, "--precision", "int8", "--calibrate", "Tests/Fixtures/digits/calibrate",
                                   "-o", generated.path])
        #expect(g.status == 0, "\(g.stderr)")
        let c = try String(contentsOf: generated.appendingPathComponent("model.c"), encoding: .utf8)
        #expect(c.contains("sq_lut_rows_s8(&"), "no input was rescaled: the fixture's concat inputs should differ")
    }

    @Test func importedModelRunsInInt8WithoutCalibration() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = Self.fixture("digits32_qop_pt_u8.onnx")
        let out = dir.appendingPathComponent("y.npy").path
        let r = try CLIRunner.run(["run", model, "--precision", "int8", "--input", Self.fixture("digits32_qop_pt_u8.input0.npy"), "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("calibrat"))
        let actual = try #require(try NpyFormat.read(path: out).floats)
        let expected = try #require(try NpyFormat.read(path: Self.fixture("digits32_qop_pt_u8.ort0.npy")).floats)
        let argmax = { (v: [Float]) in v.indices.max { v[$0] < v[$1] } }
        #expect(argmax(actual) == argmax(expected))

        let calibrate = try CLIRunner.run(["run", model, "--precision", "int8", "--calibrate", "Tests/Fixtures/digits/calibrate"])
        #expect(calibrate.status == 2)
        #expect(calibrate.stderr == "squeezec: error: --calibrate: the model is already quantised (QOperator) and carries its own scales "
            + "and zero points; drop --calibrate, or give the float model to calibrate it\n")

        let codebook = try CLIRunner.run(["run", model, "--precision", "int8", "--codebook", "4"])
        #expect(codebook.status == 2)
        #expect(codebook.stderr.contains("--prune/--codebook: the model is already quantised (QOperator)"))

        let fp32 = try CLIRunner.run(["run", model, "--input", Self.fixture("digits32_qop_pt_u8.input0.npy")])
        #expect(fp32.status == 0, "\(fp32.stderr)")
        #expect(fp32.stderr.contains("note: the model is already quantised (QOperator); fp32 runs its dequantised weights"))
    }

    /// The feature's one QEMU run: an imported QDQ model (int8 activations,
    /// per-tensor weights, bypass) as Cortex-M4 firmware, bit-exact against
    /// the Swift int8 reference.
    @Test func importedQDQModelIsBitExactUnderQEMU() throws {
        let model = Self.fixture("digits32_bypass_qdq_pt_s8.onnx")
        let r = try CLIRunner.run(["validate", model, "--precision", "int8", "--target", "mps2-an386",
                                   "--input", Self.fixture("digits32_bypass_qdq_pt_s8.input0.npy"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == true)
        #expect(report["precision"] as? String == "int8")
        #expect(report["differing_bytes"] as? Int == 0)
    }

    @Test func opsPrintsTheSupportedOperatorTable() throws {
        let r = try CLIRunner.run(["ops"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "| ONNX op | IR op | fp32 | int8 | fused with | streams |")
        #expect(lines.contains { $0.hasPrefix("| Conv | conv2d | yes | yes |") })
        #expect(lines.contains { $0.hasPrefix("| com.microsoft.QLinearConcat | concat (QOperator) | yes | yes | fire") })
        #expect(lines.contains { $0.hasPrefix("| DequantizeLinear | — (QDQ: ") })
        #expect(lines.contains { $0.hasPrefix("| Softmax | softmax | yes | no |") || $0.hasPrefix("| Softmax | softmax | yes | yes |") })
    }
}

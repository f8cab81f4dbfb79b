import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeIR
import SqueezePipeline
import SqueezeReference
import SqueezeTensorIO
import Testing
@testable import SqueezeValidation

/// The digits SqueezeNets quantised by onnxruntime's quantize_static
/// (Tests/Fixtures/quantized, scripts/make_quantized_fixtures.py): QDQ and
/// QOperator, per-channel and per-tensor weights, uint8 and int8
/// activations. squeezec lowers them with the model's own scales, zero
/// points and integer weights (no calibration); its int8 outputs are
/// onnxruntime's, byte for byte, and the host C gives exactly the Swift int8
/// reference's bytes.
@Suite struct ImportedQuantizedModelTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/quantized")
    static let models = ["digits32_qdq_pc_u8", "digits32_qop_pt_u8", "digits32_bypass_qdq_pt_s8", "digits32_bypass_qop_pc_u8"]
    static let inputs = 3

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func lowered(_ model: String) throws -> LoweredStage {
        try CompilePipeline(options: PipelineOptions(source: ModelSource(name: path(model + ".onnx")), precision: .int8)).lowered()
    }

    static func input(_ model: String, _ k: Int, for stage: LoweredStage) throws -> [Float] {
        try InputFiles.readInput(path("\(model).input\(k).npy"), for: stage.float.inputs[0])
    }

    /// squeezec's int8 output codes against onnxruntime's outputs (as codes
    /// of the same output parameters), 3 inputs x 10 logits per model: every
    /// byte equal (docs/quantized-models.md). The Fire expands keep the
    /// model's own parameters and are requantised to the concat's through
    /// `ConvQuantization.outputTable`, as onnxruntime's QLinearConcat does;
    /// without that second rounding the difference was up to 3 LSB.
    @Test(arguments: models)
    func agreesWithOnnxruntimeOnEveryByte(model: String) throws {
        let stage = try Self.lowered(model)
        let int8 = stage.graph
        #expect(int8.quantization?.calibration.method.hasPrefix("imported ") == true)
        let reference = try Int8ReferenceInterpreter(graph: int8)
        let output = try #require(int8.quantization).params(of: int8.outputs[0])
        var worst: Int32 = 0
        var exact = 0
        var total = 0
        for k in 0..<Self.inputs {
            let codes = try reference.run(try reference.quantizeInput(try Self.input(model, k, for: stage)))
            let onnxruntime = try #require(try NpyFormat.read(path: Self.path("\(model).ort\(k).npy")).floats)
            #expect(onnxruntime.count == codes.count)
            for (code, value) in zip(codes, onnxruntime) {
                let expected = Int32((value / output.scale).rounded()) + output.zeroPoint
                let difference = abs(Int32(code) - expected)
                worst = max(worst, difference)
                exact += difference == 0 ? 1 : 0
                total += 1
            }
        }
        #expect(total == 30)
        #expect(worst == 0, "\(model): max difference \(worst) LSB")
        #expect(exact == total, "\(model): \(exact)/\(total) bytes exact")
    }

    /// Host C against the Swift int8 reference, bit for bit: one QDQ
    /// (per-channel, uint8; gcc with the strict warning flags) and one
    /// QOperator model (per-channel, bypass; clang under ASan and UBSan).
    @Test(arguments: [("digits32_qdq_pc_u8", false), ("digits32_bypass_qop_pc_u8", true)])
    func hostCIsBitExact(model: String, sanitized: Bool) throws {
        let stage = try Self.lowered(model)
        let cases = try (0..<Self.inputs).map { k in ValidationInput(name: "input\(k)", values: try Self.input(model, k, for: stage)) }
        let runner = sanitized
            ? HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"])
            : HostRunner()
        var validator = Validator(runner: runner)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-imported-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try validator.validate(stage.graph, inputs: cases, options: CodegenOptions(prefix: "model"), workDirectory: dir,
                                            floatGraph: stage.float).report
        #expect(report.passed, "\(model)")
        #expect(report.precision == "int8")
        #expect(report.differingBytes == 0, "\(model): \(report.differingBytes ?? -1) bytes differ")
    }
}

import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// The ops of issue 15 part B in generated C on the host, under ASan/UBSan:
/// grouped and depthwise convolutions, a Gemm head (a whole-map
/// convolution), average pooling and softmax, fp32 (within tolerance) and
/// int8 (bit-exact), both schedules (fixtures from
/// scripts/make_grouped_dense_fixtures.py).
@Suite(.serialized) struct GroupedDenseValidationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx")

    static func fused(_ model: String) throws -> Graph {
        try PassPipeline().run(try ONNXImporter.load(path: fixtures.appendingPathComponent(model + ".onnx").path))
    }

    /// Sanitizers: clang with ASan/UBSan; otherwise the default compiler ($CC or cc, gcc here) at -O2.
    static func validate(_ model: String, int8: Bool, schedule: ScheduleKind, sanitizers: Bool) throws -> ValidationReport {
        let float = try fused(model)
        var graph = float
        if int8 {
            let calibration = HostValidationTests.inputs(float, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
            let ranges = try Calibrator(method: .minMax).ranges(float, inputs: calibration)
            graph = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: calibration.map(\.name))).run(float)
        }
        let flags = sanitizers ? ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"] : []
        var validator = Validator(runner: sanitizers ? HostRunner(compiler: "clang", extraFlags: flags) : HostRunner())
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-gdense-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        // Other seeds than calibration's; one compile runs both inputs.
        let cases = Array(HostValidationTests.inputs(float, count: 5).dropFirst(3))
        return try validator.validate(graph, inputs: cases, options: CodegenOptions(prefix: "model", schedule: schedule), workDirectory: work,
                                      floatGraph: int8 ? float : nil).report
    }

    @Test(arguments: [false, true], [ScheduleKind.stream, .layer])
    func everyOpUnderSanitizers(int8: Bool, schedule: ScheduleKind) throws {
        let report = try Self.validate("dw_fire_gemm", int8: int8, schedule: schedule, sanitizers: true)
        #expect(report.passed, "\(int8 ? "int8" : "fp32") \(schedule): relative error \(report.maxRelativeError)")
        if int8 {
            #expect(report.precision == "int8")
            #expect(report.differingBytes == 0)
        } else {
            #expect(report.maxRelativeError < 1e-5)
        }
    }

    @Test func matMulHeadAndCeilModeAveragePool() throws {
        // The head reads a global average: in the stream schedule it is a whole-tensor step after the stream.
        // dw_fire_gemm int8 stream with gcc -O2: the standalone concat's copies stay inline (StreamEmitter.copiesOnly).
        for (model, int8, schedule) in [("dw_gap_matmul", true, ScheduleKind.stream), ("dw_gap_matmul", false, .stream),
                                        ("dw_gap_matmul", true, .layer), ("dw_fire_gemm", true, .stream)] {
            let report = try Self.validate(model, int8: int8, schedule: schedule, sanitizers: false)
            #expect(report.passed, "\(model) \(int8 ? "int8" : "fp32") \(schedule): relative error \(report.maxRelativeError)")
            if int8 { #expect(report.differingBytes == 0, "\(model) \(schedule)") }
        }
    }
}

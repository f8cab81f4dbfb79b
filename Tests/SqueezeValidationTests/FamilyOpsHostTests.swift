import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// The family-ops fixture (pad, clip, leaky ReLU, sigmoid, affine, auto_pad;
/// scripts/make_family_fixtures.py) as generated C on the host under
/// ASan/UBSan, both schedules: fp32 within the tolerance, int8 bit-exact
/// against the Swift int8 reference. One compile per case, gcc and clang
/// alternating.
@Suite struct FamilyOpsHostTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx/family_ops.onnx").path

    static func fused() throws -> Graph {
        try PassPipeline().run(try ONNXImporter.load(path: fixture))
    }

    static func runner(_ compiler: String) -> HostRunner {
        HostRunner(compiler: compiler, extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"])
    }

    static func validate(_ graph: Graph, float: Graph?, schedule: ScheduleKind, compiler: String) throws -> ValidationReport {
        var validator = Validator(runner: runner(compiler))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-family-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = Array(HostValidationTests.inputs(float ?? graph, count: 5).suffix(2))
        return try validator.validate(graph, inputs: inputs, options: CodegenOptions(prefix: "model", schedule: schedule), workDirectory: dir,
                                      floatGraph: float).report
    }

    @Test func theFusedGraphKeepsEveryKindOfOp() throws {
        let g = try Self.fused()
        let ops = g.nodes.map(\.op)
        #expect(ops.contains { if case .conv2d(let a) = $0 { a.activation == .clip(min: 0, max: 6) } else { false } })
        #expect(ops.contains { if case .conv2d(let a) = $0 { a.activation == .leakyRelu(alpha: 0.1) && a.pool != nil } else { false } })
        #expect(ops.contains(.activation(.sigmoid)) && ops.contains(.activation(.clip(min: 0.2, max: 0.8))))
        #expect(ops.contains(.activation(.leakyRelu(alpha: 0.2))))
        #expect(ops.contains(.affine(channels: 8)))
        #expect(ops.contains(.pad(Padding(top: 1, left: 0, bottom: 0, right: 1), value: 0)))
    }

    @Test(arguments: [(ScheduleKind.stream, "clang"), (.layer, "gcc")])
    func fp32WithinTolerance(schedule: ScheduleKind, compiler: String) throws {
        let report = try Self.validate(try Self.fused(), float: nil, schedule: schedule, compiler: compiler)
        #expect(report.passed, "\(schedule) \(compiler)")
    }

    /// The fused fp32 graph and its int8 quantisation, calibrated on seeded noise.
    static func quantized() throws -> (int8: Graph, float: Graph) {
        let float = try fused()
        let calibration = HostValidationTests.inputs(float, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
        let ranges = try Calibrator(method: .minMax).ranges(float, inputs: calibration)
        let int8 = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: calibration.map(\.name))).run(float)
        return (int8, float)
    }

    @Test(arguments: [(ScheduleKind.stream, "gcc"), (.layer, "clang")])
    func int8BitExact(schedule: ScheduleKind, compiler: String) throws {
        let (int8, float) = try Self.quantized()
        #expect(int8.quantization?.activations.count == 5)   // fused leaky ReLU, sigmoid, clip, leaky ReLU, sigmoid
        #expect(int8.quantization?.affines.count == 1)
        let report = try Self.validate(int8, float: float, schedule: schedule, compiler: compiler)
        Int8ValidationTests.expectExact(report, "\(schedule) \(compiler)")
    }

    /// The one QEMU run of these ops: int8 (the stream schedule,
    /// arm-none-eabi-gcc, Cortex-M4) bit-exact on the board.
    @Test func int8BitExactOnTheCortexM4() throws {
        let (int8, float) = try Self.quantized()
        var validator = Validator(runner: FirmwareRunner(board: .an386))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-family-fw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = Array(HostValidationTests.inputs(float, count: 4).suffix(1))
        let report = try validator.validate(int8, inputs: inputs, options: CodegenOptions(prefix: "model", schedule: .stream), workDirectory: dir,
                                            floatGraph: float).report
        Int8ValidationTests.expectExact(report, "an386")
    }
}

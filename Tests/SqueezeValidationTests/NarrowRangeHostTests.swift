import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// Points whose calibrated or given range is too narrow for the int8
/// kernels (`Quantizer.widened`, `Quantizer.ConvOutput`) as generated C on
/// the host under ASan/UBSan, both schedules: bit-exact against the Swift
/// int8 reference, tables after widened convolutions included.
@Suite struct NarrowRangeHostTests {
    static func validate(_ int8: Graph, float: Graph, schedule: ScheduleKind, compiler: String) throws -> ValidationReport {
        var validator = Validator(runner: FamilyOpsHostTests.runner(compiler))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-narrow-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Faint images (1/50 of the calibrated range): conv1's outputs stay inside its narrow given range, so its table matters.
        let inputs = HostValidationTests.inputs(float, count: 2).suffix(1).map { Validator<HostRunner>.Input(name: $0.name, values: $0.values.map { $0 / 50 }) }
        return try validator.validate(int8, inputs: inputs, options: CodegenOptions(prefix: "model", schedule: schedule), workDirectory: dir,
                                      floatGraph: float).report
    }

    static func expectExact(_ report: ValidationReport, _ label: String) {
        #expect(report.passed, "\(label)")
        #expect(report.differingBytes == 0, "\(label): \(report.differingBytes ?? -1) bytes differ")
    }

    /// squeezenet1.1 with the complex bypass: conv1 (fused max pool) and a
    /// Fire concat given narrow parameters (kept through tables), a squeeze
    /// calibrated as all zeros (widened).
    static func squeezeNet() throws -> (int8: Graph, float: Graph) {
        // A quarter of the expand filters: the same layers, a faster compile under the sanitizers.
        let config = SqueezeNetConfig(version: .v1_1, inputSize: 40, classes: 10, baseE: 32, incrE: 32, bypass: .complex)
        let float = try PassPipeline().run(try SqueezeNetBuilder.build(config).graph)
        let calibration = HostValidationTests.inputs(float, count: 2).map { Calibrator.Input(name: $0.name, values: $0.values) }
        var ranges = try Calibrator().ranges(float, inputs: calibration)
        let fires = float.nodes.filter { if case .fire(let a) = $0.op { a.pool == nil } else { false } }
        // Degenerate ranges elsewhere (QuantizerWideningTests) saturate everything after them; one squeeze here.
        ranges[Quantization.squeezePoint(fires[1].name)] = 0...0
        var quantizer = Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: []))
        // Given parameters a little too narrow (largest factor 0.8): codes still carry the signal through the tables.
        let normal = try #require(try quantizer.run(float).quantization)
        func narrowed(_ convolutions: [ConvQuantization], zeroPoint: Int32) -> QuantParams {
            let largest = convolutions.map { c in Double(c.input.scale) * Double(c.weightScales.max() ?? 0) }.max() ?? 0
            return QuantParams(scale: Float(largest / 0.8), zeroPoint: zeroPoint)
        }
        let conv1 = float.nodes[0]
        quantizer.given[Quantization.convPoint(conv1.name)] = narrowed([try normal.convolution(conv1.parameters[0], node: conv1.name)],
                                                                       zeroPoint: -128)
        guard case .fire(let a) = fires[0].op else { throw Diagnostic.internal("not a fire") }
        let expands = try a.parameterRanges.dropFirst().map { try normal.convolution(fires[0].parameters[$0.lowerBound], node: fires[0].name) }
        quantizer.given[fires[0].output] = narrowed(expands, zeroPoint: -100)
        return (try quantizer.run(float), float)
    }

    @Test(arguments: [(ScheduleKind.stream, "gcc"), (.layer, "clang")])
    func squeezeNetWithNarrowPointsIsBitExact(schedule: ScheduleKind, compiler: String) throws {
        let (int8, float) = try Self.squeezeNet()
        let q = try #require(int8.quantization)
        #expect(q.convolutions[int8.nodes[0].parameters[0]]?.outputTable != nil)
        // conv1, and the first Fire's expand with the largest factor (the other may still fit).
        #expect(q.convolutions.values.filter { $0.outputTable != nil }.count >= 2)
        Self.expectExact(try Self.validate(int8, float: float, schedule: schedule, compiler: compiler), "\(schedule) \(compiler)")
    }

    /// The family-ops fixture with its affine op and a standalone sigmoid
    /// calibrated as constant.
    @Test func familyOpsWithNarrowAffineIsBitExact() throws {
        let float = try FamilyOpsHostTests.fused()
        let calibration = HostValidationTests.inputs(float, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
        var ranges = try Calibrator(method: .minMax).ranges(float, inputs: calibration)
        let affine = try #require(float.nodes.first { if case .affine = $0.op { true } else { false } })
        ranges[affine.output] = 0...0
        let int8 = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: [])).run(float)
        let q = try #require(int8.quantization?.affines[affine.name])
        #expect(q.output.scale > 1e-9 / 255 * 1000)
        Self.expectExact(try Self.validate(int8, float: float, schedule: .stream, compiler: "clang"), "family affine")
    }
}

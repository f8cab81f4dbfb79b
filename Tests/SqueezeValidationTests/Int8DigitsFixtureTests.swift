import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// The trained 32x32 digits SqueezeNet (Tests/Fixtures/digits): its final
/// global average covers one pixel. In int8, calibrated on the fixture's
/// calibration images with every method, the host C gives exactly the Swift
/// int8 reference's bytes.
@Suite struct Int8DigitsFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/digits")

    /// Every image of the class sub-folders of `folder` (in class, then name order), read for `input`.
    static func images(_ folder: String, for input: ValueInfo, perClass: Int? = nil) throws -> [NamedInput] {
        let root = directory.appendingPathComponent(folder).path
        let classes = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(classes.count == 10)
        return try classes.flatMap { name throws -> [NamedInput] in
            let inputs = try InputFolder.read((root as NSString).appendingPathComponent(name), for: input)
            return Array(inputs.prefix(perClass ?? inputs.count)).map { NamedInput(name: name + "/" + $0.name, values: $0.values) }
        }
    }

    @Test(arguments: [CalibrationMethod.minMax, .percentile(99.99), .mse])
    func hostCIsBitExactForEveryCalibrationMethod(method: CalibrationMethod) throws {
        let loaded = try ONNXImporter.load(path: Self.directory.appendingPathComponent("squeezenet1_1_digits32.onnx").path)
        let fused = try PassPipeline().run(loaded)
        let calibration = try Self.images("calibrate", for: fused.inputs[0])
        #expect(calibration.count == 40)
        let ranges = try Calibrator(method: method).ranges(fused, inputs: calibration.map { .init(name: $0.name, values: $0.values) })
        let int8 = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: method.description, inputs: calibration.map(\.name)))
            .run(fused)
        let average = try #require(int8.quantization?.averages.values.first)
        #expect(average.count == 1)

        let cases = try Self.images("test", for: fused.inputs[0], perClass: 1).map { ValidationInput(name: $0.name, values: $0.values) }
        var validator = Validator(runner: HostRunner())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-digits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try validator.validate(int8, inputs: cases, options: CodegenOptions(prefix: "model"), workDirectory: dir,
                                            floatGraph: fused).report
        #expect(report.passed, "\(method)")
        #expect(report.precision == "int8")
        #expect(report.differingBytes == 0, "\(method): \(report.differingBytes ?? -1) bytes differ")
    }
}

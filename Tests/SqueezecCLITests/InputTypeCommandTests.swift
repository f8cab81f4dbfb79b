import Foundation
import Testing

/// `--input-type uint8` from the command line: `validate --input image.png`
/// feeds the raw pixels to the generated C (the trained digits model, int8,
/// bit-identical to the reference and still reading a 3 as a 3); the layer
/// schedule and unknown input types are usage errors.
@Suite struct InputTypeCommandTests {
    static let digits = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/digits")

    @Test func validateFeedsRawPixelsOfAnImage() throws {
        let result = try CLIRunner.run(["validate", Self.digits.appendingPathComponent("squeezenet1_1_digits32.onnx").path,
                                        "--precision", "int8", "--input-type", "uint8",
                                        "--calibrate", Self.digits.appendingPathComponent("calibrate/3").path,
                                        "--input", Self.digits.appendingPathComponent("test/3/0062.png").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("PASS (bit-identical to the int8 reference)"), "\(result.stdout)")
        #expect(result.stdout.contains("  1. class    3 "), "\(result.stdout)")
        #expect(result.stdout.contains("int8: 0 output bytes differ from the Swift int8 reference"), "\(result.stdout)")
    }

    @Test func generateWritesAUint8HeaderAndRefusesTheLayerSchedule() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let base = ["generate", "squeezenet1.1", "--input-size", "32", "--classes", "10", "--input-type", "uint8"]
        let result = try CLIRunner.run(base + ["-o", root.appendingPathComponent("u8").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("input type uint8: model_run takes 3072 bytes of raw pixels 0..255"), "\(result.stdout)")
        let header = try String(contentsOf: root.appendingPathComponent("u8/model.h"), encoding: .utf8)
        #expect(header.contains("int model_run(const uint8_t *input, float *output);"))
        #expect(header.contains("mean = 0.485,0.456,0.406, std = 0.229,0.224,0.225"))
        #expect(header.contains("is folded into conv1's weights and bias."))
        let layer = try CLIRunner.run(base + ["--schedule", "layer", "-o", root.appendingPathComponent("layer").path])
        #expect(layer.status != 0)
        #expect(layer.stderr.contains("--input-type uint8 needs the stream schedule"), "\(layer.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("layer").path))
        let bad = try CLIRunner.run(base + ["--input-type", "uint16", "-o", root.appendingPathComponent("bad").path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("uint16"), "\(bad.stderr)")
    }
}

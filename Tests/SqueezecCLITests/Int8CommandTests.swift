import Foundation
import SqueezeTensorIO
import Testing

/// `--precision int8` end to end through the release binary: calibration on
/// real photographs, the fidelity report, error handling.
@Suite(.serialized) struct Int8CommandTests {
    /// The scikit-image / scikit-learn photographs, split into calibration
    /// and held-out evaluation folders (scripts/photo_sets.sh).
    static let photoSets: Result<URL, PhotoSetsFailed> = {
        guard let dir = try? CLIRunner.temporaryDirectory() else { return .failure(PhotoSetsFailed(message: "no temporary directory")) }
        do {
            let r = try CLIRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), ["scripts/photo_sets.sh", dir.path])
            return r.status == 0 ? .success(dir) : .failure(PhotoSetsFailed(message: "exit \(r.status): \(r.stderr.suffix(2000))"))
        } catch {
            return .failure(PhotoSetsFailed(message: "\(error)"))
        }
    }()

    struct PhotoSetsFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { "scripts/photo_sets.sh failed: \(message)" }
    }

    /// The photo folders, or the script's own error as the test failure.
    var photos: URL { get throws { try Self.photoSets.get() } }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func fidelityOnRealPhotographsAndBitExactHostCode() throws {
        let photos = try self.photos
        let r = try CLIRunner.run(["validate", "squeezenet1.1", "--precision", "int8", "--calibrate", photos.appendingPathComponent("calibrate").path,
                                   "--calibration", "mse", "--target", "host", "--input-dir", photos.appendingPathComponent("evaluate").path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "--json is quiet, calibration included")
        let report = try json(r.stdout)
        #expect(report["precision"] as? String == "int8")
        #expect(report["differing_bytes"] as? Int == 0)
        let fidelity = try #require(report["fidelity"] as? [String: Any])
        let inputs = try #require(fidelity["inputs"] as? [[String: Any]])
        #expect(inputs.count == 13)
        #expect(inputs.contains { $0["name"] as? String == "moon.png" })
        // Measured: mean 38 dB, min 33 dB (random-weight model, held-out photos).
        #expect((fidelity["mean_sqnr_db"] as? Double ?? 0) > 30)
        #expect((fidelity["min_sqnr_db"] as? Double ?? 0) > 25)
        #expect((fidelity["top5_agreement"] as? Double ?? 0) >= 0.9)
    }

    @Test func fidelityOnSeededNoise() throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.0", "--precision", "int8", "--target", "host", "--inputs", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try json(r.stdout)
        #expect(report["differing_bytes"] as? Int == 0)
        let fidelity = try #require(report["fidelity"] as? [String: Any])
        #expect((fidelity["min_sqnr_db"] as? Double ?? 0) > 25)
    }

    @Test func analyzeShowsTheCalibrationResult() throws {
        let photos = try self.photos
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--precision", "int8", "--calibrate", photos.appendingPathComponent("calibrate").path,
                                   "--calibration", "percentile:99.9"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("int8 quantisation (calibration percentile 99.9 on 8 inputs: astronaut.png, camera.png"))
        #expect(r.stdout.contains("fire9.squeeze"))
        #expect(r.stdout.contains("conv10.weight"))
        // Progress, one line per input and pass, on stderr.
        #expect(r.stderr.contains("calibrating (pass 2/2): 8/8 rocket.png"))
        let j = try CLIRunner.run(["analyze", "squeezenet1.1", "--precision", "int8", "--input-size", "128", "--json"])
        #expect(j.status == 0, "\(j.stderr)")
        let rows = try #require(try json(j.stdout)["quantization"] as? [[String: Any]])
        let input = try #require(rows.first)
        #expect(input["value"] as? String == "data")
        #expect((input["scale"] as? Double ?? 0) > 0)
    }

    @Test func int8ArenaTargets() throws {
        // Streaming int8: v1.1 at 224 in at most 96 KiB, at 128 in at most 48 KiB.
        for (size, limit) in [(224, 96 * 1024), (128, 48 * 1024)] {
            let dir = try CLIRunner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let r = try CLIRunner.run(["generate", "squeezenet1.1", "--precision", "int8", "--input-size", "\(size)", "-o", dir.path])
            #expect(r.status == 0, "\(r.stderr)")
            let header = try String(contentsOf: dir.appendingPathComponent("model.h"), encoding: .utf8)
            let line = try #require(header.split(separator: "\n").first { $0.hasPrefix("#define MODEL_ARENA_BYTES ") })
            let arena = try #require(Int(line.split(separator: " ").last!))
            #expect(arena <= limit, "\(size): arena \(arena) > \(limit)")
            #expect(header.contains("#define MODEL_PRECISION \"int8\""))
            #expect(header.contains("#define MODEL_INPUT_ZERO_POINT "))
            #expect(header.contains("int model_run(const int8_t *input, int8_t *output);"))
            #expect(header.contains("int model_run_f32(const float *input, float *output);"))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("model_f32.c").path))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sq_kernels_s8.h").path))
        }
    }

    @Test func badCalibrationOptionsAreClearErrors() throws {
        let method = try CLIRunner.run(["generate", "squeezenet1.1", "--precision", "int8", "--calibration", "kl", "-o", "/tmp/unused-squeezec"])
        #expect(method.status == 2)
        #expect(method.stderr.contains("--calibration 'kl'"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/unused-squeezec"))
        let missing = try CLIRunner.run(["analyze", "squeezenet1.1", "--precision", "int8", "--calibrate", "/nonexistent/photos"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/photos"))
        let empty = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try CLIRunner.run(["analyze", "squeezenet1.1", "--precision", "int8", "--calibrate", empty.path])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no calibration inputs"))
        // Softmax is int8 too (output scale 1/256): no longer refused.
        let softmax = try CLIRunner.run(["analyze", "squeezenet1.1", "--precision", "int8", "--softmax", "--input-size", "64"])
        #expect(softmax.status == 0, "\(softmax.stderr)")
    }

    /// An imported ONNX SqueezeNet quantises like a built-in one; its fixture
    /// inputs (.npy) serve as the calibration folder.
    @Test func importedOnnxModelsQuantiseToo() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 0..<3 {
            try FileManager.default.copyItem(atPath: "Tests/Fixtures/onnx/squeezenet1_1_64.input\(i).npy",
                                             toPath: dir.appendingPathComponent("x\(i).npy").path)
        }
        let r = try CLIRunner.run(["validate", "Tests/Fixtures/onnx/squeezenet1_1_64.onnx", "--precision", "int8", "--calibrate", dir.path,
                                   "--target", "host", "--input", "Tests/Fixtures/onnx/squeezenet1_1_64.input0.npy"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("int8: 0 output bytes differ from the Swift int8 reference"))
        #expect(r.stdout.contains("PASS (bit-identical to the int8 reference)"))
        #expect(r.stderr.contains("calibrating (pass 1/1): 3/3 x2.npy"))
    }

    @Test func runPrintsInt8TopClassesAndSQNR() throws {
        let r = try CLIRunner.run(["run", "squeezenet1.1", "--precision", "int8", "--input", "Samples/sample224.npy"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("int8 vs fp32: SQNR"))
        #expect(r.stdout.contains(" 1. class "))
    }

    @Test func calibrationIsDeterministic() throws {
        let photos = try self.photos
        var texts: [String] = []
        // The same output path both times: it is part of the recorded command line.
        let parent = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let dir = parent.appendingPathComponent("out")
        for _ in 0..<2 {
            let r = try CLIRunner.run(["generate", "squeezenet1.1", "--precision", "int8", "--input-size", "96", "--calibration", "mse",
                                       "--calibrate", photos.appendingPathComponent("calibrate").path, "-o", dir.path])
            #expect(r.status == 0, "\(r.stderr)")
            var all = ""
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                all += try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            }
            texts.append(all)
            try FileManager.default.removeItem(at: dir)
        }
        #expect(texts[0] == texts[1])
    }
}

import Foundation
import Testing

/// `squeezec calibrate -o FILE` and `--precision int8 --quantization FILE`:
/// calibrate once, load it in every command, with the same results as
/// calibrating directly; and int8 at the smallest inputs (the issue's command).
@Suite struct CalibrateCommandTests {
    static let model = ["squeezenet1.1", "--input-size", "32", "--classes", "10"]

    @Test func theIssuesSmallInt8RunWorks() throws {
        let r = try CLIRunner.run(["run"] + Self.model + ["--precision", "int8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("int8 vs fp32"))
    }

    @Test func aLoadedCalibrationGivesTheSameOutputsAndCode() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let q = dir.appendingPathComponent("q.json").path
        let c = try CLIRunner.run(["calibrate"] + Self.model + ["--calibration", "percentile", "-o", q])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.hasPrefix("wrote \(q): "))
        #expect(c.stdout.contains("calibration percentile 99.99 on 8 inputs"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: q))) as? [String: Any])
        #expect(object["format"] as? String == "squeezec-quantization" && object["version"] as? Int == 1)

        let direct = try CLIRunner.run(["run"] + Self.model + ["--precision", "int8", "--calibration", "percentile",
                                                               "--output", dir.appendingPathComponent("a.npy").path])
        let loaded = try CLIRunner.run(["run"] + Self.model + ["--precision", "int8", "--quantization", q,
                                                               "--output", dir.appendingPathComponent("b.npy").path])
        #expect(direct.status == 0 && loaded.status == 0, "\(direct.stderr) \(loaded.stderr)")
        #expect(direct.stderr.contains("calibrating"))
        #expect(!loaded.stderr.contains("calibrating"), "loading does not calibrate")
        #expect(try Data(contentsOf: dir.appendingPathComponent("a.npy")) == Data(contentsOf: dir.appendingPathComponent("b.npy")))

        for (name, extra) in [("direct", ["--calibration", "percentile"]), ("loaded", ["--quantization", q])] {
            let g = try CLIRunner.run(["generate"] + Self.model + ["--precision", "int8"] + extra + ["-o", dir.appendingPathComponent(name).path])
            #expect(g.status == 0, "\(g.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("direct").path).sorted()
        #expect(files.contains("model.c"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("loaded").path).sorted() == files)
        // The manifest's hashes cover the recorded command lines: every other file is compared.
        for file in files where file != "squeezec-manifest.txt" {
            // Everything but the recorded command line.
            func lines(_ folder: String) throws -> [String] {
                try String(contentsOf: dir.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.contains("squeezec generate") }
            }
            #expect(try lines("direct") == lines("loaded"), "\(file)")
        }
    }

    @Test func aFileForAnotherModelIsAOneLineError() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let q = dir.appendingPathComponent("q.json").path
        #expect(try CLIRunner.run(["calibrate"] + Self.model + ["-o", q]).status == 0)
        let r = try CLIRunner.run(["analyze", "squeezenet1.0", "--input-size", "32", "--classes", "10", "--precision", "int8",
                                   "--quantization", q])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(q) && r.stderr.contains("tensor '"), "\(r.stderr)")
    }

    @Test func quantizationConflictsWithCalibrating() throws {
        let both = try CLIRunner.run(["run"] + Self.model + ["--precision", "int8", "--quantization", "q.json", "--calibration", "mse"])
        #expect(both.status == 2 && both.stderr.contains("--quantization"), "\(both.stderr)")
        let fp32 = try CLIRunner.run(["run"] + Self.model + ["--quantization", "q.json"])
        #expect(fp32.status == 2 && fp32.stderr.contains("--precision int8"), "\(fp32.stderr)")
        let missing = try CLIRunner.run(["run"] + Self.model + ["--precision", "int8", "--quantization", "/nonexistent/q.json"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/q.json"), "\(missing.stderr)")
    }
}

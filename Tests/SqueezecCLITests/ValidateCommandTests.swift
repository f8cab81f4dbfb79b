import Foundation
import SqueezeTensorIO
import Testing

@Suite struct ValidateCommandTests {
    @Test func hostValidationReportsJSONAndWritesTheOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("y.npy").path
        let r = try CLIRunner.run(["validate", "squeezenet1.1", "--target", "host", "--input", "Samples/sample224.npy",
                                   "--output", output, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "--json is quiet")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        for key in ["max_abs_error", "arena_bytes", "weight_bytes", "inputs", "tolerance"] { #expect(object[key] != nil, "\(key)") }
        #expect((object["max_abs_error"] as? Double ?? 1) < 1e-4)
        // The written output is the generated code's, and matches `run` closely.
        let generated = try #require(try NpyFormat.read(path: output).floats)
        let reference = dir.appendingPathComponent("ref.npy").path
        #expect(try CLIRunner.run(["run", "squeezenet1.1", "--input", "Samples/sample224.npy", "--output", reference]).status == 0)
        let expected = try #require(try NpyFormat.read(path: reference).floats)
        #expect(zip(generated, expected).map { abs($0 - $1) }.max()! < 1e-4)
    }

    @Test func progressGoesToStandardError() throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.0", "--input-size", "64", "--classes", "10", "--inputs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[validate] running input 2/2"))
        #expect(r.stdout.contains("PASS"))
        #expect(r.stdout.contains("seed 1:") && r.stdout.contains("seed 2:"))
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let nowhere = try CLIRunner.run(["validate", "squeezenet1.1", "--target", "nowhere"])
        #expect(nowhere.status == 2)
        // One line that lists every board (from Board.all).
        #expect(nowhere.stderr.split(separator: "\n").count == 1)
        #expect(["host", "mps2-an386", "mps2-an500", "mps3-an547", "mps3-an547-dtcm128"].allSatisfy { nowhere.stderr.contains($0) }, "\(nowhere.stderr)")
        let reference = try CLIRunner.run(["validate", "squeezenet1.1", "--target", "reference"])
        #expect(reference.status == 2 && reference.stderr.contains("--target host or a board"), "\(reference.stderr)")
        #expect(try CLIRunner.run(["validate", "squeezenet1.1", "--inputs", "0"]).status == 2)
    }
}

@Suite struct FirmwareCommandTests {
    @Test func validateOnABoardReportsFirmwareFigures() throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.0", "--input-size", "64", "--classes", "10", "--target", "mps3-an547", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        for key in ["instructions", "flash_bytes", "ram_bytes", "stack_bytes", "layers", "instructions_per_mac"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.first?["name"] as? String == "conv1")
        #expect((layers.first?["instructions"] as? Int ?? 0) > 0)
    }

    @Test func firmwareBuildsAnELF() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("fw")
        let r = try CLIRunner.run(["firmware", "squeezenet1.1", "--input-size", "64", "--board", "mps2-an500", "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("firmware.elf").path))
        #expect(r.stdout.contains("flash"))
        let bad = try CLIRunner.run(["firmware", "squeezenet1.1", "--board", "stm32", "-o", out.path])
        #expect(bad.status == 2)
        let tooBig = try CLIRunner.run(["firmware", "squeezenet1.0", "--schedule", "layer", "--board", "mps3-an547", "-o", out.path])
        #expect(tooBig.status == 1)
        #expect(tooBig.stderr.contains("DTCM needs"))
    }
}

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
        #expect(try CLIRunner.run(["validate", "squeezenet1.1", "--target", "nowhere"]).status == 2)
        #expect(try CLIRunner.run(["validate", "squeezenet1.1", "--inputs", "0"]).status == 2)
    }
}

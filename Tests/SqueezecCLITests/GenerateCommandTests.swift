import Foundation
import Testing

@Suite struct GenerateCommandTests {
    func contents(_ dir: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            result[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return result
    }

    @Test func writesTheDocumentedFilesDeterministically() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("gen")
        let arguments = ["generate", "squeezenet1.1", "--input-size", "64", "--classes", "10", "-o", out.path, "--prefix", "sqz"]
        let first = try CLIRunner.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let a = try contents(out)
        #expect(Set(a.keys) == ["sqz.h", "sqz.c", "sqz_data.h", "sqz_weights.c", "sqz_arena.c", "sq_common.h", "sq_kernels_f32.h"])
        let header = String(decoding: a["sqz.h"]!, as: UTF8.self)
        #expect(header.contains("Command: squeezec generate squeezenet1.1 --input-size 64"))
        #expect(header.contains("int sqz_run(const float *input, float *output);"))
        let second = try CLIRunner.run(arguments)
        #expect(second.status == 0)
        #expect(try contents(out) == a, "same model and flags must give byte-identical files")
    }

    @Test func anErrorLeavesTheFolderAsItWas() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("gen")
        #expect(try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "-o", out.path]).status == 0)
        try Data("user file\n".utf8).write(to: out.appendingPathComponent("Makefile"))
        let before = try contents(out)
        let bad = try CLIRunner.run(["generate", "squeezenet1.0", "--input-size", "20", "-o", out.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("layer '"))
        let badPrefix = try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "-o", out.path, "--prefix", "no-dashes"])
        #expect(badPrefix.status == 2)
        #expect(try contents(out) == before)
        // A successful run replaces the generated files and keeps the user's.
        #expect(try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "72", "-o", out.path]).status == 0)
        let after = try contents(out)
        #expect(after["Makefile"] == before["Makefile"])
        #expect(after["model.h"] != before["model.h"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "staging folders left behind: \(leftovers)")
    }

    @Test func missingParentFolderIsAnInputError() throws {
        let r = try CLIRunner.run(["generate", "squeezenet1.1", "-o", "/nonexistent-squeezec/x/y"])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}

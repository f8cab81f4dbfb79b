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
        #expect(Set(a.keys) == ["sqz.h", "sqz.c", "sqz_data.h", "sqz_weights.c", "sqz_arena.c", "sq_common.h", "sq_kernels_f32.h",
                                "CMakeLists.txt", "sqz.mk", "squeezec-manifest.txt"])
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
        let leftovers = try (FileManager.default.contentsOfDirectory(atPath: root.path)
                             + FileManager.default.contentsOfDirectory(atPath: out.path)).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "staging folders left behind: \(leftovers)")
    }

    @Test func missingParentFoldersAreCreated() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("a/b/c")
        let r = try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.h").path))
        // Under a plain file no folder can be made: one line, exit 1, nothing created.
        try Data().write(to: root.appendingPathComponent("file"))
        let bad = try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "-o", root.appendingPathComponent("file/x/y").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    }

    @Test func anEmptyOutputFolderIsAUsageError() throws {
        for command in ["generate", "firmware"] {
            let r = try CLIRunner.run([command, "squeezenet1.1", "--input-size", "64", "-o", ""])
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr.contains("must not be empty"), "\(command): \(r.stderr)")
        }
    }

    /// int8 then fp32 into one folder: the int8-only files go (the manifest
    /// lists them), the user's files stay as they were (same inode), and the
    /// folder builds with its Make fragment.
    @Test func regeneratingWithAnotherPrecisionLeavesNoStaleFiles() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("gen")
        let int8 = try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "--classes", "10", "--precision", "int8", "-o", out.path])
        #expect(int8.status == 0, "\(int8.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sq_kernels_s8.h").path))
        let mine = out.appendingPathComponent("app.c")
        try Data("int main(void) { return 0; }\n".utf8).write(to: mine)
        let inode = try FileManager.default.attributesOfItem(atPath: mine.path)[.systemFileNumber] as? Int
        let fp32 = try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "--classes", "10", "-o", out.path])
        #expect(fp32.status == 0, "\(fp32.stderr)")
        #expect(fp32.stderr.contains("removed 2 file(s) of the previous build that this one does not write: model_f32.c, sq_kernels_s8.h"))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        #expect(names == ["app.c", "model.h", "model.c", "model_data.h", "model_weights.c", "model_arena.c", "sq_common.h",
                          "sq_kernels_f32.h", "CMakeLists.txt", "model.mk", "squeezec-manifest.txt"])
        #expect(try FileManager.default.attributesOfItem(atPath: mine.path)[.systemFileNumber] as? Int == inode)
        try Data("include model.mk\nlib.o: $(MODEL_SRCS)\n\tcc -std=c99 -O1 $(MODEL_CFLAGS) -c $(MODEL_SRCS)\n".utf8)
            .write(to: out.appendingPathComponent("Makefile"))
        let make = try CLIRunner.run(executable: URL(fileURLWithPath: "/usr/bin/make"), ["-s", "-C", out.path, "lib.o"])
        #expect(make.status == 0, "\(make.stderr.prefix(600))")
    }

    /// SIGINT and SIGTERM while the files are being written: exit 130/143,
    /// no staging folder, no partial file; the user's file stays.
    @Test(arguments: [SIGINT, SIGTERM])
    func anInterruptedGenerateLeavesNothingBehind(signal: Int32) throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("gen")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let status = try Self.interrupt(["generate", "squeezenet1.0", "-o", out.path], watching: out, with: signal)
        #expect(status == 128 + signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
    }

    /// The same for a folder the command created: it goes too.
    @Test func anInterruptedFirmwareBuildRemovesTheFolderItCreated() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("new/fw")
        let status = try Self.interrupt(["firmware", "squeezenet1.1", "--input-size", "64", "-o", out.path], watching: out, with: SIGTERM)
        #expect(status == 143)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }

    /// Starts squeezec, waits until its staging folder appears in `folder`,
    /// sends `signal` and returns the exit status.
    static func interrupt(_ arguments: [String], watching folder: URL, with signal: Int32) throws -> Int32 {
        let process = Process()
        process.executableURL = try CLIRunner.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = false
        while process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if names.contains(where: { $0.hasPrefix(".squeezec-staging-") }) {
                seen = true
                kill(process.processIdentifier, signal)
                break
            }
            usleep(1000)
        }
        process.waitUntilExit()
        #expect(seen, "the staging folder never appeared: the command finished first")
        return process.terminationStatus
    }

    @Test func firmwareRefusesAModelThatDoesNotFitBeforeWritingAnything() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("fw")
        let r = try CLIRunner.run(["firmware", "squeezenet1.1", "--board", "mps3-an547-dtcm128", "-o", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("does not fit mps3-an547-dtcm128"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }
}

import Foundation
import SqueezeIR
import Testing
@testable import SqueezeCodegen

/// The output folder: only files squeezec writes are touched, each by one
/// rename; the manifest drives the removal of stale files.
@Suite struct OutputDirectoryTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-out-\(UUID().uuidString)")

    func files(_ names: [String: String]) -> [GeneratedFile] {
        names.map { GeneratedFile(name: $0.key, contents: $0.value) }
    }

    func read(_ url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    }

    func inode(_ url: URL) -> UInt64 {
        var info = stat()
        return lstat(url.path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    func hidden(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".") }
    }

    @Test func createsMissingParentsAndWritesAManifest() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("a/b/c")
        try OutputDirectory.write(files(["m.c": "int x;\n", "m.h": "#define M 1\n"]), to: target.path)
        #expect(read(target.appendingPathComponent("m.c")) == "int x;\n")
        let manifest = OutputManifest.parse(read(target.appendingPathComponent(OutputManifest.fileName)) ?? "")
        #expect(manifest.names == ["m.c", "m.h"])
        // sha256("int x;\n"), as sha256sum prints it.
        #expect(manifest.entry("m.c") == .init(name: "m.c", bytes: 7, sha256: "7c725f30854a46033dd94f728ac6b08caf10845993cd3ed48e40079cdb0a76a6"))
        #expect(hidden(target).isEmpty)
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func regeneratingRemovesStaleFilesOnlyAndKeepsTheUsersFiles() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let target = root.appendingPathComponent("gen")
        try OutputDirectory.write(files(["m.c": "int8\n", "m_f32.c": "entry\n", "sq_kernels_s8.h": "s8\n", "edited.c": "old\n"]),
                                  to: target.path)
        // The user's files: a plain file with a hard link outside, a FIFO,
        // a symlink, and an edit to a generated file.
        let mine = target.appendingPathComponent("main.c")
        try Data("user\n".utf8).write(to: mine)
        let outside = root.appendingPathComponent("link-to-main.c")
        try fm.linkItem(at: mine, to: outside)
        #expect(mkfifo(target.appendingPathComponent("pipe").path, 0o644) == 0)
        try fm.createSymbolicLink(atPath: target.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        try Data("changed by the user\n".utf8).write(to: target.appendingPathComponent("edited.c"))
        let before = inode(mine)

        let result = try OutputDirectory.write(files(["m.c": "fp32\n", "sq_kernels_f32.h": "f32\n"]), to: target.path)
        #expect(result.removed == ["m_f32.c", "sq_kernels_s8.h"])
        #expect(result.kept == ["edited.c"])
        #expect(read(target.appendingPathComponent("m.c")) == "fp32\n")
        #expect(!fm.fileExists(atPath: target.appendingPathComponent("m_f32.c").path))
        #expect(!fm.fileExists(atPath: target.appendingPathComponent("sq_kernels_s8.h").path))
        #expect(read(target.appendingPathComponent("edited.c")) == "changed by the user\n")
        #expect(inode(mine) == before && inode(outside) == before)
        #expect(OutputDirectory.kind(target.appendingPathComponent("pipe")) == S_IFIFO)
        #expect(OutputDirectory.kind(target.appendingPathComponent("passwd")) == S_IFLNK)
        let names = try fm.contentsOfDirectory(atPath: target.path).sorted()
        #expect(names == ["edited.c", "m.c", "main.c", "passwd", "pipe", "sq_kernels_f32.h", OutputManifest.fileName].sorted())
        #expect(OutputManifest.parse(read(target.appendingPathComponent(OutputManifest.fileName)) ?? "").names == ["m.c", "sq_kernels_f32.h"])
    }

    @Test func aSpecialFileAtAGeneratedNameIsReplacedNotOpened() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("gen")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        // Opening the FIFO for writing would block; following the symlink would overwrite its target.
        #expect(mkfifo(target.appendingPathComponent("m.c").path, 0o644) == 0)
        let victim = root.appendingPathComponent("victim.txt")
        try Data("keep\n".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(atPath: target.appendingPathComponent("m.h").path, withDestinationPath: victim.path)
        try OutputDirectory.write(files(["m.c": "c\n", "m.h": "h\n"]), to: target.path)
        #expect(OutputDirectory.kind(target.appendingPathComponent("m.c")) == S_IFREG)
        #expect(read(target.appendingPathComponent("m.h")) == "h\n")
        #expect(read(victim) == "keep\n")
    }

    @Test func aFolderInTheWayOrAFileAsTargetIsAnErrorThatWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let target = root.appendingPathComponent("gen")
        try fm.createDirectory(at: target.appendingPathComponent("m.h"), withIntermediateDirectories: true)
        #expect(throws: Diagnostic.self) { try OutputDirectory.write(files(["m.c": "c\n", "m.h": "h\n"]), to: target.path) }
        #expect(try fm.contentsOfDirectory(atPath: target.path) == ["m.h"])
        let file = root.appendingPathComponent("plain")
        try Data().write(to: file)
        #expect(throws: Diagnostic.self) { try OutputDirectory.write(files(["m.c": "c\n"]), to: file.path) }
    }

    @Test func anEmptyPathIsAUsageError() {
        do {
            try OutputDirectory.write(files(["m.c": "c\n"]), to: "")
            Issue.record("an empty -o was accepted")
        } catch {
            #expect(error.kind == .usage)
        }
    }

    @Test func aFailedBuildLeavesNeitherStagingNorACreatedFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("new/gen")
        let output = try OutputDirectory(target.path)
        try output.stage(files(["m.c": "c\n"]))
        #expect(FileManager.default.fileExists(atPath: output.staging.appendingPathComponent("m.c").path))
        output.discard()
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("new").path))
    }

    @Test func interruptCleanupRemovesStagingAndTheFoldersItCreated() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = TemporaryPaths()
        let existing = root.appendingPathComponent("existing")
        try FileManager.default.createDirectory(at: existing, withIntermediateDirectories: true)
        let created = existing.appendingPathComponent("x/y")
        try FileManager.default.createDirectory(at: created.appendingPathComponent(".squeezec-staging-1"), withIntermediateDirectories: true)
        try Data(count: 1000).write(to: created.appendingPathComponent(".squeezec-staging-1/model_weights.c"))
        registry.registerIfEmpty(created)
        registry.registerIfEmpty(created.deletingLastPathComponent())
        registry.register(created.appendingPathComponent(".squeezec-staging-1"))
        registry.removeAllAndHold()
        #expect(try FileManager.default.contentsOfDirectory(atPath: existing.path).isEmpty)
    }

    @Test func aDamagedManifestNeverNamesAFileOutsideTheFolder() {
        let text = """
        # comment
        \(String(repeating: "a", count: 64)) 3 ok.c
        \(String(repeating: "b", count: 64)) 3 ../escape.c
        \(String(repeating: "c", count: 64)) 3 .hidden
        zz 3 short.c
        \(String(repeating: "d", count: 64)) -1 negative.c
        """
        #expect(OutputManifest.parse(text).names == ["ok.c"])
    }
}

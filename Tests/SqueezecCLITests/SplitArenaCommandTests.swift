import Foundation
import Testing

/// Issue 14's multi-region target: squeezenet1.1 fp32 streaming (183 KiB of
/// arena) on mps3-an547 described with 128 KiB of DTCM and 128 KiB of SRAM
/// (docs/boards/mps3-an547-split.json, the README's example): neither holds
/// the arena, so it is split, hot buffers in DTCM, and runs under QEMU.
@Suite(.serialized) struct SplitArenaCommandTests {
    static let board = CLIRunner.packageRoot.appendingPathComponent("docs/boards/mps3-an547-split.json").path

    @Test func squeezeNetFp32StreamsWithItsArenaOverDTCMAndSRAM() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keep = dir.appendingPathComponent("build")
        let r = try CLIRunner.run(["validate", "squeezenet1.1", "--target", Self.board, "--keep", keep.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true, "\(r.stdout)")
        #expect(json["target"] as? String == "mps3-an547-split")
        // The generated code names both regions; the linked image has an arena section in each.
        let header = try String(contentsOf: try Self.file(named: "model.h", under: keep), encoding: .utf8)
        #expect(header.contains("The arena is split over RAM regions"))
        let dtcm = try #require(Self.define("MODEL_ARENA_BYTES", in: header))
        #expect(dtcm > 0 && dtcm <= 128 << 10)
        let arena = try String(contentsOf: try Self.file(named: "model_arena.c", under: keep), encoding: .utf8)
        #expect(arena.contains("model_arena_sram[") && arena.contains("__attribute__((section(\".bss.sq_arena_sram.model\")))"))
        let script = try String(contentsOf: try Self.file(named: "mps3-an547-split.ld", under: keep), encoding: .utf8)
        #expect(script.contains(".arena_sram (NOLOAD) : ALIGN(16) { *(.bss.sq_arena_sram.*) } > SRAM"))
    }

    /// One region short: refused before building, each region's numbers given.
    @Test func regionsTooSmallForTheArenaAreRefusedBeforeBuilding() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOfFile: Self.board, encoding: .utf8)
            .replacingOccurrences(of: "\"origin\": \"0x11000000\", \"size\": \"128K\"", with: "\"origin\": \"0x11000000\", \"size\": \"32K\"")
        let small = dir.appendingPathComponent("small.json")
        try text.write(to: small, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("fw")
        let r = try CLIRunner.run(["firmware", "squeezenet1.1", "--board", small.path, "-o", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("does not fit its RAM regions (DTCM") && r.stderr.contains("SRAM 32768 bytes"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    static func file(named name: String, under dir: URL) throws -> URL {
        let items = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try #require(items.first { $0.lastPathComponent == name }, "no \(name) under \(dir.path)")
    }

    static func define(_ name: String, in header: String) -> Int? {
        header.split(separator: "\n").first { $0.hasPrefix("#define \(name) ") }
            .flatMap { Int($0.split(separator: " ")[2]) }
    }
}

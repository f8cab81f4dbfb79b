import Foundation
import Testing

/// The Deep-Compression-style fixtures (`CompressedFixtureTests`) through the
/// generated C: stored compressed, bit-exact to the int8 reference on the
/// host, and within issue 13's flash budgets as firmware for mps2-an386
/// (int8 at most 512 KiB, fp32 at most 640 KiB: code, weights and tables),
/// while the dense build of the same model is refused before linking.
@Suite(.serialized) struct CompressedFixtureBuildTests {
    static let calibrate = CompressedFixtureTests.digits.appendingPathComponent("calibrate").path

    static func validate(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLIRunner.run(["validate"] + arguments + ["--target", "host", "--json"])
        #expect(r.status == 0, "\(r.stderr.suffix(1500))")
        return try CompressedFixtureTests.json(r.stdout)
    }

    @Test(arguments: ["fp32", "int8"])
    func theRetrainedFixtureRunsCompressedOnTheHost(precision: String) throws {
        let model = try CompressedFixtureTests.path("squeezenet1_1_digits32_dc")
        let int8 = precision == "int8" ? ["--precision", "int8", "--calibrate", Self.calibrate] : []
        let compressed = try Self.validate([model] + int8)
        let dense = try Self.validate([model, "--weight-format", "dense"] + int8)
        #expect(compressed["passed"] as? Bool == true)
        #expect(dense["passed"] as? Bool == true)
        let stored = try #require(compressed["weight_bytes"] as? Int)
        let full = try #require(dense["weight_bytes"] as? Int)
        // Two thirds zeros and 16 values a layer: well under half the dense bytes.
        #expect(stored * 2 < full, "\(stored) of \(full)")
    }

    func firmware(_ precision: String, flash: Int, extra: [String] = []) throws -> CLIRunner.Result {
        let model = try CompressedFixtureTests.path("squeezenet1_1_dc")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-dc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        return try CLIRunner.run(["firmware", model, "--precision", precision, "--board", "mps2-an386", "--flash-size", "\(flash)",
                                  "-o", out.path] + extra)
    }

    @Test func theDeepCompressionModelFitsTheFlashBudgets() throws {
        let int8 = try firmware("int8", flash: 512 * 1024)
        #expect(int8.status == 0, "\(int8.stderr.suffix(800))")
        let fp32 = try firmware("fp32", flash: 640 * 1024)
        #expect(fp32.status == 0, "\(fp32.stderr.suffix(800))")
        let dense = try firmware("int8", flash: 512 * 1024, extra: ["--weight-format", "dense"])
        #expect(dense.status == 1)
        #expect(dense.stderr.contains("does not fit mps2-an386"), "\(dense.stderr.suffix(800))")
    }
}

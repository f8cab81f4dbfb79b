import Foundation
import Testing

/// `--row-input` from the command line: `generate` and `analyze` report the
/// input ring and the arena with it; the layer schedule refuses it.
@Suite struct RowInputCommandTests {
    static func number(after prefix: String, in text: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func generateReportsTheRingAndTheArenaWithIt() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let base = ["generate", "squeezenet1.1", "--input-size", "64", "--classes", "10", "--precision", "int8"]
        let whole = try CLIRunner.run(base + ["-o", root.appendingPathComponent("whole").path])
        let rows = try CLIRunner.run(base + ["--row-input", "-o", root.appendingPathComponent("rows").path])
        #expect(whole.status == 0 && rows.status == 0, "\(rows.stderr)")
        #expect(!whole.stdout.contains("row input"))
        // 3 rows of 64 pixels x 3 channels (int8) instead of the 12,288-byte image.
        #expect(rows.stdout.contains("row input: model_run_rows; the arena holds an input ring of 3 rows (576 bytes) instead of the 12288-byte input image"),
                "\(rows.stdout)")
        let wholeArena = try #require(Self.number(after: "arena ", in: whole.stdout))
        let rowArena = try #require(Self.number(after: "arena ", in: rows.stdout))
        #expect(rowArena == wholeArena + 576)
        let header = try String(contentsOf: root.appendingPathComponent("rows/model.h"), encoding: .utf8)
        #expect(header.contains("#define MODEL_ARENA_BYTES \(rowArena)\n"))
        #expect(header.contains("#define MODEL_INPUT_RING_ROWS 3\n"))
        #expect(header.contains("#define MODEL_INPUT_ROW_COUNT 192 "))
        #expect(header.contains("int model_run_rows(model_row_source fetch, void *ctx, int8_t *output);"))
    }

    @Test func analyzeCountsTheRing() throws {
        let base = ["analyze", "squeezenet1.1", "--input-size", "64", "--classes", "10"]
        let text = try CLIRunner.run(base + ["--row-input"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("row input: input ring 3 of 64 rows, 2304 bytes (in the arena above) instead of the 49152-byte input image"),
                "\(text.stdout)")
        let json = try CLIRunner.run(base + ["--row-input", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let ring = try #require(object["input_ring"] as? [String: Int])
        #expect(ring == ["bytes": 2304, "rows": 3])
        let plain = try CLIRunner.run(base + ["--json"])
        let plainObject = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect(plainObject["input_ring"] == nil)
        let peak = try #require(object["peak_ram_bytes"] as? Int)
        let plainPeak = try #require(plainObject["peak_ram_bytes"] as? Int)
        #expect(peak == plainPeak + 2304)
    }

    @Test func planPlacesTheRing() throws {
        let result = try CLIRunner.run(["plan", "squeezenet1.1", "--input-size", "64", "--row-input", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let buffers = try #require(object["buffers"] as? [[String: Any]])
        let ring = try #require(buffers.first { $0["name"] as? String == "data" })
        #expect(ring["bytes"] as? Int == 2304)
        let text = try CLIRunner.run(["plan", "squeezenet1.1", "--input-size", "64", "--row-input"])
        #expect(text.stdout.contains("(--row-input: the input arrives row by row into its 3-row ring in the arena; the output is the caller's buffer)"))
    }

    @Test func theLayerScheduleRefusesRowInput() throws {
        let result = try CLIRunner.run(["generate", "squeezenet1.1", "--input-size", "64", "--schedule", "layer", "--row-input", "-o", "/nonexistent/x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--row-input needs the stream schedule"), "\(result.stderr)")
    }
}

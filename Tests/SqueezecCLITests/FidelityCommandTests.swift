import Foundation
import Testing

/// `squeezec fidelity` (release binary) on the trained digits fixture, and
/// the per-layer compression options on the command line.
@Suite struct FidelityCommandTests {
    static let fixture = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/digits")
    static let model = fixture.appendingPathComponent("squeezenet1_1_digits32.onnx").path
    static let test = fixture.appendingPathComponent("test").path

    static func report(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLIRunner.run(["fidelity", model, "--data", test, "--limit", "60", "--json"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static func rows(_ report: [String: Any]) throws -> [String: [String: Any]] {
        let rows = try #require(report["rows"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["precision"] as? String ?? "?", $0) })
    }

    static func fidelity(_ row: [String: Any]?) throws -> [String: Any] { try #require(row?["fidelity"] as? [String: Any]) }

    @Test func sharingKeepsTheAnswersAndPruningLosesThem() throws {
        let shared = try Self.report(["--codebook", "4", "--precision", "int8", "--calibrate", Self.fixture.appendingPathComponent("calibrate").path])
        #expect(Set(shared.keys) == ["model", "compression", "inputs", "count", "labelled", "rows"])
        #expect(shared["model"] as? String == "squeezenet1_1_digits32" && shared["compression"] as? String == "codebook 4")
        #expect(shared["count"] as? Int == 60 && shared["labelled"] as? Bool == true)
        let sharedRows = try Self.rows(shared)
        #expect(Set(sharedRows.keys) == ["fp32", "int8"])
        for (precision, row) in sharedRows {
            let f = try Self.fidelity(row)
            #expect((f["inputs"] as? [Any])?.count == 60)
            let dense = try #require(row["dense"] as? [String: Any]), compressed = try #require(row["compressed"] as? [String: Any])
            #expect(dense["images"] as? Int == 60 && compressed["images"] as? Int == 60)
            // The mean is at least the minimum, agreements and accuracies are ratios.
            let mean = try #require(f["mean_sqnr_db"] as? Double), min = try #require(f["min_sqnr_db"] as? Double)
            #expect(mean >= min, "\(precision)")
            let top1 = try #require(f["top1_agreement"] as? Double), top5 = try #require(f["top5_agreement"] as? Double)
            #expect(top1 <= top5 && top5 <= 1)
        }
        let pruned = try Self.report(["--prune", "0.9"])
        let prunedRows = try Self.rows(pruned)
        #expect(Set(prunedRows.keys) == ["fp32"])
        let s = try Self.fidelity(sharedRows["fp32"]), p = try Self.fidelity(prunedRows["fp32"])
        let sharedTop1 = try #require(s["top1_agreement"] as? Double), prunedTop1 = try #require(p["top1_agreement"] as? Double)
        // Sharing keeps nearly every answer of the dense model; pruning 90% without retraining changes many.
        #expect(sharedTop1 >= 0.9, "\(sharedTop1)")
        #expect(prunedTop1 < sharedTop1 - 0.3, "\(prunedTop1) vs \(sharedTop1)")
        #expect(try #require(p["mean_sqnr_db"] as? Double) < (s["mean_sqnr_db"] as? Double ?? 0))
        // The same uncompressed model in both runs.
        #expect(NSDictionary(dictionary: try #require(sharedRows["fp32"]?["dense"] as? [String: Any]))
            == NSDictionary(dictionary: try #require(prunedRows["fp32"]?["dense"] as? [String: Any])))
    }

    @Test func textTableAndLayerOverrides() throws {
        let r = try CLIRunner.run(["fidelity", "squeezenet1.1", "--input-size", "32", "--classes", "10", "--inputs", "2",
                                   "--codebook-layer", "conv10=2", "--prune-layer", "fire9/expand3x3=0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stdout)")
        #expect(lines[0] == "squeezenet1.1: compressed (prune-layer fire9/expand3x3=0.5, codebook-layer conv10=2) vs uncompressed, 2 inputs (seeded noise)")
        #expect(lines[1].hasPrefix("  precision  SQNR mean  SQNR min  top-1 agree  top-5 agree"))
        #expect(lines[2].hasPrefix("  fp32 ") && lines[2].contains(" dB"))
    }

    @Test func int8FromOneQuantisationFile() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("q.json").path
        let model = ["squeezenet1.1", "--input-size", "32", "--classes", "10"]
        let calibrated = try CLIRunner.run(["calibrate"] + model + ["-o", file])
        #expect(calibrated.status == 0, "\(calibrated.stderr)")
        let r = try CLIRunner.run(["fidelity"] + model + ["--codebook", "5", "--inputs", "2", "--precision", "int8", "--quantization", file, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["inputs"] as? String == "seeded noise, int8 from q.json")
        let rows = try Self.rows(object)
        #expect(Set(rows.keys) == ["fp32", "int8"] && object["labelled"] as? Bool == false && rows["int8"]?["dense"] == nil)
        let sqnr = try #require(try Self.fidelity(rows["int8"])["min_sqnr_db"] as? Double)
        #expect(sqnr > 0 && sqnr < 99)
    }

    @Test func withoutCompressionItIsAUsageError() throws {
        let r = try CLIRunner.run(["fidelity", "squeezenet1.1", "--input-size", "32", "--classes", "10"])
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains("give --prune, --codebook"))
    }

    @Test(arguments: [["--prune-layer", "fire99/expand3x3=0.5"], ["--codebook-layer", "relu1=4"]])
    func unknownLayersAreOneLineUsageErrors(arguments: [String]) throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--input-size", "32", "--classes", "10"] + arguments)
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(arguments[0]) \(arguments[1].split(separator: "=")[0]): no conv layer"), "\(r.stderr)")
        #expect(r.stderr.contains("conv1, fire2/squeeze1x1"), "\(r.stderr)")
    }

    @Test(arguments: [["--prune-layer", "conv1"], ["--prune-layer", "conv1=2"], ["--codebook-layer", "conv1=9"], ["--codebook-layer", "conv1=x"]])
    func malformedOverridesAreUsageErrors(arguments: [String]) throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--input-size", "32", "--classes", "10"] + arguments)
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains("\(arguments[0]) \(arguments[1]):"), "\(r.stderr)")
    }

    @Test func analyzeRecordsTheOverrides() throws {
        let base = ["analyze", "squeezenet1.1", "--input-size", "32", "--classes", "10", "--codebook", "4", "--codebook-layer", "conv10=none",
                    "--prune-layer", "conv1=0.5"]
        let text = try CLIRunner.run(base)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("post-training compression: codebook 4, prune-layer conv1=0.5, codebook-layer conv10=none"))
        // conv10 left dense, conv1 half zeros.
        let json = try CLIRunner.run(base + ["--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let options = try #require(object["compression"] as? [String: Any])
        #expect(options["codebook"] as? Int == 4 && options["prune"] is NSNull)
        #expect((options["codebook_layers"] as? [String: Any])?["conv10"] is NSNull)
        #expect((options["prune_layers"] as? [String: Double])?["conv1"] == 0.5)
        let layers = try #require((object["weight_compression"] as? [String: Any])?["layers"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: layers.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["conv10.weight"]?["format"] as? String == "dense")
        #expect(byName["conv1.weight"]?["zeros"] as? Int == 1728 / 2)
        #expect(byName["fire2/squeeze1x1.weight"]?["format"] as? String == "codebook4/layer")
    }
}

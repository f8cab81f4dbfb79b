import Foundation
import Testing

@Suite struct AnalyzeCommandTests {
    @Test func textReportHasPublishedTotals() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.0"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("1,248,424"))
        #expect(r.stdout.contains("818.9 M"))
        #expect(r.stdout.contains("fire9"))
    }

    @Test func jsonReport() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["params"] as? Int == 1_235_496)
        #expect((object["layers"] as? [Any])?.count ?? 0 > 30)
    }

    /// With --board: the same regions and numbers the firmware fit check
    /// uses before code, and the arena split as firmware splits it.
    @Test func aBoardShowsEachRegionBeforeCode() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--codebook", "4", "--row-input", "--input-size", "128",
                                   "--board", "netduinoplus2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["board"] as? String == "netduinoplus2")
        let regions = try #require(object["board_regions"] as? [[String: Any]])
        #expect(regions.map { $0["region"] as? String } == ["FLASH", "SRAM"])
        let sram = try #require(regions.last?["parts"] as? [[String: Any]])
        let arena = try #require(sram.first { $0["name"] as? String == "arena" }?["bytes"] as? Int)
        #expect(arena == object["peak_ram_bytes"] as? Int)
        #expect(sram.contains { $0["name"] as? String == "stack" && $0["bytes"] as? Int == 4096 })
        // The text report says the same, and the split board file splits the arena over DTCM and SRAM.
        let text = try CLIRunner.run(["analyze", "squeezenet1.1", "--codebook", "4", "--row-input", "--input-size", "128", "--board", "netduinoplus2"])
        #expect(text.stdout.contains("netduinoplus2 before code (the firmware adds code and static data): FLASH "), "\(text.stdout)")
        #expect(text.stdout.contains("SRAM ") && text.stdout.contains("(arena \(arena) + stack 4096 + harness buffers "))
        let split = try CLIRunner.run(["analyze", "squeezenet1.1", "--board", "docs/boards/mps3-an547-split.json", "--json"])
        #expect(split.status == 0, "\(split.stderr)")
        let splitObject = try #require(try JSONSerialization.jsonObject(with: Data(split.stdout.utf8)) as? [String: Any])
        let names = (splitObject["board_regions"] as? [[String: Any]] ?? []).filter {
            ($0["parts"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "arena" }
        }.map { $0["region"] as? String }
        #expect(names == ["DTCM", "SRAM"], "\(split.stdout)")
    }

    @Test func metaparameterOptions() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.0", "--squeeze-ratio", "0.25", "--pct3x3", "0.75",
                                   "--classes", "10", "--input-size", "128", "--bypass", "complex", "--json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let fires = try #require(object["fire_modules"] as? [[String: Any]])
        #expect(fires.first?["squeeze"] as? Int == 32)
        #expect(fires.first?["expand3x3"] as? Int == 96)
        #expect(object["output"] as? [Int] == [1, 10])
    }

    @Test func unknownModelIsAUsageError() throws {
        let r = try CLIRunner.run(["analyze", "resnet50"])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("unknown model 'resnet50'"))
    }

    @Test func badFlagIsAUsageError() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--no-such-flag"])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        let bypass = try CLIRunner.run(["analyze", "squeezenet1.1", "--bypass", "sideways"])
        #expect(bypass.status == 2)
    }

    @Test func impossibleModelIsAnInputErrorNamingTheLayer() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.0", "--input-size", "20"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("layer '"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpForEverySubcommand() throws {
        for sub in ["analyze", "dump", "run"] {
            let r = try CLIRunner.run([sub, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("USAGE"))
        }
    }
}

/// `analyze` with `--prune` / `--codebook`: the weight compression table.
@Suite struct AnalyzeCompressionTests {
    static func weights(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--input-size", "64", "--classes", "10", "--json"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(object["weight_compression"] as? [String: Any])
    }

    @Test func denseWeightsStayDenseAndSharedOnesShrink() throws {
        let dense = try Self.weights([])
        let denseBytes = try #require(dense["dense_bytes"] as? Int)
        #expect(dense["compressed_bytes"] as? Int == denseBytes)
        #expect((dense["layers"] as? [[String: Any]])?.count == 26)
        // fp32, 16 shared values per layer: 4-bit indices and one 64-byte table per layer.
        let shared = try Self.weights(["--codebook", "4"])
        let layers = try #require(shared["layers"] as? [[String: Any]])
        #expect(layers.allSatisfy { $0["format"] as? String == "codebook4/layer" })
        let weights = layers.reduce(0) { $0 + ($1["weights"] as? Int ?? 0) }
        #expect(shared["compressed_bytes"] as? Int == layers.count * 64 + layers.reduce(0) { $0 + (($1["weights"] as? Int ?? 0) * 4 + 7) / 8 })
        #expect(weights * 4 == denseBytes)
        // Pruned too: a bitmask and 4-bit indices of the kept third.
        let pruned = try Self.weights(["--prune", "0.66", "--codebook", "4"])
        #expect((pruned["layers"] as? [[String: Any]])?.allSatisfy { ($0["format"] as? String)?.hasPrefix("sparse-mask+codebook") == true } == true)
        #expect(try #require(pruned["compressed_bytes"] as? Int) < (shared["compressed_bytes"] as? Int ?? 0))
    }

    @Test func textTableAndInt8() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--input-size", "64", "--classes", "10", "--codebook", "4",
                                   "--precision", "int8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("weights (int8, lossless formats"))
        #expect(r.stdout.contains("codebook4/layer"))
        #expect(r.stdout.contains("other parameters (biases, requantisation, dense)"))
    }

    @Test(arguments: [["--prune", "1"], ["--prune", "-0.5"], ["--codebook", "1"], ["--codebook", "9"]])
    func outOfRangeOptionsAreUsageErrors(arguments: [String]) throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1"] + arguments)
        #expect(r.status == 64 || r.status == 2)
        #expect(r.stderr.contains(arguments[0]))
        #expect(r.stdout.isEmpty)
    }
}

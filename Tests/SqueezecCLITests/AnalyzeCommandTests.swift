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

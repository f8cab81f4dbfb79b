import Foundation
import SqueezeEvaluation
import SqueezeIR
import Testing

@Suite struct AccuracyReportTests {
    static let settings = ["model": "m.onnx", "precision": "int8", "target": "host"]

    /// A one-hot-ish output ranking `order` first (largest) and the rest after.
    static func output(_ order: [Int], classes: Int = 6) -> [Float] {
        var values = [Float](repeating: 0, count: classes)
        for (rank, c) in order.enumerated() { values[c] = Float(10 - rank) }
        return values
    }

    static func report(_ shard: Shard, int8: Bool = true) -> AccuracyReport {
        AccuracyReport(settings: settings, classes: ["a", "b", "c", "d", "e", "f"], datasetSize: 4, shard: shard, int8: int8)
    }

    /// Four inputs: two right at top-1, one at rank 3 (top-5), one at rank 6.
    static let cases: [(label: Int, order: [Int], floatTop1: Int)] = [
        (0, [0, 1], 0), (1, [1], 1), (2, [5, 4, 2], 5), (3, [0, 1, 2, 4, 5, 3], 1),
    ]

    @Test func countsHandComputed() {
        var r = Self.report(.whole)
        for c in Self.cases { r.record(label: c.label, output: Self.output(c.order), floatTop1: c.floatTop1) }
        #expect(r.images == 4)
        #expect(r.top1Correct == 2 && r.top1 == 0.5)
        #expect(r.top5Correct == 3 && r.top5 == 0.75)
        #expect(r.confusion.counts[2][5] == 1 && r.confusion.counts[3][0] == 1)
        // Agreement: int8 top-1 0, 1, 5, 0 against fp32 0, 1, 5, 1.
        #expect(r.agreement == .init(compared: 4, top1Same: 3))
        #expect(r.isComplete)
    }

    @Test func mergedShardsEqualOneRunAndSurviveJSON() throws {
        var whole = Self.report(.whole)
        var shards = (0..<2).map { Self.report(Shard(index: $0, count: 2)) }
        for (i, c) in Self.cases.enumerated() {
            whole.record(label: c.label, output: Self.output(c.order), floatTop1: c.floatTop1)
            shards[i % 2].record(label: c.label, output: Self.output(c.order), floatTop1: c.floatTop1)
        }
        // Through JSON, as `--merge` reads them.
        let decoded = try shards.map { try JSONDecoder().decode(AccuracyReport.self, from: JSONEncoder().encode($0)) }
        #expect(decoded == shards)
        let merged = try AccuracyReport.merged(decoded.reversed())
        #expect(merged.shards == [0, 1] && merged.isComplete && !shards[0].isComplete)
        #expect(merged.confusion == whole.confusion)
        #expect(merged.top1Correct == whole.top1Correct && merged.top5Correct == whole.top5Correct)
        #expect(merged.agreement == whole.agreement)
    }

    @Test func refusesDifferentSettingsOrSetsAndOverlappingShards() {
        let a = Self.report(Shard(index: 0, count: 2))
        var other = Self.report(Shard(index: 1, count: 2))
        other.settings["precision"] = "fp32"
        #expect(throws: Diagnostic.self) { try AccuracyReport.merged([a, other]) }
        do {
            _ = try AccuracyReport.merged([a, other], names: ["a.json", "b.json"])
        } catch {
            #expect(error.message.contains("precision") && error.message.contains("b.json"))
        }
        #expect(throws: Diagnostic.self) { try AccuracyReport.merged([a, a]) }
        #expect(throws: Diagnostic.self) { try AccuracyReport.merged([a, Self.report(Shard(index: 1, count: 3))]) }
        var bigger = Self.report(Shard(index: 1, count: 2))
        bigger.datasetSize = 5
        #expect(throws: Diagnostic.self) { try AccuracyReport.merged([a, bigger]) }
        #expect(throws: Diagnostic.self) { try AccuracyReport.merged([]) }
        #expect(throws: Never.self) { try AccuracyReport.merged([a, Self.report(Shard(index: 1, count: 2))]) }
    }

    @Test func jsonHoldsCountsAndDerivedRatios() throws {
        var r = Self.report(.whole, int8: false)
        r.record(label: 1, output: Self.output([1]))
        let json = try #require(String(data: JSONEncoder().encode(r), encoding: .utf8))
        for key in ["\"top1_correct\":1", "\"confusion\"", "\"shard_count\":1", "\"per_class\"", "\"dataset_size\":4"] {
            #expect(json.contains(key), "\(key)")
        }
        #expect(!json.contains("agreement"))
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(AccuracyReport.self, from: Data(json.replacingOccurrences(of: "\"shard_count\":1", with: "\"shard_count\":0").utf8))
        }
    }
}

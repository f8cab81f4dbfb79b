import Foundation
import SqueezeEvaluation
import Testing

/// The fidelity report's numbers from given outputs: SQNR, agreement, accuracy of both models, text and JSON.
@Suite struct CompressionFidelityReportTests {
    // Three inputs, four classes. Dense: classes 0, 1, 2 on top; compressed: 0, 1 kept, the third moved to class 3.
    static let dense: [[Float]] = [[4, 1, 0, 0], [0, 4, 1, 0], [0, 1, 4, 0]]
    static let compressed: [[Float]] = [[4, 1, 0, 0], [0, 3, 1, 0], [0, 1, 3, 3.5]]
    static let labels = [0, 2, 2]

    static func row(labels: [Int]?) -> CompressionFidelityReport.Row {
        .init(precision: "fp32", names: ["a", "b", "c"], dense: dense, compressed: compressed, labels: labels, classes: ["w", "x", "y", "z"])
    }

    @Test func fidelityIsCompressedAgainstDense() throws {
        let row = Self.row(labels: nil)
        let f = row.fidelity
        #expect(f.inputs.map(\.referenceTop1) == [0, 1, 2])
        #expect(f.inputs.map { $0.top5.first } == [0, 1, 3])
        #expect(abs(f.top1Agreement - 2.0 / 3) < 1e-12 && f.top5Agreement == 1)
        #expect(f.inputs[0].sqnrDB == 99)
        // b: signal 17, noise 1.
        #expect(abs(f.inputs[1].sqnrDB - 10 * log10(17.0)) < 1e-9)
        #expect(f.minSQNR == f.inputs[2].sqnrDB && f.minSQNR < f.inputs[1].sqnrDB)
        #expect(row.dense == nil && row.compressed == nil)
    }

    @Test func accuracyOfBothModelsOnLabelledInputs() throws {
        let row = Self.row(labels: Self.labels)
        let dense = try #require(row.dense), compressed = try #require(row.compressed)
        // Dense: a and c right (b says 1, label 2); compressed: only a right.
        #expect(dense.images == 3 && dense.top1Correct == 2 && compressed.top1Correct == 1)
        #expect(abs(dense.top1 - 2.0 / 3) < 1e-12 && abs(compressed.top1 - 1.0 / 3) < 1e-12)
        #expect(dense.top5Correct == 3 && compressed.top5Correct == 3)
    }

    @Test func textAndJSON() throws {
        let report = CompressionFidelityReport(model: "m", compression: "codebook 4", inputs: "labelled, data",
                                               rows: [Self.row(labels: Self.labels), Self.row(labels: Self.labels)])
        #expect(report.count == 3 && report.labelled)
        let lines = report.text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "m: compressed (codebook 4) vs uncompressed, 3 inputs (labelled, data)")
        #expect(lines[1].hasPrefix("  precision  SQNR mean  SQNR min  top-1 agree  top-5 agree  top-1 dense  top-1 compressed"))
        #expect(lines[2].contains("66.67%") && lines[2].contains("33.33%") && lines[2].contains("100.00%"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(report)) as? [String: Any])
        #expect(Set(object.keys) == ["model", "compression", "inputs", "count", "labelled", "rows"])
        let row = try #require((object["rows"] as? [[String: Any]])?.first)
        #expect(Set(row.keys) == ["precision", "fidelity", "dense", "compressed"])
        let dense = try #require(row["dense"] as? [String: Any])
        #expect(Set(dense.keys) == ["images", "top1", "top5", "top1_correct", "top5_correct"])
        #expect(try JSONDecoder().decode(CompressionFidelityReport.self, from: try encoder.encode(report)) == report)
        // Unlabelled: no accuracy columns or keys.
        let plain = CompressionFidelityReport(model: "m", compression: "prune 0.5", inputs: "seeded noise", rows: [Self.row(labels: nil)])
        #expect(!plain.labelled && !plain.text.contains("top-1 dense"))
        #expect(!String(decoding: try encoder.encode(plain), as: UTF8.self).contains("\"dense\""))
    }
}

import Foundation

/// `squeezec fidelity`: a compressed model (`--prune`, `--codebook` and
/// their per-layer overrides) against the uncompressed same model on the
/// same inputs, one row per precision. Each row is the `Fidelity` of the
/// compressed outputs against the dense ones (SQNR of the logits, top-1 and
/// top-5 agreement) and, on labelled inputs, the accuracy of both, counted
/// as `AccuracyReport` counts them. int8 rows compare two int8 models, each
/// calibrated the same way (or from the same quantisation file).
///
/// JSON keys (stable): `model`, `compression`, `inputs` (what was run),
/// `count`, `labelled`, `rows` [{`precision`, `fidelity` {`mean_sqnr_db`,
/// `min_sqnr_db`, `top1_agreement`, `top5_agreement`, `inputs`},
/// `dense`/`compressed` {`top1`, `top5`, `top1_correct`, `top5_correct`,
/// `images`} (labelled only)}].
public struct CompressionFidelityReport: Sendable, Codable, Equatable {
    /// Accuracy of one model on the labelled inputs.
    public struct Accuracy: Sendable, Codable, Equatable {
        public var images: Int
        public var top1Correct: Int
        public var top5Correct: Int
        public var top1: Double
        public var top5: Double

        public init(_ report: AccuracyReport) {
            images = report.images
            top1Correct = report.top1Correct
            top5Correct = report.top5Correct
            top1 = report.top1
            top5 = report.top5
        }

        enum CodingKeys: String, CodingKey {
            case images, top1, top5
            case top1Correct = "top1_correct"
            case top5Correct = "top5_correct"
        }
    }

    public struct Row: Sendable, Codable, Equatable {
        /// `fp32` or `int8`.
        public var precision: String
        /// Compressed (compared) against dense (reference).
        public var fidelity: Fidelity
        public var dense: Accuracy?
        public var compressed: Accuracy?

        /// One precision's outputs: `dense[i]` and `compressed[i]` for input
        /// `names[i]`, real values (int8 dequantised); `labels[i]` its class
        /// when the inputs are labelled.
        public init(precision: String, names: [String], dense: [[Float]], compressed: [[Float]], labels: [Int]?, classes: [String]) {
            self.precision = precision
            fidelity = Fidelity(names: names, reference: dense, compared: compressed)
            guard let labels else { return }
            precondition(labels.count == names.count, "one label per input")
            func accuracy(_ outputs: [[Float]]) -> Accuracy {
                var report = AccuracyReport(settings: [:], classes: classes, datasetSize: labels.count, shard: .whole, int8: false)
                for (label, output) in zip(labels, outputs) { report.record(label: label, output: output) }
                return Accuracy(report)
            }
            self.dense = accuracy(dense)
            self.compressed = accuracy(compressed)
        }
    }

    /// The model's display name.
    public var model: String
    /// `CompressionOptions.summary` of the compressed model.
    public var compression: String
    /// Where the inputs came from (a folder, or seeded noise).
    public var inputs: String
    public var count: Int
    public var labelled: Bool
    public var rows: [Row]

    public init(model: String, compression: String, inputs: String, rows: [Row]) {
        self.model = model
        self.compression = compression
        self.inputs = inputs
        self.rows = rows
        count = rows.first?.fidelity.inputs.count ?? 0
        labelled = rows.first?.dense != nil
    }

    /// The short table `fidelity` prints.
    public var text: String {
        var lines = ["\(model): compressed (\(compression)) vs uncompressed, \(count) inputs (\(inputs))"]
        var header = ["precision", "SQNR mean", "SQNR min", "top-1 agree", "top-5 agree"]
        if labelled { header += ["top-1 dense", "top-1 compressed", "top-5 dense", "top-5 compressed"] }
        var table = [header]
        for row in rows {
            let f = row.fidelity
            var cells = [row.precision, String(format: "%.1f dB", f.meanSQNR), String(format: "%.1f dB", f.minSQNR),
                         Self.percent(f.top1Agreement), Self.percent(f.top5Agreement)]
            if let d = row.dense, let c = row.compressed {
                cells += [Self.percent(d.top1), Self.percent(c.top1), Self.percent(d.top5), Self.percent(c.top5)]
            }
            table.append(cells)
        }
        let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        for cells in table {
            let line = cells.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
            lines.append("  " + line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func percent(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
}

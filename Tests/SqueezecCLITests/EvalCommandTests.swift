import Foundation
import SqueezeTensorIO
import Testing

/// `squeezec eval` (release binary) on the trained digits fixture: as .npy
/// inputs made from its test PNGs here (the tensor path), and as the PNGs
/// themselves with the model's own preprocessing.
@Suite(.serialized) struct EvalCommandTests {
    static let fixture = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/digits")
    static let model = fixture.appendingPathComponent("squeezenet1_1_digits32.onnx").path

    /// The first `perClass` test images of every digit, preprocessed as the
    /// training script does (grey on three channels, v / 255, mean 0.3055, std 0.3239), NCHW .npy.
    static func digits(perClass: Int) throws -> URL {
        let root = try CLIRunner.temporaryDirectory().appendingPathComponent("digits")
        let test = fixture.appendingPathComponent("test")
        for digit in try FileManager.default.contentsOfDirectory(atPath: test.path).sorted() {
            let out = root.appendingPathComponent(digit)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: test.appendingPathComponent(digit).path).sorted().prefix(perClass) {
                let image = try PNGFormat.read(path: test.appendingPathComponent(digit).appendingPathComponent(file).path)
                let area = image.width * image.height
                var nchw = [Float](repeating: 0, count: 3 * area)
                for c in 0..<3 {
                    for p in 0..<area { nchw[c * area + p] = (Float(image.pixels[p * 3 + c]) / 255 - 0.3055) / 0.3239 }
                }
                try NpyFormat.write(NpyArray(shape: [1, 3, image.height, image.width], floats: nchw),
                                    to: out.appendingPathComponent((file as NSString).deletingPathExtension + ".npy").path)
            }
        }
        return root
    }

    /// onnxruntime's top-1 per "digit/file.npy" (predictions.tsv).
    static func onnxruntime() throws -> [String: String] {
        let text = try String(contentsOf: fixture.appendingPathComponent("predictions.tsv"), encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t").map(String.init)
            result[f[0].replacingOccurrences(of: "test/", with: "").replacingOccurrences(of: ".png", with: ".npy")] = f[2]
        }
        return result
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The counts of a report (what must be equal between a merge and one run).
    static func counts(_ o: [String: Any]) -> String {
        "\(o["images"] ?? "") \(o["top1_correct"] ?? "") \(o["top5_correct"] ?? "") \(o["confusion"] ?? "") \(o["dataset_size"] ?? "")"
    }

    @Test func referenceReportAndPredictionsMatchOnnxruntime() throws {
        let data = try Self.digits(perClass: 4)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let tsv = data.deletingLastPathComponent().appendingPathComponent("p.tsv").path
        let r = try CLIRunner.run(["eval", Self.model, "--data", data.path, "--predictions", tsv, "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("squeezenet1_1_digits32 (fp32) on reference: 40 of 40 images, 10 classes"), "\(r.stdout)")
        #expect(r.stdout.contains("top-1 ") && r.stdout.contains("per class:"))
        #expect(r.stderr.contains("[eval] 40/40 images, top-1"))
        let expected = try Self.onnxruntime()
        let rows = try String(contentsOfFile: tsv, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count == 40)
        for row in rows { #expect(row[2] == expected[row[0]], "\(row[0])") }
        let correct = rows.filter { $0[1] == $0[2] }.count
        #expect(r.stdout.contains("(\(correct)/40)"))
    }

    @Test func shardsMergeToTheSameCountsAsOneRunAndHostCountsTheSame() throws {
        let data = try Self.digits(perClass: 3)
        let dir = data.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = try CLIRunner.run(["eval", Self.model, "--data", data.path, "--json"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stderr.isEmpty, "--json is quiet: \(whole.stderr)")
        var paths: [String] = []
        for k in 0..<3 {
            let r = try CLIRunner.run(["eval", Self.model, "--data", data.path, "--json", "--shard", "\(k)/3"])
            #expect(r.status == 0, "\(r.stderr)")
            let path = dir.appendingPathComponent("shard\(k).json").path
            try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            #expect(try Self.json(r.stdout)["images"] as? Int == 10)
        }
        let merged = try CLIRunner.run(["eval", "--merge"] + paths.reversed() + ["--json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let m = try Self.json(merged.stdout)
        let w = try Self.json(whole.stdout)
        #expect(Self.counts(m) == Self.counts(w))
        #expect(m["complete"] as? Bool == true && m["shards"] as? [Int] == [0, 1, 2])
        let text = try CLIRunner.run(["eval", "--merge", paths[0], paths[1]])
        #expect(text.status == 0 && text.stdout.contains("squeezenet1_1_digits32 (fp32) on reference: 20 of 30 images, shards 0,1 of 3"),
                "\(text.stdout)")

        // The host C (one build, two worker processes) counts exactly what the reference counts.
        let host = try CLIRunner.run(["eval", Self.model, "--data", data.path, "--target", "host", "--jobs", "2", "--json"])
        #expect(host.status == 0, "\(host.stderr)")
        #expect(Self.counts(try Self.json(host.stdout)) == Self.counts(w))

        // Overlapping shards and different settings are refused.
        let twice = try CLIRunner.run(["eval", "--merge", paths[0], paths[0]])
        #expect(twice.status == 1 && twice.stderr.contains("shard 0/3 is in both"), "\(twice.stderr)")
        let other = dir.appendingPathComponent("host.json").path
        try Data(host.stdout.utf8).write(to: URL(fileURLWithPath: other))
        let mixed = try CLIRunner.run(["eval", "--merge", paths[1], other])
        #expect(mixed.status == 1 && mixed.stderr.contains("target") && mixed.stderr.contains("host.json"), "\(mixed.stderr)")
        #expect(try CLIRunner.run(["eval", "--merge", Self.model]).status == 1)
    }

    @Test func boardRunsBatchesUnderQEMU() throws {
        let data = try Self.digits(perClass: 1)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let tsv = data.deletingLastPathComponent().appendingPathComponent("p.tsv").path
        let r = try CLIRunner.run(["eval", Self.model, "--data", data.path, "--target", "mps2-an386", "--limit", "6", "--batch", "3",
                                   "--predictions", tsv])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("on mps2-an386: 6 of 6 images"), "\(r.stdout)")
        #expect(r.stderr.contains("[eval] 3/6 images") && r.stderr.contains("[eval] 6/6 images"))
        let expected = try Self.onnxruntime()
        let rows = try String(contentsOfFile: tsv, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        // --limit 6 of the interleaved set: the first image of classes 0 to 5.
        #expect(rows.map { $0[0].split(separator: "/")[0] } == ["0", "1", "2", "3", "4", "5"])
        #expect(rows.map { $0[1] } == ["0", "1", "2", "3", "4", "5"])
        for row in rows { #expect(row[2] == expected[row[0]], "\(row[0])") }
    }

    /// The committed PNG test split as it is, read with the preprocessing the
    /// ONNX metadata declares: every fp32 prediction is onnxruntime's, on the
    /// reference and under QEMU; int8 calibrated on the training images
    /// (the calibrate folder, one sub-folder per class) stays within one
    /// point of fp32 top-1.
    @Test func pngTestSplitWithTheModelsPreprocessing() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let test = Self.fixture.appendingPathComponent("test").path
        let expected = try Self.onnxruntime()
        func predictions(_ arguments: [String], _ name: String) throws -> (report: [String: Any], rows: [[String]]) {
            let tsv = dir.appendingPathComponent(name).path
            let r = try CLIRunner.run(["eval", Self.model, "--data", test, "--json", "--predictions", tsv] + arguments)
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try String(contentsOfFile: tsv, encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: "\t").map(String.init) }
            return (try Self.json(r.stdout), rows)
        }
        let fp32 = try predictions([], "fp32.tsv")
        #expect(fp32.rows.count == 360)
        for row in fp32.rows { #expect(row[2] == expected[row[0].replacingOccurrences(of: ".png", with: ".npy")], "\(row[0])") }
        let board = try predictions(["--target", "mps2-an386", "--limit", "20"], "board.tsv")
        #expect(board.rows.count == 20)
        for row in board.rows { #expect(row[2] == expected[row[0].replacingOccurrences(of: ".png", with: ".npy")], "\(row[0])") }

        let int8 = try predictions(["--precision", "int8", "--calibrate", Self.fixture.appendingPathComponent("calibrate").path,
                                    "--calibration", "mse"], "int8.tsv")
        let top1 = try #require(fp32.report["top1"] as? Double), top1Int8 = try #require(int8.report["top1"] as? Double)
        #expect(abs(top1 - top1Int8) <= 0.01, "fp32 \(top1), int8 \(top1Int8)")
        let agreement = try #require(int8.report["agreement"] as? [String: Any])
        #expect(agreement["compared"] as? Int == 360)
        // Measured: 359 of 360 (mse).
        #expect((agreement["top1_same"] as? Int ?? 0) >= 354)
        #expect(int8.rows.allSatisfy { $0.count == 4 }, "int8 predictions carry the fp32 class")
    }

    @Test func badDataIsAOneLineError() throws {
        let data = try Self.digits(perClass: 1)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        try Data("x".utf8).write(to: data.appendingPathComponent("7").appendingPathComponent("readme.txt"))
        let r = try CLIRunner.run(["eval", Self.model, "--data", data.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("7/readme.txt") && r.stderr.contains("unknown file type"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        try FileManager.default.removeItem(at: data.appendingPathComponent("7").appendingPathComponent("readme.txt"))
        try FileManager.default.removeItem(at: data.appendingPathComponent("9"))
        let classes = try CLIRunner.run(["eval", Self.model, "--data", data.path])
        #expect(classes.status == 1 && classes.stderr.contains("9 classes (folders) but the model has 10 outputs"), "\(classes.stderr)")
        #expect(try CLIRunner.run(["eval", Self.model, "--data", data.path, "--shard", "3/3"]).status == 2)
        #expect(try CLIRunner.run(["eval", Self.model, "--data", data.path, "--jobs", "0"]).status == 2)
        #expect(try CLIRunner.run(["eval", Self.model, "--data", data.path, "--target", "nowhere"]).status == 2)
    }
}

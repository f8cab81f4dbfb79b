import Foundation
import SqueezeIR
import SqueezeReference
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

/// The trained fixtures of Tests/Fixtures/digits (scripts/train_digits.py, not
/// run in CI): SqueezeNet v1.1 trained on scikit-learn's digits at 32x32,
/// plain and with the simple bypass (and the plain one Deep-Compressed with
/// retraining, scripts/train_digits_dc.py), their 360 held-out test images as PNGs,
/// and onnxruntime's top-1 for every image (predictions.tsv). squeezec's
/// import, PNG decoder and fp32 reference must predict what onnxruntime
/// predicts, image for image, and so reach the trained accuracy.
@Suite struct DigitsFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/digits")

    struct Log: Decodable {
        var mean: Float
        var std: Float
        var test: Int
    }

    static func log() throws -> Log {
        try JSONDecoder().decode(Log.self, from: Data(contentsOf: directory.appendingPathComponent("train_log.json")))
    }

    /// (path, label, onnxruntime top-1 per model column), and the model names.
    static func predictions() throws -> (models: [String], rows: [(path: String, label: Int, top1: [Int])]) {
        let text = try String(contentsOf: directory.appendingPathComponent("predictions.tsv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let header = lines.removeFirst()
        let rows = try lines.map { fields in
            (path: fields[0], label: try #require(Int(fields[1])), top1: try fields.dropFirst(2).map { try #require(Int($0)) })
        }
        return (Array(header.dropFirst(2)), rows)
    }

    /// The model's input as train_digits.py makes it: grey (three equal
    /// channels) v / 255, normalised with the training set's mean and std; NHWC.
    static func input(_ path: String, mean: Float, std: Float) throws -> [Float] {
        let image = try PNGFormat.read(path: directory.appendingPathComponent(path).path)
        #expect(image.width == 32 && image.height == 32)
        return image.pixels.map { (Float($0) / 255 - mean) / std }
    }

    @Test(arguments: ["squeezenet1_1_digits32", "squeezenet1_1_digits32_bypass", "squeezenet1_1_digits32_dc"])
    func referencePredictsWhatOnnxruntimePredicts(model: String) throws {
        let log = try Self.log()
        let (models, rows) = try Self.predictions()
        let column = try #require(models.firstIndex(of: model))
        #expect(rows.count == log.test && rows.count == 360)
        let graph = try ONNXImporter.load(path: Self.directory.appendingPathComponent(model + ".onnx").path)
        #expect(graph.inputs[0].type.shape == .nhwc(1, 32, 32, 3))
        let interpreter = try ReferenceInterpreter(graph: graph)
        let preprocessing = try #require(graph.preprocessing)
        var correct = 0
        var disagreements: [String] = []
        for (index, row) in rows.enumerated() {
            // The model's own preprocessing (its metadata), as `run` and `eval` apply it.
            let path = Self.directory.appendingPathComponent(row.path).path
            let input = try #require(try ImageInput.loadTensor(path: path, size: 32, channels: 3, preprocessing: preprocessing).floats)
            if index % 40 == 0 {
                // ... is the training script's, by hand.
                let byHand = try Self.input(row.path, mean: log.mean, std: log.std)
                #expect(zip(input, byHand).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(row.path)")
            }
            let output = try interpreter.run(input)
            #expect(output.count == 10)
            let top1 = output.indices.max { output[$0] < output[$1] } ?? -1
            if top1 != row.top1[column] { disagreements.append("\(row.path): \(top1) vs \(row.top1[column])") }
            if top1 == row.label { correct += 1 }
        }
        #expect(disagreements.isEmpty, "squeezec and onnxruntime disagree: \(disagreements.prefix(5))")
        // The fixture is a trained classifier (the issue asks for at least 95%).
        #expect(Double(correct) / Double(rows.count) >= 0.95, "top-1 \(correct) of \(rows.count)")
    }

    @Test func testSplitIsOneFolderPerClass() throws {
        let test = Self.directory.appendingPathComponent("test")
        let classes = try FileManager.default.contentsOfDirectory(atPath: test.path).sorted()
        #expect(classes == (0...9).map(String.init))
        for name in classes {
            let files = try FileManager.default.contentsOfDirectory(atPath: test.appendingPathComponent(name).path)
            #expect(files.count >= 30 && files.allSatisfy { $0.hasSuffix(".png") }, "class \(name)")
        }
    }
}

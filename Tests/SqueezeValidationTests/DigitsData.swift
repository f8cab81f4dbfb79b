import Foundation
import SqueezeTensorIO

/// The digits fixture's test images as an ImageFolder of `.npy` inputs,
/// preprocessed as scripts/train_digits.py does (grey on three channels,
/// v / 255, then the training set's mean and std), with onnxruntime's top-1
/// per image from predictions.tsv.
enum DigitsData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/digits")
    static let model = directory.appendingPathComponent("squeezenet1_1_digits32.onnx").path
    static let mean: Float = 0.3055
    static let std: Float = 0.3239

    /// onnxruntime's top-1 of squeezenet1_1_digits32, by "class/file" (extension .npy).
    static func onnxruntimeTop1() throws -> [String: Int] {
        let text = try String(contentsOf: directory.appendingPathComponent("predictions.tsv"), encoding: .utf8)
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            let name = fields[0].replacingOccurrences(of: "test/", with: "").replacingOccurrences(of: ".png", with: ".npy")
            result[name] = Int(fields[2])
        }
        return result
    }

    /// The first `perClass` test images of every class as .npy files in a new folder.
    static func write(perClass: Int) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-digits-\(UUID().uuidString)")
        let test = directory.appendingPathComponent("test")
        for digit in try FileManager.default.contentsOfDirectory(atPath: test.path).sorted() {
            let out = root.appendingPathComponent(digit)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let files = try FileManager.default.contentsOfDirectory(atPath: test.appendingPathComponent(digit).path).sorted().prefix(perClass)
            for file in files {
                let image = try PNGFormat.read(path: test.appendingPathComponent(digit).appendingPathComponent(file).path)
                // RGB interleaved (grey copied to the three channels) -> NCHW.
                var nchw = [Float](repeating: 0, count: 3 * image.width * image.height)
                for c in 0..<3 {
                    for p in 0..<(image.width * image.height) {
                        nchw[c * image.width * image.height + p] = (Float(image.pixels[p * 3 + c]) / 255 - mean) / std
                    }
                }
                let name = (file as NSString).deletingPathExtension + ".npy"
                try NpyFormat.write(NpyArray(shape: [1, 3, image.height, image.width], floats: nchw), to: out.appendingPathComponent(name).path)
            }
        }
        return root
    }
}

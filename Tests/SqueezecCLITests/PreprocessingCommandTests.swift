import Foundation
import Testing

/// `--mean/--std/--scale/--channels/--resize` and the models' own
/// preprocessing (ONNX metadata) through `run`, `validate`, calibration,
/// `analyze` and `generate` (docs/preprocessing.md).
@Suite struct PreprocessingCommandTests {
    static let digits = "Tests/Fixtures/digits/"
    static let plain = digits + "squeezenet1_1_digits32.onnx"
    static let bypass = digits + "squeezenet1_1_digits32_bypass.onnx"
    /// The metadata of the digits fixtures, spelled as options.
    static let digitsOptions = ["--mean", "0.3055,0.3055,0.3055", "--std", "0.3239,0.3239,0.3239", "--scale", "1/255",
                                "--channels", "grey", "--resize", "none"]

    /// predictions.tsv: path -> onnxruntime top-1 of (plain, bypass).
    static func predictions() throws -> [String: (label: Int, plain: Int, bypass: Int)] {
        let text = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(digits + "predictions.tsv"), encoding: .utf8)
        var result: [String: (label: Int, plain: Int, bypass: Int)] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t").map(String.init)
            result[f[0]] = (try #require(Int(f[1])), try #require(Int(f[2])), try #require(Int(f[3])))
        }
        return result
    }

    /// The class `run` ranks first.
    static func top1(_ r: CLIRunner.Result) -> Int? {
        guard let line = r.stdout.split(separator: "\n").first(where: { $0.hasPrefix(" 1. class") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[2])
    }

    /// `run` on the trained fixtures gives onnxruntime's class for each
    /// image: the fp32 reference with the model's own preprocessing. The
    /// images include ones the plain model gets wrong (3/0578 as 8, 6/0402
    /// as 5) and the bypass model right.
    @Test(arguments: ["test/3/0062.png", "test/3/0153.png", "test/3/0578.png", "test/6/0402.png", "test/0/0020.png",
                      "test/9/" ])
    func runGivesOnnxruntimesClass(path: String) throws {
        let table = try Self.predictions()
        // "test/9/": its first image in predictions.tsv.
        let image = path.hasSuffix("/") ? try #require(table.keys.filter { $0.hasPrefix(path) }.sorted().first) : path
        let expected = try #require(table[image])
        for (model, top1) in [(Self.plain, expected.plain), (Self.bypass, expected.bypass)] {
            let r = try CLIRunner.run(["run", model, "--input", Self.digits + image, "--top", "1"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.top1(r) == top1, "\(model) \(image): \(r.stdout)")
        }
    }

    @Test func optionsOverrideTheMetadata() throws {
        let image = Self.digits + "test/3/0062.png"
        let metadata = try CLIRunner.run(["run", Self.plain, "--input", image])
        let spelled = try CLIRunner.run(["run", Self.plain, "--input", image] + Self.digitsOptions)
        #expect(metadata.status == 0 && spelled.status == 0)
        // The same numbers as options give the same logits (timing aside).
        func ranking(_ r: CLIRunner.Result) -> [Substring] { Array(r.stdout.split(separator: "\n").dropFirst()) }
        #expect(ranking(metadata) == ranking(spelled))
        // Another mean changes them.
        let shifted = try CLIRunner.run(["run", Self.plain, "--input", image, "--mean", "0.5,0.5,0.5"])
        #expect(shifted.status == 0 && ranking(shifted) != ranking(metadata))
        // analyze shows what is in effect.
        let analyze = try CLIRunner.run(["analyze", Self.plain, "--mean", "0.5,0.5,0.5", "--resize", "crop"])
        #expect(analyze.stdout.contains("mean = 0.5,0.5,0.5, std = 0.3239,0.3239,0.3239"))
        #expect(analyze.stdout.contains("resize crop: shorter side resized to 37 pixels (bilinear), centre 32x32 cropped"))
    }

    @Test func badOptionValuesAreUsageErrorsNamingTheOption() throws {
        let cases: [([String], String)] = [
            (["--mean", "1,2"], "--mean has 2 values; the model has 3 input channels"),
            (["--std", "0.2,0,0.2"], "--std '0.2,0,0.2': a standard deviation of 0 divides by zero"),
            (["--std", "1,inf,1"], "--std '1,inf,1' is not a comma-separated list of numbers"),
            (["--scale", "0"], "--scale '0' is not a positive number or fraction"),
            (["--channels", "rgba"], "--channels 'rgba' is not rgb, bgr or grey"),
            (["--resize", "stretch"], "--resize 'stretch' is not crop or none"),
        ]
        for (options, message) in cases {
            let r = try CLIRunner.run(["run", "squeezenet1.1", "--input-size", "32", "--classes", "10"] + options)
            #expect(r.status == 2, "\(options)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(message), "\(options): \(r.stderr)")
        }
    }

    @Test func resizeNoneNeedsTheModelsSizeAndNamesTheFile() throws {
        let image = Self.digits + "test/3/0062.png"
        let r = try CLIRunner.run(["run", "squeezenet1.1", "--input-size", "64", "--classes", "10", "--input", image, "--resize", "none"])
        #expect(r.status == 1)
        #expect(r.stderr == "squeezec: error: \(image): image is 32x32 pixels; with resize none the model needs exactly 64x64 (or use resize crop)\n")
        // Crop (the built-in models' default) resizes it.
        let crop = try CLIRunner.run(["run", "squeezenet1.1", "--input-size", "64", "--classes", "10", "--input", image])
        #expect(crop.status == 0, "\(crop.stderr)")
    }

    /// Calibration images go through the same preprocessing: with resize
    /// none a folder of 32x32 images cannot calibrate a 64x64 model; the
    /// input range calibrated is that of the preprocessed images.
    @Test func calibrationImagesAreReadWithThePreprocessing() throws {
        let folder = Self.digits + "calibrate/3"
        let model = ["squeezenet1.1", "--input-size", "64", "--classes", "10", "--precision", "int8", "--calibrate", folder]
        let wrong = try CLIRunner.run(["run"] + model + ["--resize", "none"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains(folder + "/") && wrong.stderr.contains("with resize none the model needs exactly 64x64"), "\(wrong.stderr)")
        /// The calibrated range of the input and the preprocessing analyze reports.
        func calibrated(_ options: [String]) throws -> (min: Double, max: Double, preprocessing: [String: Any]) {
            let r = try CLIRunner.run(["analyze"] + model + options + ["--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let rows = try #require(object["quantization"] as? [[String: Any]])
            let input = try #require(rows.first { $0["value"] as? String == "data" })
            return (try #require(input["min"] as? Double), try #require(input["max"] as? Double),
                    try #require(object["preprocessing"] as? [String: Any]))
        }
        // Grey, v / 255, mean 0, std 1: the digits' grey levels in [0, 1].
        let grey = try calibrated(["--channels", "grey"])
        #expect(grey.min >= 0 && grey.max <= 1 && grey.max > 0.9)
        #expect(grey.preprocessing["channels"] as? String == "grey" && grey.preprocessing["mean"] as? [Double] == [0, 0, 0])
        #expect(grey.preprocessing["scale_text"] as? String == "1/255")
        // ImageNet's normalisation: black is (0 - 0.485) / 0.229 = -2.118 in red.
        let imageNet = try calibrated([])
        #expect(abs(imageNet.min - -2.1179) < 0.01 && imageNet.max > 2)
    }

    @Test func analyzeShowsTheImageNetDefault() throws {
        let r = try CLIRunner.run(["analyze", "squeezenet1.1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let preprocessing = try #require(object["preprocessing"] as? [String: Any])
        #expect(preprocessing["mean"] as? [Double] == [0.485, 0.456, 0.406])
        #expect(preprocessing["std"] as? [Double] == [0.229, 0.224, 0.225])
        #expect(preprocessing["channels"] as? String == "rgb" && preprocessing["resize"] as? String == "crop")
        let text = try CLIRunner.run(["analyze", "squeezenet1.1", "--channels", "bgr"])
        #expect(text.stdout.contains("channels bgr: channel 0 blue, 1 green, 2 red"))
        #expect(text.stdout.contains("mean = 0.406,0.456,0.485, std = 0.225,0.224,0.229"))
    }

    @Test func generatedHeaderDocumentsTheInput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLIRunner.run(["generate", Self.plain, "--output", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let header = try String(contentsOf: dir.appendingPathComponent("model.h"), encoding: .utf8)
        #expect(header.contains("""
         * Input 32x32x3, NHWC (row by row, channels interleaved), from an image:
         *   resize none: the image must be exactly 32x32 pixels
         *   channels grey: every channel the luma 0.299 R + 0.587 G + 0.114 B (a grey image: its value)
         *   x[c] = (v[c] * 1/255 - mean[c]) / std[c], v = pixel value 0..255
         *   mean = 0.3055,0.3055,0.3055, std = 0.3239,0.3239,0.3239
        """))
    }

    @Test func validateReadsImagesWithThePreprocessing() throws {
        let image = Self.digits + "test/3/0578.png"
        let r = try CLIRunner.run(["validate", Self.plain, "--input", image])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(image): max abs error 0, range 8.571, relative 0, top-1 8 (reference 8)"))
    }
}

import Foundation
import SqueezeIR
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

/// `metadata_props`: kept on the graph, and the `squeezec.*` preprocessing
/// keys parsed by the importer (docs/preprocessing.md).
@Suite struct ONNXMetadataTests {
    static func model(_ metadata: [(key: String, value: String)]) -> [UInt8] {
        var b = ONNXImporterTests.tinyModel()
        b.metadata = metadata
        return b.encode()
    }

    @Test func withoutKeysThereIsNoDeclaredPreprocessing() throws {
        let graph = try ONNXImporter.load(bytes: Self.model([("author", "me")]), file: "m.onnx")
        #expect(graph.preprocessing == nil)
        #expect(graph.metadata == ["author": "me"])
    }

    @Test func keysGiveThePreprocessingOverTheStandardOne() throws {
        let graph = try ONNXImporter.load(bytes: Self.model([("squeezec.channels", "bgr"), ("squeezec.resize", "none")]), file: "m.onnx")
        // bgr without mean/std: ImageNet's numbers in BGR order.
        #expect(graph.preprocessing == Preprocessing(mean: [0.406, 0.456, 0.485], std: [0.225, 0.224, 0.229], channels: .bgr, resize: .none))
        let scaled = try ONNXImporter.load(bytes: Self.model([("squeezec.scale", "0.5"), ("squeezec.mean", "1,2,3"), ("squeezec.std", "4,5,6")]),
                                           file: "m.onnx")
        #expect(scaled.preprocessing == Preprocessing(mean: [1, 2, 3], std: [4, 5, 6], scale: .init(0.5)))
    }

    @Test func badValuesNameTheFileAndKey() {
        let cases: [([(key: String, value: String)], String)] = [
            ([("squeezec.mean", "0.5,x,0.5")], "m.onnx: metadata squeezec.mean '0.5,x,0.5' is not a comma-separated list of numbers (e.g. 0.485,0.456,0.406)"),
            ([("squeezec.std", "0,1,1")], "m.onnx: metadata squeezec.std '0,1,1': a standard deviation of 0 divides by zero"),
            ([("squeezec.scale", "-1/255")], "m.onnx: metadata squeezec.scale '-1/255' is not a positive number or fraction (e.g. 1/255 or 0.5)"),
            ([("squeezec.channels", "cmyk")], "m.onnx: metadata squeezec.channels 'cmyk' is not rgb, bgr or grey"),
            ([("squeezec.resize", "fit")], "m.onnx: metadata squeezec.resize 'fit' is not crop or none"),
            ([("squeezec.mean", "0.5")], "m.onnx: metadata squeezec.mean has 1 value; the model has 3 input channels"),
        ]
        for (metadata, expected) in cases {
            #expect(TestSupport.importError(Self.model(metadata), file: "m.onnx").description == expected)
        }
    }

    /// The trained digits fixtures say how their images were made
    /// (scripts/train_digits.py): grey to 3 equal channels, v / 255, the
    /// training set's mean and std, no resize.
    @Test(arguments: ["squeezenet1_1_digits32", "squeezenet1_1_digits32_bypass", "squeezenet1_1_digits32_dc"])
    func digitsFixtureDeclaresItsPreprocessing(model: String) throws {
        let path = DigitsFixtureTests.directory.appendingPathComponent(model + ".onnx").path
        let graph = try ONNXImporter.load(path: path)
        let p = try #require(graph.preprocessing)
        #expect(p.mean == [0.3055, 0.3055, 0.3055])
        #expect(p.std == [0.3239, 0.3239, 0.3239])
        #expect(p.scale == .byteToUnit && p.scale.description == "1/255")
        #expect(p.channels == .grey && p.resize == .none)
        #expect(graph.metadata["squeezec.classes"] == "0,1,2,3,4,5,6,7,8,9")
        // The same numbers as the training log.
        let log = try DigitsFixtureTests.log()
        #expect(Float(p.mean[0]) == log.mean && Float(p.std[0]) == log.std)
    }
}

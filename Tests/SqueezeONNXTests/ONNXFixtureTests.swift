import Foundation
import SqueezeIR
import SqueezePasses
import SqueezeReference
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

/// The models of Tests/Fixtures/onnx (written by scripts/make_onnx_fixtures.py
/// with onnx.helper; expected outputs from onnxruntime): squeezec's import
/// plus reference interpreter must reproduce onnxruntime's outputs.
@Suite struct ONNXFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx").path

    /// Model base names (`squeezenet1_1_64`), sorted.
    static let models: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func path(_ name: String) -> String { directory + "/" + name }

    /// The fixture files must be there: a missing folder fails, it does not skip.
    @Test func fixturesArePresent() {
        #expect(Self.models.contains("squeezenet1_0_64"))
        #expect(Self.models.contains("squeezenet1_1_64"))
        #expect(Self.models.contains("bn_conv"))
    }

    @Test(arguments: models)
    func importedModelReproducesOnnxruntime(model: String) throws {
        let graph = try ONNXImporter.load(path: Self.path(model + ".onnx"))
        let interpreter = try ReferenceInterpreter(graph: graph)
        let fused = try ReferenceInterpreter(graph: try PassPipeline().run(graph))
        let input = graph.inputs[0].type.shape
        var pairs = 0
        for k in 0..<10 {
            let inputPath = Self.path("\(model).input\(k).npy")
            guard FileManager.default.fileExists(atPath: inputPath) else { break }
            let x = try NpyFormat.read(path: inputPath)
            let expected = try NpyFormat.read(path: Self.path("\(model).output\(k).npy"))
            #expect(x.shape == [1, input.c, input.h, input.w])
            let nhwc = Layout.nchwToNHWC(try #require(x.floats), n: 1, c: input.c, h: input.h, w: input.w)
            let want = try #require(expected.floats)
            let range = (want.max() ?? 0) - (want.min() ?? 0)
            let tolerance = max(1e-4 * range, 1e-7)
            for (label, runner) in [("imported", interpreter), ("fused", fused)] {
                var got = try runner.run(nhwc)
                let outputShape = try runner.graph.type(of: runner.graph.outputs[0]).shape
                if outputShape.rank == 4 {
                    got = Layout.nhwcToNCHW(got, n: outputShape.n, c: outputShape.c, h: outputShape.h, w: outputShape.w)
                }
                #expect(expected.shape == ONNXGraphConverter.onnxDims(outputShape))
                let difference = TestSupport.maxAbsDifference(got, want)
                #expect(difference <= tolerance, "\(model) input \(k) (\(label)): max difference \(difference), tolerance \(tolerance)")
            }
            pairs += 1
        }
        #expect(pairs > 0, "\(model) has no input/output .npy pairs")
    }

    @Test(arguments: ["squeezenet1_0_64", "squeezenet1_1_64", "squeezenet1_1_224"])
    func squeezeNetsKeepTorchNamesAndFuseEightFireModules(model: String) throws {
        guard Self.models.contains(model) else {
            Issue.record("fixture \(model).onnx is missing")
            return
        }
        let graph = try ONNXImporter.load(path: Self.path(model + ".onnx"))
        #expect(graph.inputs.map(\.name) == ["input"])
        #expect(graph.outputs == ["output"])
        #expect(graph.nodes.first?.name == "/features/features.0/Conv")
        #expect(graph.nodes.first?.parameters == ["features.0.weight", "features.0.bias"])
        let modules = FireModuleMatcher.match(graph)
        #expect(modules.count == 8)
        #expect(modules.first?.name == "features/features.3")
        let fused = try PassPipeline().run(graph)
        #expect(fused.nodes.filter { if case .fire = $0.op { true } else { false } }.count == 8)
    }

    @Test func floatDataVariantEqualsRawData() throws {
        let raw = try ONNXImporter.load(path: Self.path("squeezenet1_1_64.onnx"))
        let floatData = try ONNXImporter.load(path: Self.path("squeezenet1_1_64_floatdata.onnx"))
        #expect(raw.constants == floatData.constants)
        #expect(raw.nodes == floatData.nodes)
    }

    @Test func batchNormFixtureFoldsAndHasASymbolicBatch() throws {
        let graph = try ONNXImporter.load(path: Self.path("bn_conv.onnx"))
        #expect(graph.inputs[0].type.shape == .nhwc(1, 12, 12, 3))
        #expect(graph.nodes.contains { $0.fusedFrom.count == 2 })
        #expect(graph.nodes.contains { $0.op == .add })
        #expect(graph.nodes.last?.op == .softmax)
    }

    @Test func missingFileIsADiagnostic() {
        let e = TestSupport.error { () throws(Diagnostic) in try ONNXImporter.load(path: Self.path("nope.onnx")) }
        #expect(e?.message == "no such file")
        #expect(e?.location.file == Self.path("nope.onnx"))
    }
}

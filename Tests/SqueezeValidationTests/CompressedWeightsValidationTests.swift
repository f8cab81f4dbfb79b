import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// `--prune` / `--codebook` weights through the dense generated C: the C
/// runs the modified weights exactly as the reference does.
@Suite(.serialized) struct CompressedWeightsValidationTests {
    @Test(arguments: [CompressionOptions(codebookBits: 4), CompressionOptions(sparsity: 0.66, codebookBits: 4),
                      CompressionOptions(sparsity: 0.5)])
    func hostCodeRunsThePrunedAndSharedWeights(options: CompressionOptions) throws {
        let original = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)).graph
        let graph = try WeightCompressionPass(options: options).run(original)
        #expect(graph.constants != original.constants)
        var validator = Validator(runner: HostRunner())
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let inputs = HostValidationTests.inputs(graph, count: 2).map { Validator<HostRunner>.Input(name: $0.name, values: $0.values) }
        let report = try validator.validate(graph, inputs: inputs, options: CodegenOptions(prefix: "model", schedule: .stream),
                                            workDirectory: work).report
        #expect(report.passed, "relative error \(report.maxRelativeError)")
        #expect(report.maxRelativeError < 1e-5)
        #expect(report.firstDivergence == nil)
    }

    @Test func int8HostCodeIsBitExactOnThePrunedAndSharedWeights() throws {
        let original = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)).graph
        let options = CompressionOptions(sparsity: 0.66, codebookBits: 4)
        let fused = try PassPipeline().run(try WeightCompressionPass(options: options).run(original))
        let calibration = HostValidationTests.inputs(fused, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
        let ranges = try Calibrator(method: .minMax).ranges(fused, inputs: calibration)
        let int8 = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: calibration.map(\.name))).run(fused)
        // The int8 weights are what detection stores compressed: every layer sparse with a codebook.
        let report = WeightCompressionReport(int8)
        #expect(report.layers.allSatisfy { $0.format.hasPrefix("sparse-mask+codebook") })
        var validator = Validator(runner: HostRunner())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-int8-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = Array(HostValidationTests.inputs(fused, count: 5).dropFirst(3))
        let result = try validator.validate(int8, inputs: cases, options: CodegenOptions(prefix: "model", schedule: .stream),
                                            workDirectory: dir, floatGraph: fused).report
        #expect(result.passed)
        #expect(result.differingBytes == 0)
    }
}

import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
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
}

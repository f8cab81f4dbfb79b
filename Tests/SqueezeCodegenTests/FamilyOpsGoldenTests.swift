import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeCodegen

/// Golden sources of the family-ops fixture (Tests/Fixtures/onnx/family_ops.onnx:
/// pads, clip, leaky ReLU, sigmoid, affine ops, auto_pad): fp32 on both
/// schedules, int8 on the stream schedule.
@Suite struct FamilyOpsGoldenTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx/family_ops.onnx").path

    func file(_ model: GeneratedModel, _ name: String) throws -> String {
        try #require(model.files.first { $0.name == name }).contents
    }

    @Test func goldenSources() throws {
        let graph = try PassPipeline().run(try ONNXImporter.load(path: Self.fixture))
        let command = "squeezec generate family_ops.onnx (test)"
        let layer = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "tiny", commandLine: command, schedule: .layer))
        try GoldenFiles.check(try file(layer, "tiny.c"), name: "family_ops.c")
        let stream = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "tiny", commandLine: command, schedule: .stream))
        try GoldenFiles.check(try file(stream, "tiny.c"), name: "family_ops_stream.c")
        let int8 = try CodeGenerator.generate(try Int8CodegenTests.int8(graph),
                                              options: CodegenOptions(prefix: "tiny", commandLine: command + " int8", schedule: .stream))
        try GoldenFiles.check(try file(int8, "tiny.c"), name: "family_ops_int8_stream.c")
    }
}

import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import Testing
@testable import SqueezeCodegen

/// Golden sources of the dw_fire_gemm fixture (grouped and depthwise
/// convolutions, an unfused Fire, average pool, a Gemm head as a whole-map
/// convolution, softmax), fp32 and int8, both schedules.
@Suite struct GroupedDenseGoldenTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx/dw_fire_gemm.onnx").path

    func file(_ model: GeneratedModel, _ name: String) throws -> String {
        try #require(model.files.first { $0.name == name }).contents
    }

    @Test(arguments: [false, true])
    func goldenSources(int8: Bool) throws {
        let imported = try ONNXImporter.load(path: Self.fixture)
        let graph = int8 ? try Int8CodegenTests.int8(imported) : try PassPipeline().run(imported)
        let suffix = int8 ? "_int8" : ""
        for schedule in [ScheduleKind.layer, .stream] {
            let options = CodegenOptions(prefix: "tiny", commandLine: "squeezec generate (test)", schedule: schedule)
            let model = try CodeGenerator.generate(graph, options: options)
            let source = try file(model, "tiny.c")
            try GoldenFiles.check(source, name: "dw_fire_gemm\(suffix)\(schedule == .stream ? "_stream" : "").c")
            // The grouped layers run the grouped kernel, the depthwise one with all 16 channels in one group each.
            #expect(source.contains("sq_gconv_\(int8 ? "s8" : "f32")(&conv_dw3, 16,"))
            #expect(source.contains("sq_avgpool_\(int8 ? "s8" : "f32")("))
            #expect(source.contains("sq_softmax_\(int8 ? "s8(&softmax_prob" : "f32(")"))
        }
    }
}

import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezeQuant
import Testing
@testable import SqueezeCodegen

@Suite struct CodeGeneratorTests {
    let options = CodegenOptions(prefix: "tiny", commandLine: "squeezec generate (test)", schedule: .layer)
    let streaming = CodegenOptions(prefix: "tiny", commandLine: "squeezec generate (test)", schedule: .stream)

    func file(_ model: GeneratedModel, _ name: String) throws -> String {
        try #require(model.files.first { $0.name == name }).contents
    }

    @Test(arguments: ["fire_pool", "conv_pool", "head", "elementwise", "compressed"])
    func goldenSources(name: String) throws {
        let graph = switch name {
        case "fire_pool": try TinyModels.firePool()
        // Pruned and shared: every conv stored compressed (Templates/sq_decode.h).
        case "compressed": try WeightCompressionPass(options: CompressionOptions(sparsity: 0.5, codebookBits: 2)).run(TinyModels.firePool())
        case "conv_pool": try TinyModels.convPool()
        case "elementwise": try TinyModels.elementwise()
        default: try TinyModels.head()
        }
        let model = try CodeGenerator.generate(graph, options: options)
        try GoldenFiles.check(try file(model, "tiny.c"), name: "\(name).c")
        try GoldenFiles.check(try file(model, "tiny.h"), name: "\(name).h")
        try GoldenFiles.check(try file(model, "tiny_weights.c"), name: "\(name)_weights.c")
        let streamed = try CodeGenerator.generate(graph, options: streaming)
        try GoldenFiles.check(try file(streamed, "tiny.c"), name: "\(name)_stream.c")
        try GoldenFiles.check(try file(streamed, "tiny.h"), name: "\(name)_stream.h")
    }

    /// `--row-input`: the input comes row by row into a ring in the arena
    /// (`fetch_input`), the run functions share one body, and the header
    /// declares the row entry points.
    @Test(arguments: ["conv_pool", "fire_pool"])
    func goldenRowInputSources(name: String) throws {
        let graph = name == "conv_pool" ? try TinyModels.convPool() : try TinyModels.firePool()
        let model = try CodeGenerator.generate(graph, options: streaming, rowInput: true)
        try GoldenFiles.check(try file(model, "tiny.c"), name: "\(name)_rows.c")
        try GoldenFiles.check(try file(model, "tiny.h"), name: "\(name)_rows.h")
        let whole = try CodeGenerator.generate(graph, options: streaming)
        let ring = try #require(model.inputRing)
        #expect(model.arenaBytes == whole.arenaBytes + ring.bytes)
        #expect(!(try file(whole, "tiny.h")).contains("run_rows"))
        #expect(!(try file(whole, "tiny.c")).contains("fetch_input"))
    }

    @Test func rowInputNeedsTheStreamSchedule() throws {
        let error = #expect(throws: Diagnostic.self) { try CodeGenerator.generate(try TinyModels.convPool(), options: options, rowInput: true) }
        #expect(error?.message.contains("--row-input needs the stream schedule") == true)
    }

    @Test func streamingNeverStoresAFireOutputOrPrePoolMapWhole() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1)).graph
        let model = try CodeGenerator.generate(graph, options: streaming)
        let stream = try #require(model.stream)
        for stage in stream.stages {
            let rows = stream.ringRows[stage.output] ?? 0
            #expect(rows <= 3, "\(stage.output) keeps \(rows) rows")
        }
        #expect(model.arenaBytes < 200 * 1024)
        let c = try file(model, "tiny.c")
        #expect(c.contains("sq_maxpool_fold_f32("))
        #expect(c.contains("static void ensure_0(sq_stream *s, int need)"))
        #expect(try file(model, "tiny.h").contains("#define TINY_SCHEDULE \"stream\""))
    }

    @Test func fireWritesExpandsIntoConcatSlicesWithoutACopy() throws {
        let model = try CodeGenerator.generate(try TinyModels.firePool(), options: options)
        let c = try file(model, "tiny.c")
        #expect(!c.contains("sq_copy_channels_f32"))
        #expect(c.contains("prepool_rows + 4, "))  // expand 3x3 into channels 4..7 of the pre-pool rows
        #expect(model.layer?.steps.count == 1)
    }

    @Test func everyStepCommentNamesItsLayersShapesOffsetsAndMACs() throws {
        let model = try CodeGenerator.generate(try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0, inputSize: 64)).graph,
                                               options: options)
        let c = try file(model, "tiny.c")
        for step in try #require(model.layer).steps where step.node.op != .flatten {
            #expect(c.contains("Step \(step.index): \(step.node.name) - "))
        }
        #expect(c.contains("source layers: conv1, relu_conv1, pool1"))
        #expect(c.contains("scratch fire4.prepool_rows"))
        #expect(c.contains("MACs "))
        let h = try file(model, "tiny.h")
        #expect(h.contains("#define TINY_ARENA_BYTES \(model.arenaBytes)"))
        #expect(h.contains("#define TINY_INPUT_COUNT 12288"))
        #expect(h.contains("#define TINY_OUTPUT_COUNT 1000"))
        #expect(h.contains("Command: squeezec generate (test)"))
        #expect(h.contains("int tiny_run_with_arena(const float *input, float *output, void *arena);"))
    }

    @Test func generationIsDeterministic() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64, bypass: .complex)).graph
        let a = try CodeGenerator.generate(graph, options: options).files
        let b = try CodeGenerator.generate(graph, options: options).files
        #expect(a == b)
    }

    @Test func noMallocStdioOrVLAsInGeneratedCode() throws {
        let model = try CodeGenerator.generate(try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph,
                                               options: options)
        for file in model.files where file.name.hasSuffix(".c") || file.name.hasSuffix(".h") {
            let code = Self.withoutComments(file.contents)
            for banned in ["malloc(", "calloc(", "free(", "printf(", "<stdio.h>", "alloca("] {
                #expect(!code.contains(banned), "\(file.name) uses \(banned)")
            }
        }
        #expect(Self.withoutComments("a /* malloc( */ b") == "a  b")
    }

    static func withoutComments(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "/*") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "*/") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    @Test func weightsArePackedConstAndAligned() throws {
        let model = try CodeGenerator.generate(try TinyModels.convPool(), options: options)
        let weights = try file(model, "tiny_weights.c")
        // conv1: 5 output channels pad to 8: 8 * 3 * 3 * 3 = 216 floats.
        #expect(weights.contains("const float tiny_w_conv1_weight[216] SQ_ALIGN(16) TINY_WEIGHTS_PLACE = {"))
        #expect(weights.contains("const float tiny_w_conv1_bias[5] SQ_ALIGN(16) TINY_WEIGHTS_PLACE = {"))
        #expect(model.weightBytes == (216 + 5) * 4)
    }

    @Test func badPrefixIsAUsageError() {
        #expect(throws: Diagnostic.self) {
            try CodeGenerator.generate(try TinyModels.convPool(), options: CodegenOptions(prefix: "1bad-name"))
        }
    }
}

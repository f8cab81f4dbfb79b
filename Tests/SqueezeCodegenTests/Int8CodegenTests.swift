import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant
import Testing
@testable import SqueezeCodegen

/// int8 code generation: golden files and snippets.
@Suite struct Int8CodegenTests {
    let layer = CodegenOptions(prefix: "tiny", commandLine: "squeezec generate --precision int8 (test)", schedule: .layer)
    let stream = CodegenOptions(prefix: "tiny", commandLine: "squeezec generate --precision int8 (test)", schedule: .stream)

    /// Fused, calibrated on seeded noise, quantised.
    static func int8(_ graph: Graph) throws -> Graph {
        let fused = try PassPipeline().run(graph)
        var random = SeededRandom(seed: 9, stream: "int8-codegen")
        let count = fused.inputs[0].type.shape.elementCount
        let inputs = (0..<3).map { i in Calibrator.Input(name: "noise\(i)", values: (0..<count).map { _ in random.uniform(-2, 2) }) }
        let ranges = try Calibrator(method: .minMax).ranges(fused, inputs: inputs)
        return try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: inputs.map(\.name))).run(fused)
    }

    func file(_ model: GeneratedModel, _ name: String) throws -> String {
        try #require(model.files.first { $0.name == name }).contents
    }

    @Test(arguments: ["fire_pool", "conv_pool", "classifier_head"])
    func goldenSources(name: String) throws {
        let float = switch name {
        case "fire_pool": try TinyModels.firePool()
        case "conv_pool": try TinyModels.convPool()
        default: try TinyModels.classifierHead()
        }
        let graph = try Self.int8(float)
        let model = try CodeGenerator.generate(graph, options: layer)
        try GoldenFiles.check(try file(model, "tiny.c"), name: "\(name)_int8.c")
        try GoldenFiles.check(try file(model, "tiny.h"), name: "\(name)_int8.h")
        try GoldenFiles.check(try file(model, "tiny_weights.c"), name: "\(name)_int8_weights.c")
        try GoldenFiles.check(try file(model, "tiny_f32.c"), name: "\(name)_int8_f32.c")
        let streamed = try CodeGenerator.generate(graph, options: stream)
        try GoldenFiles.check(try file(streamed, "tiny.c"), name: "\(name)_int8_stream.c")
    }

    /// `--row-input` in int8: rows of codes into the input ring.
    @Test func goldenRowInputSources() throws {
        let graph = try Self.int8(try TinyModels.convPool())
        let model = try CodeGenerator.generate(graph, options: stream, rowInput: true)
        try GoldenFiles.check(try file(model, "tiny.c"), name: "conv_pool_int8_rows.c")
        try GoldenFiles.check(try file(model, "tiny.h"), name: "conv_pool_int8_rows.h")
    }

    @Test func fireExpandsRequantiseIntoTheConcatSlicesDirectly() throws {
        let graph = try Self.int8(try TinyModels.firePool())
        let text = try file(try CodeGenerator.generate(graph, options: stream), "tiny.c")
        let q = try #require(graph.quantization)
        let concat = try #require(q.convolutions["fire/expand1x1.weight"]).output
        // Both expand calls write the concat's zero point, one into channel 0, one into channel 4 of the
        // 8-channel pre-pool row, and nothing copies.
        for name in ["conv_fire_expand1x1", "conv_fire_expand3x3"] {
            let block = try #require(text.range(of: "static const sq_conv_params_s8 \(name) = {").map { String(text[$0.upperBound...].prefix { $0 != ";" }) })
            #expect(block.contains(".out_zp = \(concat.zeroPoint)"))
            #expect(block.contains(".stride = 8"))
        }
        #expect(text.contains("sq_conv1x1_s8(&conv_fire_expand1x1, "))
        #expect(text.contains("sq_conv_s8(&conv_fire_expand3x3, ") && text.contains(" + 4, y, y + 1, s->im2col);"))
        #expect(!text.contains("sq_copy_channels_s8"))
        #expect(text.contains("sq_conv1x1_s8("))
        #expect(text.contains("sq_conv_s8("))
    }

    @Test func theArenaHoldsTheIm2colScratchAndTheAverageSums() throws {
        let graph = try Self.int8(try TinyModels.classifierHead())
        for options in [layer, stream] {
            let model = try CodeGenerator.generate(graph, options: options)
            #expect(model.plan.offset(of: S8KernelScratch.im2col) != nil)
            #expect(model.plan.offset(of: S8KernelScratch.sums("conv10")) != nil)
            let text = try file(model, "tiny.c")
            #expect(text.contains("sq_conv1x1_gap_s8("))
            #expect(text.contains("sq_gap_mean_s8(&mean_conv10, "))
            let data = try file(model, "tiny_data.h")
            #expect(data.contains("extern int8_t tiny_arena["))
            #expect(data.contains("extern const int32_t tiny_m_conv10_weight_multiplier[6];"))
        }
    }

    @Test func headerCarriesTheQuantisationOfInputAndOutput() throws {
        let graph = try Self.int8(try TinyModels.convPool())
        let header = try file(try CodeGenerator.generate(graph, options: stream), "tiny.h")
        let q = try #require(graph.quantization)
        let input = try q.params(of: "x")
        #expect(header.contains("#define TINY_INPUT_ZERO_POINT \(input.zeroPoint)"))
        #expect(header.contains("#define TINY_PRECISION \"int8\""))
        #expect(header.contains("int tiny_run(const int8_t *input, int8_t *output);"))
    }

    @Test func int8GenerationIsDeterministic() throws {
        let a = try CodeGenerator.generate(try Self.int8(try TinyModels.firePool()), options: stream).files
        let b = try CodeGenerator.generate(try Self.int8(try TinyModels.firePool()), options: stream).files
        #expect(a == b)
    }

    @Test func packingFollowsTheDocumentedLayout() {
        // cout 3 (a zero-padded second pair), K = 1 * 1 * 5 -> K4 8, two groups.
        let ohwi: [Int8] = (0..<15).map { Int8($0 + 1) }  // w[co][k] = co * 5 + k + 1
        let packed = PairedInt8WeightEncoding.pack(ohwi, cout: 3, kh: 1, kw: 1, cin: 5)
        #expect(packed.count == PairedInt8WeightEncoding.packedCount(cout: 3, kh: 1, kw: 1, cin: 5))
        #expect(packed.count == 2 * 8 * 2)
        func w(_ co: Int, _ k: Int) -> Int8 { co < 3 && k < 5 ? Int8(co * 5 + k + 1) : 0 }
        // Pair 0, group 0: w[0][0] w[1][0] w[0][2] w[1][2] | w[0][1] w[1][1] w[0][3] w[1][3]
        #expect(Array(packed[0..<8]) == [w(0, 0), w(1, 0), w(0, 2), w(1, 2), w(0, 1), w(1, 1), w(0, 3), w(1, 3)])
        // Pair 0, group 1: only k = 4 is real.
        #expect(Array(packed[8..<16]) == [w(0, 4), w(1, 4), 0, 0, 0, 0, 0, 0])
        // Pair 1 (channel 2 and a missing channel 3).
        #expect(Array(packed[16..<24]) == [w(2, 0), 0, w(2, 2), 0, w(2, 1), 0, w(2, 3), 0])
    }

    @Test func averagePoolsKeepTheirInputsParametersAndConcatsRescaleOthers() throws {
        // head() has an add and an average pool: both int8 now, the pool keeping its input's parameters.
        let fused = try PassPipeline().run(try TinyModels.head())
        let count = fused.inputs[0].type.shape.elementCount
        let ranges = try Calibrator().ranges(fused, inputs: [Calibrator.Input(name: "zero", values: [Float](repeating: 0.5, count: count))])
        let int8 = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: [])).run(fused)
        let avg = try #require(fused.nodes.first { $0.name == "avg" })
        #expect(int8.quantization?.averagePools["avg"]?.params == int8.quantization?.values[avg.inputs[0]])

        // A concat of the graph input and a convolution: the input keeps its own parameters, so it is rescaled to the
        // concat's by a table (the convolution, read by the concat alone, is requantised straight to them).
        var k: [String: Tensor] = [:]
        let nodes = [TinyModels.conv("c", "x", inC: 3, out: 3, kernel: 1, constants: &k),
                     Node(name: "cat", op: .concat, inputs: ["x", "c"], output: "cat")]
        let graph = try PassPipeline().run(try TinyModels.graph("cat", h: 4, w: 4, c: 3, nodes: nodes, constants: k))
        let catRanges = try Calibrator().ranges(graph, inputs: [Calibrator.Input(name: "x", values: (0..<48).map { Float($0) / 10 - 2 })])
        let cat = try Quantizer(ranges: catRanges, calibration: CalibrationSummary(method: "minmax", inputs: [])).run(graph)
        let q = try #require(cat.quantization)
        let table = try #require(q.concatTables[ConcatQuantization.tableKey(concat: "cat", input: "x")])
        #expect(q.concatTables[ConcatQuantization.tableKey(concat: "cat", input: "c")] == nil)
        let (from, to) = (try #require(q.values["x"]), try #require(q.values["cat"]))
        #expect(from != to)
        // Each entry is the input code's real value requantised to the concat's parameters (within half a step).
        for code in Int32(-128)...127 {
            let real = from.dequantize(code)
            #expect(abs(to.dequantize(Int32(table[Int(code) + 128])) - min(max(real, to.dequantize(-128)), to.dequantize(127))) <= to.scale / 2 + 1e-6)
        }
    }
}

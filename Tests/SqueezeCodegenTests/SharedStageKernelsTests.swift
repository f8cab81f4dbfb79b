import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeCodegen

@Suite struct SharedStageKernelsTests {
    /// A conv parameter struct of `layer` reading its own arrays.
    static func conv(_ table: KernelParameterTable, _ layer: String, inC: Int = 16, outZp: Int = -128) -> String {
        table.add(kind: "conv", layer: layer, type: "sq_conv_params_s8", comment: layer,
                  fields: [".in = { .h = 5, .w = 5, .c = \(inC), .stride = \(inC), .ring = 3 }", ".out_zp = \(outZp)",
                           ".w = w_\(layer)", ".bias = b_\(layer)", ".mult = NULL"])
    }

    static let arrays: Set<String> = ["w_a", "b_a", "w_b", "b_b", "w_c", "b_c", "w_d", "b_d"]

    @Test func stagesDifferingOnlyInArraysAndArenaOffsetsShareOneFunction() {
        let table = KernelParameterTable()
        let (a, b) = (Self.conv(table, "a"), Self.conv(table, "b"))
        let sharing = SharedStageKernels(calls: [
            (0, ["sq_conv_s8(&\(a), s->a + 10, s->a, r, r + 1, s->im2col);"], "r"),
            (3, ["sq_conv_s8(&\(b), s->a + 20, s->a, y, y + 1, s->im2col);"], "y"),
        ], parameters: table, arrays: Self.arrays, element: "int8_t")
        #expect(sharing.groups.map(\.stages) == [[0, 3]])
        #expect(sharing.call(stage: 0, row: "r") == "shared_kernels_0(s, r, &conv_a, s->a + 10, s->a);")
        #expect(sharing.call(stage: 3, row: "y") == "shared_kernels_0(s, y, &conv_b, s->a + 20, s->a);")
        var p = CPrinter()
        sharing.emit(sharing.groups[0], names: [0: "one", 3: "two"], &p)
        #expect(p.text.contains("Kernels shared by stages 0 (one), 3 (two):"))
        #expect(p.text.contains("static SQ_NOINLINE void shared_kernels_0(sq_stream *s, const int r, const sq_conv_params_s8 *p0, "
                                + "int8_t *x0, int8_t *x1) {"))
        // Sizes, zero points and NULL arrays stay the stage's constants; the arrays come from p0.
        #expect(p.text.contains("        .in = { .h = 5, .w = 5, .c = 16, .stride = 16, .ring = 3 },\n        .out_zp = -128,\n"
                                + "        .w = p0->w,\n        .bias = p0->bias,\n        .mult = NULL\n"))
        #expect(p.text.contains("    sq_conv_s8(&c0, x0, x1, r, r + 1, s->im2col);\n}\n"))
    }

    @Test func anyOtherDifferenceKeepsStagesApart() {
        let table = KernelParameterTable()
        let (a, b, c, d) = (Self.conv(table, "a"), Self.conv(table, "b", inC: 32), Self.conv(table, "c", outZp: -3), Self.conv(table, "d"))
        let sharing = SharedStageKernels(calls: [
            (0, ["sq_conv_s8(&\(a), s->a + 10, s->a, r, r + 1, s->im2col);"], "r"),
            (1, ["sq_conv_s8(&\(b), s->a + 10, s->a, r, r + 1, s->im2col);"], "r"),   // other channels
            (2, ["sq_conv_s8(&\(c), s->a + 10, s->a, r, r + 1, s->im2col);"], "r"),   // other zero point
            (3, ["sq_conv_s8(&\(d), s->a + 10, s->a + 10, r, r + 1, s->im2col);"], "r"), // in place: another pointer pattern
            (4, ["sq_conv1x1_s8(&\(a), s->a + 10, s->a, r, r + 1, s->im2col);"], "r"), // another kernel
            (5, ["sq_maxpool_s8(&pool_x, s->a + 3, s->a, r, r + 1);"], "r"),         // no const arrays
            (6, ["sq_maxpool_s8(&pool_x, s->a + 4, s->a, r, r + 1);"], "r"),
        ], parameters: table, arrays: Self.arrays, element: "int8_t")
        #expect(sharing.groups.isEmpty)
        #expect(sharing.call(stage: 0, row: "r") == nil)
    }

    @Test func tokensKeepTheTextAndSplitArrows() {
        let line = "sq_add_f32(s->a + 12 + (r % 2) * 3, 0.5f, &x);"
        let tokens = SharedStageKernels.tokens(line)
        #expect(tokens.map(\.text).joined() == line)
        #expect(tokens.map(\.text).prefix(6) == ["sq_add_f32", "(", "s", "->", "a", " "])
        #expect(tokens.contains { $0.text == "0.5f" && $0.isNumber })
    }

    /// squeezenet1.1's Fire pairs (fire2/3, 4/5, 6/7, 8/9) have identical
    /// expand shapes: four shared functions, two stages each, in both precisions.
    @Test func squeezenetFirePairsShareTheirExpands() throws {
        let float = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)).graph
        for graph in [float, try Int8CodegenTests.int8(float)] {
            let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "model", schedule: .stream))
            let text = try #require(model.files.first { $0.name == "model.c" }).contents
            for k in 0..<4 {
                #expect(text.components(separatedBy: "shared_kernels_\(k)(").count == 4, "definition and two calls of shared_kernels_\(k)")
            }
            #expect(!text.contains("shared_kernels_4"))
        }
    }

    /// Two Fire modules of one size in a row and a 1x1 conv: the expands
    /// share a function (the squeezes do not: the first reads the whole
    /// input, the second a one-row hand-off buffer). Golden, fp32 and int8.
    static func twoFires() throws -> Graph {
        var k: [String: Tensor] = [:]
        var nodes: [Node] = []
        var input = "x"
        for fire in ["fire1", "fire2"] {
            nodes += [
                TinyModels.conv("\(fire)/squeeze1x1", input, inC: 8, out: 4, kernel: 1, constants: &k),
                TinyModels.relu("\(fire)/relu_squeeze", "\(fire)/squeeze1x1"),
                TinyModels.conv("\(fire)/expand1x1", "\(fire)/relu_squeeze", inC: 4, out: 4, kernel: 1, constants: &k),
                TinyModels.relu("\(fire)/relu_e1", "\(fire)/expand1x1"),
                TinyModels.conv("\(fire)/expand3x3", "\(fire)/relu_squeeze", inC: 4, out: 4, kernel: 3, pad: 1, constants: &k),
                TinyModels.relu("\(fire)/relu_e3", "\(fire)/expand3x3"),
                Node(name: "\(fire)/concat", op: .concat, inputs: ["\(fire)/relu_e1", "\(fire)/relu_e3"], output: "\(fire)/concat"),
            ]
            input = "\(fire)/concat"
        }
        nodes.append(TinyModels.conv("classifier", input, inC: 8, out: 3, kernel: 1, constants: &k))
        return try TinyModels.graph("two_fires", h: 9, w: 7, c: 8, nodes: nodes, constants: k)
    }

    @Test func twoFiresGolden() throws {
        let float = try Self.twoFires()
        for (graph, name) in [(float, "two_fires_stream.c"), (try Int8CodegenTests.int8(float), "two_fires_int8_stream.c")] {
            let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "tiny", commandLine: "squeezec generate (test)",
                                                                                  schedule: .stream))
            let text = try #require(model.files.first { $0.name == "tiny.c" }).contents
            #expect(text.components(separatedBy: "shared_kernels_0(").count == 4)
            #expect(!text.contains("shared_kernels_1"))
            try GoldenFiles.check(text, name: name)
        }
    }
}

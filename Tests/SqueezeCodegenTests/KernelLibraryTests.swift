import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeCodegen

/// The kernel libraries (rendered calls and parameter structs), the weight
/// encodings (arrays, sizes, layouts) and the parameter table.
@Suite struct KernelLibraryTests {
    /// conv 3x3/1 pad 1, 6 -> 4 channels, + ReLU, over a 9x7 map (TinyModels.convPool's conv).
    static func conv3x3Graph() throws -> (Graph, Conv2DAttributes) {
        var k: [String: Tensor] = [:]
        var node = TinyModels.conv("c1", "x", inC: 6, out: 4, kernel: 3, pad: 1, constants: &k)
        guard case .conv2d(var a) = node.op else { throw Diagnostic.internal("not a conv") }
        a.activation = .relu
        node.op = .conv2d(a)
        return (try TinyModels.graph("one_conv", h: 9, w: 7, c: 6, nodes: [node], constants: k), a)
    }

    static func block(_ text: String, _ name: String) -> String? {
        guard let start = text.range(of: " \(name) = {") else { return nil }
        return String(text[start.upperBound...].prefix { $0 != ";" })
    }

    @Test func libraryFollowsTheGraphsPrecision() throws {
        let float = try TinyModels.convPool()
        #expect(KernelLibraries.library(for: float).precision == "fp32")
        let int8 = try Int8CodegenTests.int8(float)
        let library = KernelLibraries.library(for: int8)
        #expect(library.precision == "int8")
        #expect(library.element == "int8_t" && library.elementBytes == 1 && library.kernelsHeader == "sq_kernels_s8.h")
        #expect(F32KernelLibrary().arenaPointer("a", byteOffset: 64) == "a + 16")
        #expect(library.arenaPointer("a", byteOffset: 64) == "a + 64")
        #expect(library.arenaPointer("a", byteOffset: 0) == "a")
    }

    @Test func f32ConvRendersAStructAndAShortCall() throws {
        let (graph, a) = try Self.conv3x3Graph()
        let library = F32KernelLibrary()
        var weights = WeightTable(prefix: "m")
        let arrays = try library.arrays(&weights, weight: "c1.weight", bias: "c1.bias", graph)
        let input = Map(pointer: "in", shape: .nhwc(1, 9, 7, 6), ring: 3)
        let output = Map(pointer: "out + 4", shape: .nhwc(1, 9, 7, 8))
        let call = try library.conv(a, source: input, target: output, arrays: arrays, rows: ("r", "r + 1"))
        #expect(call == "sq_conv_f32(&conv_c1, in, out + 4, r, r + 1);")
        var p = CPrinter()
        library.parameters.emit(&p)
        #expect(p.text.contains("/* c1: conv 3x3/1 + ReLU, 9x7x6 -> 9x7x4 */"))
        #expect(p.text.contains("static const sq_conv_params_f32 conv_c1 = {"))
        let block = try #require(Self.block(p.text, "conv_c1"))
        #expect(block.contains(".in = { .h = 9, .w = 7, .c = 6, .stride = 6, .ring = 3 }"))
        #expect(block.contains(".out = { .h = 9, .w = 7, .c = 4, .stride = 8, .ring = 9 }"))
        #expect(block.contains(".win = { .k_h = 3, .k_w = 3, .s_h = 1, .s_w = 1, .pad_t = 1, .pad_l = 1 }"))
        #expect(block.contains(".relu = 1"))
        #expect(block.contains(".w = m_w_c1_weight") && block.contains(".bias = m_w_c1_bias"))
        // The same call again shares the struct; a pointwise one uses the 1x1 kernel.
        #expect(try library.conv(a, source: input, target: output, arrays: arrays, rows: ("0", "9")) == "sq_conv_f32(&conv_c1, in, out + 4, 0, 9);")
        #expect(library.parameters.entries.count == 1)
    }

    @Test func s8ConvCarriesTheRequantisation() throws {
        let (float, a) = try Self.conv3x3Graph()
        let graph = try Int8CodegenTests.int8(float)
        let q = try #require(graph.quantization?.convolutions["c1.weight"])
        var library = KernelLibraries.library(for: graph)
        library.im2col = "s->im2col"
        var weights = WeightTable(prefix: "m")
        let arrays = try library.arrays(&weights, weight: "c1.weight", bias: "c1.bias", graph)
        let call = try library.conv(a, source: Map(pointer: "in", shape: .nhwc(1, 9, 7, 6)), target: Map(pointer: "out", shape: .nhwc(1, 9, 7, 4)),
                                    arrays: arrays, rows: ("0", "9"))
        #expect(call == "sq_conv_s8(&conv_c1, in, out, 0, 9, s->im2col);")
        var p = CPrinter()
        library.parameters.emit(&p)
        let block = try #require(Self.block(p.text, "conv_c1"))
        #expect(block.contains(".in_zp = \(q.input.zeroPoint)") && block.contains(".out_zp = \(q.output.zeroPoint)"))
        #expect(block.contains(".act_min = \(q.activationMin)") && block.contains(".act_max = \(q.activationMax)"))
        #expect(block.contains(".w = m_w_c1_weight") && block.contains(".bias = m_b_c1_weight_bias"))
        #expect(block.contains(".mult = m_m_c1_weight_multiplier") && block.contains(".shift = m_s_c1_weight_shift"))
    }

    @Test func s8FlattensAMapAndNeedsTheLayersQuantisation() throws {
        let graph = try Int8CodegenTests.int8(try TinyModels.convPool())
        let library = KernelLibraries.library(for: graph)
        let map = Map(pointer: "in", shape: .nhwc(1, 4, 4, 2))
        let pool = PoolAttributes(kernel: .square(2), stride: .square(2))
        // A map's flatten reorders codes into ONNX's NCHW order (as in fp32).
        #expect(try library.flatten(layer: "flat", input: .nhwc(1, 4, 4, 2), source: "in", target: "out")
            == "sq_flatten_nchw_s8(in, 4, 4, 2, out);")
        // Average pool and softmax need their layer's quantisation (the graph has neither).
        #expect { try library.avgPool(pool, layer: "pool7", source: map, target: map, rows: ("0", "2")) } throws: { error in
            (error as? Diagnostic)?.kind == .internal
        }
        #expect { try library.softmax(layer: "prob", rows: 1, width: 10, source: "in", target: "out") } throws: { error in
            (error as? Diagnostic)?.kind == .internal
        }
        // A concat of inputs sharing its parameters copies codes.
        #expect(try library.concatCopy(layer: "cat", node: "cat", input: "x", source: map, target: map, rows: ("0", "1")) == [library.copyChannels(layer: "cat", source: map, target: map, rows: ("0", "1"))])
        // fp32 has them.
        let float = F32KernelLibrary()
        #expect(try float.avgPool(pool, layer: "pool7", source: map, target: map, rows: ("0", "2")) == "sq_avgpool_f32(&pool_pool7, in, in, 0, 2);")
        #expect(try float.softmax(layer: "prob", rows: 1, width: 10, source: "in", target: "out") == ["sq_softmax_f32(in, out, 10);"])
    }

    /// Planning asks the model's library for its kernels' scratch: the int8
    /// library requests im2col and sums (`S8KernelScratch`), fp32 nothing
    /// for dense weights (`F32KernelScratch` asks only to decode compressed ones).
    @Test func librariesRequestTheirScratchForPlanning() throws {
        for float in [try TinyModels.firePool(), try TinyModels.convPool(), try TinyModels.classifierHead()] {
            let graph = try Int8CodegenTests.int8(float)
            #expect(KernelLibraries.library(for: graph).scratch is S8KernelScratch)
            #expect(KernelScratchProviders.forGraph(graph) is S8KernelScratch)
            #expect(KernelLibraries.library(for: float).scratch is F32KernelScratch)
            let dense = try PlannedMemory(fused: float, kind: .stream, scratch: KernelLibraries.library(for: float).scratch)
            #expect(dense.kernelScratch.buffers.isEmpty)
            let memory = try PlannedMemory(fused: graph, kind: .stream, scratch: KernelLibraries.library(for: graph).scratch)
            #expect(memory.kernelScratch.buffers.contains { $0.id == S8KernelScratch.im2col })
        }
        // SQ_S8_SCRATCH_BYTES: K4 * 4, or K4 * 5 when cin % 4 != 0.
        #expect(S8KernelScratch.im2colBytes(kernel: .square(3), inputChannels: 16) == 144 * 4)
        #expect(S8KernelScratch.im2colBytes(kernel: .square(3), inputChannels: 3) == 28 * 5)
        #expect(S8KernelScratch.im2colBytes(kernel: .square(1), inputChannels: 6) == 8 * 5)
    }

    @Test func blockedEncodingPacksWeightsAndKeepsTheBias() throws {
        let (graph, _) = try Self.conv3x3Graph()
        let arrays = try BlockedWeightEncoding().encodeConvolution(weight: "c1.weight", bias: "c1.bias", in: graph)
        #expect(arrays.map(\.role) == ["weights", "bias"])
        #expect(arrays.map(\.cType) == ["float", "float"])
        // cout 4 is one block of 4: 4 * 3 * 3 * 6 floats; bias 4.
        #expect(arrays.map(\.count) == [216, 4])
        #expect(arrays.map(\.byteCount) == [864, 16])
        let ohwi = try #require(graph.constants["c1.weight"]?.floats)
        let packed = BlockedWeightEncoding.pack(ohwi, cout: 4, kh: 3, kw: 3, cin: 6)
        // w[co][ky][kx][ci] at ((ky * 3 + kx) * 6 + ci) * 4 + co (one block).
        let (co, ky, kx, ci) = (3, 1, 2, 5)
        let target: Int = ((ky * 3 + kx) * 6 + ci) * 4 + co
        let source: Int = ((co * 3 + ky) * 3 + kx) * 6 + ci
        #expect(packed[target] == ohwi[source])
        #expect(arrays[0].body.hasPrefix("    ") && arrays[0].body.hasSuffix("\n"))
        let none = try BlockedWeightEncoding().encodeConvolution(weight: "c1.weight", bias: nil, in: graph)
        #expect(none.count == 1)
    }

    @Test func pairedEncodingAddsTheRequantisationArrays() throws {
        let (float, _) = try Self.conv3x3Graph()
        let graph = try Int8CodegenTests.int8(float)
        let q = try #require(graph.quantization)
        let arrays = try PairedInt8WeightEncoding(quantization: q).encodeConvolution(weight: "c1.weight", bias: "c1.bias", in: graph)
        #expect(arrays.map(\.role) == ["weights", "bias", "multiplier", "shift"])
        #expect(arrays.map(\.tag) == ["w", "b", "m", "s"])
        #expect(arrays.map(\.cType) == ["int8_t", "int32_t", "int32_t", "int8_t"])
        // 2 pairs x K4 (3 * 3 * 6 = 54 -> 56) x 2 bytes; 4 int32 biases and multipliers, 4 int8 shifts.
        #expect(arrays.map(\.count) == [224, 4, 4, 4])
        #expect(arrays.map(\.byteCount) == [224, 16, 16, 4])
        #expect(q.convolutions["c1.weight"]?.shifts.allSatisfy { (32...62).contains($0) } == true)
        #expect(arrays[1].key == "c1.weight.bias")
        var unquantised = q
        unquantised.convolutions = [:]
        #expect {
            _ = try PairedInt8WeightEncoding(quantization: unquantised).encodeConvolution(weight: "c1.weight", bias: nil, in: graph)
        } throws: { error in (error as? Diagnostic)?.message.contains("no quantisation parameters") == true }
    }

    @Test func weightTableNamesEachArrayOnceAndCountsBytes() throws {
        let (graph, _) = try Self.conv3x3Graph()
        var table = WeightTable(prefix: "m")
        let first = try table.convolution(weight: "c1.weight", bias: "c1.bias", in: graph, encoding: BlockedWeightEncoding())
        let again = try table.convolution(weight: "c1.weight", bias: "c1.bias", in: graph, encoding: BlockedWeightEncoding())
        #expect(first.names == again.names)
        #expect(first["weights"] == "m_w_c1_weight" && first["bias"] == "m_w_c1_bias" && first["shift"] == "NULL")
        #expect(table.arrays.count == 2)
        #expect(table.totalBytes == 864 + 16)
    }

    @Test func parameterTableSharesEqualStructsAndKeepsNamesUnique() {
        let table = KernelParameterTable()
        let a = table.add(kind: "pool", layer: "p/1", type: "sq_pool_params", comment: "p/1", fields: [".x = 1"])
        let b = table.add(kind: "pool", layer: "p/1", type: "sq_pool_params", comment: "p/1 again", fields: [".x = 1"])
        let c = table.add(kind: "pool", layer: "p/1", type: "sq_pool_params", comment: "p/1", fields: [".x = 2"])
        let d = table.add(kind: "conv", layer: "row", type: "sq_conv_params_f32", comment: "row", fields: [".relu = 1"])
        #expect(a == "pool_p_1" && b == a && c == "pool_p_1_2")
        #expect(d == "conv_row_2")  // conv_row is a loop counter of the generated code
        #expect(table.entries.count == 3)
    }
}

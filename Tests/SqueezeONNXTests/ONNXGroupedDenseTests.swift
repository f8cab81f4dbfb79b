import Foundation
import SqueezeIR
import SqueezePasses
import SqueezeReference
import Testing
@testable import SqueezeFrontend

/// Grouped/depthwise Conv and Gemm/MatMul heads through the importer
/// (fixtures dw_fire_gemm and dw_gap_matmul from
/// scripts/make_grouped_dense_fixtures.py; their outputs against
/// onnxruntime are checked by ONNXFixtureTests).
@Suite struct ONNXGroupedDenseTests {
    static func fixture(_ name: String) -> String { ONNXFixtureTests.path(name) }

    @Test func groupedAndDepthwiseConvolutionsImportWithTheirGroups() throws {
        let graph = try ONNXImporter.load(path: Self.fixture("dw_fire_gemm.onnx"))
        func conv(_ name: String) -> Conv2DAttributes? {
            guard let node = graph.nodes.first(where: { $0.name == name }), case .conv2d(let a) = node.op else { return nil }
            return a
        }
        #expect(conv("fire2/expand3x3")?.groups == 4)
        #expect(conv("dw3")?.groups == 16)
        #expect(conv("pw3")?.groups == 2)
        #expect(conv("conv1")?.groups == 1)
        #expect(graph.constants["dw3.weight"]?.shape == TensorShape([16, 3, 3, 1]))
        // MACs count the group's input channels only: 4x4 pixels x 16 channels x 9 taps.
        let dw = try #require(graph.nodes.first { $0.name == "dw3" })
        #expect(CostModel.macs(of: dw, in: graph) == 4 * 4 * 16 * 9)
        // The Fire module with a grouped expand is not fused (the Fire kernel has no grouped path).
        let fused = try PassPipeline().run(graph)
        #expect(!fused.nodes.contains { if case .fire = $0.op { true } else { false } })
    }

    @Test func gemmAfterFlattenBecomesAWholeMapConvolutionInNCHWOrder() throws {
        let graph = try ONNXImporter.load(path: Self.fixture("dw_fire_gemm.onnx"))
        let fc = try #require(graph.nodes.first { $0.name == "fc" })
        guard case .conv2d(let a) = fc.op else {
            Issue.record("fc is \(fc.op.name)")
            return
        }
        #expect(a.kernel == Size2(4, 4))
        #expect(a.outChannels == 10)
        #expect(a.hasBias)
        // The Flatten of the map is replaced (no flatten of a 4x4 map is left): one flatten of the 1x1 result.
        let flattens = graph.nodes.filter { if case .flatten = $0.op { true } else { false } }
        #expect(flattens.count == 1)
        #expect(try graph.type(of: flattens[0].inputs[0]).shape == .nhwc(1, 1, 1, 10))
        // Weight: alpha * W read as OIHW [10, 12, 4, 4] -> OHWI.
        let model = try ONNXProtoTestReader.initializer("fc.weight", in: Self.fixture("dw_fire_gemm.onnx"))
        let w = try #require(graph.constants[fc.parameters[0]]?.floats)
        for (n, c, y, x) in [(0, 0, 0, 0), (3, 5, 2, 1), (9, 11, 3, 3)] {
            #expect(w[((n * 4 + y) * 4 + x) * 12 + c] == 0.5 * model[n * 192 + (c * 4 + y) * 4 + x])
        }
        let bias = try ONNXProtoTestReader.initializer("fc.bias", in: Self.fixture("dw_fire_gemm.onnx"))
        #expect(graph.constants[fc.parameters[1]]?.floats == bias.map { 2 * $0 })
    }

    @Test func matMulPlusAddFoldsTheBias() throws {
        let graph = try ONNXImporter.load(path: Self.fixture("dw_gap_matmul.onnx"))
        let fc = try #require(graph.nodes.first { $0.name == "fc_matmul" })
        guard case .conv2d(let a) = fc.op else {
            Issue.record("fc_matmul is \(fc.op.name)")
            return
        }
        #expect(a.kernel == .square(1) && a.hasBias)
        #expect(fc.sourceNames == ["reshape", "fc_matmul", "fc_add"])
        #expect(!graph.nodes.contains { if case .add = $0.op { true } else { false } })
        #expect(graph.outputs == ["logits"])
    }

    /// x [1,2,4,4] -> Flatten -> Gemm with the given attributes and weight.
    static func gemmModel(_ attributes: [AttributeSpec], weight dims: [Int] = [32, 3], bias: [Int]? = [3],
                          flatten: Bool = true) -> ONNXModelBuilder {
        var b = ONNXModelBuilder(dims: [1, 2, 4, 4])
        b.initializer(.floats("W", dims, TestSupport.randomFloats(dims.reduce(1, *), seed: 3)))
        var inputs = [flatten ? "f" : "x", "W"]
        if let bias {
            b.initializer(.floats("C", bias, TestSupport.randomFloats(bias.reduce(1, *), seed: 4)))
            inputs.append("C")
        }
        if flatten { b.node("Flatten", ["x"], ["f"], name: "flat") }
        b.node("Gemm", inputs, ["y"], name: "head", attributes)
        b.output("y")
        return b
    }

    @Test func gemmMatchesADirectComputation() throws {
        for (transB, dims) in [(0, [32, 3]), (1, [3, 32])] {
            let b = Self.gemmModel([.int("transB", Int64(transB)), .float("alpha", 0.25), .float("beta", -1)], weight: dims)
            let graph = try ONNXImporter.load(bytes: b.encode(), file: "gemm.onnx")
            let x = TestSupport.randomFloats(32, seed: 9)  // NHWC [1, 4, 4, 2]
            let y = try TestSupport.run(graph, x)
            let w = TestSupport.randomFloats(96, seed: 3), c = TestSupport.randomFloats(3, seed: 4)
            for n in 0..<3 {
                var sum: Double = 0
                for ch in 0..<2 {
                    for p in 0..<16 {
                        let k = ch * 16 + p  // NCHW flatten index
                        let weight = transB == 1 ? w[n * 32 + k] : w[k * 3 + n]
                        sum += Double(x[p * 2 + ch]) * Double(weight)
                    }
                }
                let want = 0.25 * sum - Double(c[n])
                #expect(abs(Double(y[n]) - want) < 1e-5, "transB \(transB) output \(n)")
            }
        }
    }

    @Test func unsupportedDenseAndConvVariantsAreRefusedNamingTheNode() {
        let transA = TestSupport.importError(Self.gemmModel([.int("transA", 1)], weight: [3, 32]).encode())
        #expect(transA.message == "1 unsupported node: 'head' (Gemm): transA=1 is not supported (only 0: A is the flattened feature map)")
        #expect(transA.location.node == "head")

        let noFlatten = TestSupport.importError(Self.gemmModel([], flatten: false).encode())
        #expect(noFlatten.message.contains("'head' (Gemm): Gemm is supported only as a classifier head"))

        let wrongK = TestSupport.importError(Self.gemmModel([], weight: [30, 3]).encode())
        #expect(wrongK.message.contains("Gemm needs 30 input features, but its input is the flatten of a 2x4x4 map (32 features)"))

        let badBias = TestSupport.importError(Self.gemmModel([], bias: [2, 3]).encode())
        #expect(badBias.message.contains("bias 'C' of shape [2, 3] is not supported"))

        var dilated = ONNXModelBuilder(dims: [1, 4, 8, 8])
        dilated.initializer(.floats("W", [4, 1, 3, 3], TestSupport.randomFloats(36, seed: 1)))
        dilated.node("Conv", ["x", "W"], ["y"], name: "dw", [.int("group", 4), .ints("dilations", [2, 2])])
        dilated.output("y")
        let e = TestSupport.importError(dilated.encode())
        #expect(e.kind == .unsupported)
        #expect(e.message.hasPrefix("1 unsupported node: 'dw' (Conv): dilations"))

        var indivisible = ONNXModelBuilder(dims: [1, 4, 8, 8])
        indivisible.initializer(.floats("W", [6, 1, 3, 3], TestSupport.randomFloats(54, seed: 1)))
        indivisible.node("Conv", ["x", "W"], ["y"], name: "g", [.int("group", 4)])
        indivisible.output("y")
        let g = TestSupport.importError(indivisible.encode())
        #expect(g.message.contains("group=4 does not divide the 6 output channels"))
        #expect(g.location.node == "g")
    }
}

/// The float values of one initializer of an ONNX file, as stored (ONNX layout).
enum ONNXProtoTestReader {
    static func initializer(_ name: String, in path: String) throws -> [Float] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let model = try ONNXProto.decodeModel(bytes, file: path)
        guard let tensor = model.graph?.initializers.first(where: { $0.name == name }) else { throw Diagnostic.internal("no \(name)") }
        return try tensor.floatValues(file: path, node: nil)
    }
}

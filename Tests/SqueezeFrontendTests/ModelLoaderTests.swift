import SqueezeIR
import Testing
@testable import SqueezeFrontend

@Suite struct ModelLoaderTests {
    static func graph(weight: [Float], outputs: [String] = ["y"]) throws -> Graph {
        let attributes = Conv2DAttributes(outChannels: 2, kernel: .square(1), stride: .square(1), padding: .uniform(0), hasBias: true)
        return try ShapeInference.run(Graph(
            name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 2, 2, 1)))], outputs: outputs,
            nodes: [Node(name: "conv", op: .conv2d(attributes), inputs: ["x"], parameters: ["w", "b"], output: "y"),
                    Node(name: "relu", op: .relu, inputs: ["y"], output: "z")],
            constants: ["w": Tensor(shape: TensorShape([2, 1, 1, 1]), floats: weight), "b": Tensor(shape: TensorShape([2]), floats: [0, 0])]))
    }

    @Test func nonFiniteWeightsAreRefusedNamingFileAndLayer() throws {
        try ModelLoader.checkFinite(try Self.graph(weight: [1, 2]), file: "m.onnx")
        for bad: Float in [.nan, .infinity, -.infinity] {
            let graph = try Self.graph(weight: [1, bad])
            do {
                try ModelLoader.checkFinite(graph, file: "m.onnx")
                Issue.record("\(bad) accepted")
            } catch {
                #expect(error.kind == .input)
                #expect(error.location == SourceLocation(file: "m.onnx", node: "conv"))
                #expect(error.message.contains("weight 'w' holds \(bad) (element 1, OHWI order)"))
            }
        }
    }

    @Test func moreThanOneOutputIsRefusedInUserTerms() throws {
        try ModelLoader.checkOneOutput(try Self.graph(weight: [1, 2]), file: "m.onnx")
        let two = try Self.graph(weight: [1, 2], outputs: ["y", "z"])
        do {
            try ModelLoader.checkOneOutput(two, file: "m.onnx")
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.description == "m.onnx: the graph has 2 outputs ('y', 'z'); squeezec compiles networks with exactly one output")
        }
    }

    @Test func absurdMetaparametersAreRefusedBeforeTheWeightsAreAllocated() throws {
        for config in [SqueezeNetConfig(version: .v1_1, inputSize: 64, baseE: 100_000),
                       SqueezeNetConfig(version: .v1_1, inputSize: 64, incrE: 100_000),
                       SqueezeNetConfig(version: .v1_0, inputSize: 64, baseE: .max, incrE: .max)] {
            do {
                _ = try ModelLoader.load(config.version.rawValue, config: config)
                Issue.record("accepted \(config)")
            } catch {
                #expect(error.kind == .unsupported, "\(error)")
                #expect(error.location.node?.hasPrefix("fire") == true, "\(error)")
                #expect(error.message.contains("limit is"), "\(error)")
            }
        }
    }
}

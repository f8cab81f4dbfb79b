import Testing
@testable import SqueezeIR

@Suite struct ShapeInferenceTests {
    @Test func infersFireAndPool() throws {
        let g = try ShapeInference.run(TestGraphs.fire())
        #expect(try g.type(of: "f/squeeze").shape == .nhwc(1, 8, 8, 2))
        #expect(try g.type(of: "f/concat").shape == .nhwc(1, 8, 8, 6))
        #expect(try g.type(of: "pool").shape == .nhwc(1, 4, 4, 6))
    }

    @Test func weightMismatchNamesLayerAndBothShapes() {
        var g = TestGraphs.fire()
        g.constants["f/e3.weight"] = Tensor(shape: TensorShape([3, 3, 3, 5]), floats: Array(repeating: 0, count: 135))
        do {
            _ = try ShapeInference.run(g)
            Issue.record("expected an error")
        } catch {
            #expect(error.location.node == "f/e3")
            #expect(error.message.contains("3x3x3x5"))
            #expect(error.message.contains("1x8x8x2"))
        }
    }

    @Test func concatSpatialMismatch() {
        var g = TestGraphs.fire()
        g.nodes.insert(Node(name: "p", op: .maxPool(PoolAttributes(kernel: .square(2), stride: .square(2))), inputs: ["f/relu_e3"], output: "p"), at: 6)
        g.nodes[7].inputs = ["f/relu_e1", "p"]
        do {
            _ = try ShapeInference.run(g)
            Issue.record("expected an error")
        } catch {
            #expect(error.location.node == "f/concat")
            #expect(error.message.contains("1x8x8x3") && error.message.contains("1x4x4x3"))
        }
    }

    @Test func flattenAndGlobalPool() throws {
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 5, 5, 7)))],
                      outputs: ["f"],
                      nodes: [Node(name: "gap", op: .globalAvgPool, inputs: ["x"], output: "gap"),
                              Node(name: "f", op: .flatten, inputs: ["gap"], output: "f")],
                      constants: [:])
        let typed = try ShapeInference.run(g)
        #expect(try typed.type(of: "gap").shape == .nhwc(1, 1, 1, 7))
        #expect(try typed.type(of: "f").shape == TensorShape([1, 7]))
    }

    @Test func missingInputAndParameter() {
        var g = TestGraphs.fire()
        g.constants["f/squeeze.bias"] = nil
        #expect(throws: Diagnostic.self) { try ShapeInference.run(g) }
        g = TestGraphs.fire()
        g.nodes[0].inputs = ["nowhere"]
        #expect(throws: Diagnostic.self) { try ShapeInference.run(g) }
    }
}

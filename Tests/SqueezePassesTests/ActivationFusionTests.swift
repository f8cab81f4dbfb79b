import SqueezeIR
import Testing
@testable import SqueezePasses

@Suite struct ActivationFusionTests {
    func graph(extraReader: Bool) throws -> Graph {
        let w = Tensor(shape: TensorShape([2, 1, 1, 3]), floats: [1, -1, 0.5, -0.5, 2, 1])
        let b = Tensor(shape: TensorShape([2]), floats: [0.1, -0.1])
        var nodes = [Node(name: "c", op: .conv2d(Conv2DAttributes(outChannels: 2, kernel: .square(1))), inputs: ["x"], parameters: ["w", "b"], output: "c"),
                     Node(name: "r", op: .relu, inputs: ["c"], output: "r")]
        var outputs = ["r"]
        if extraReader {
            nodes.append(Node(name: "g", op: .globalAvgPool, inputs: ["c"], output: "g"))
            outputs.append("g")
        }
        return try ShapeInference.run(Graph(name: "a", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 2, 2, 3)))],
                                            outputs: outputs, nodes: nodes, constants: ["w": w, "b": b]))
    }

    @Test func fusesReluIntoConv() throws {
        let original = try graph(extraReader: false)
        let fused = try ActivationFusion().run(original)
        #expect(fused.nodes.count == 1)
        #expect(fused.nodes[0].output == "r")
        guard case .conv2d(let a) = fused.nodes[0].op else { Issue.record("expected conv"); return }
        #expect(a.activation == .relu)
        try PassTestSupport.expectSameValues(original, fused)
    }

    @Test func keepsReluWhenTheRawOutputIsReadElsewhere() throws {
        let original = try graph(extraReader: true)
        #expect(try ActivationFusion().run(original).nodes.count == 3)
    }
}

import SqueezeIR
import Testing
@testable import SqueezePasses

@Suite struct DropoutEliminationTests {
    @Test func rewiresReadersAndOutputs() throws {
        let g = try ShapeInference.run(Graph(
            name: "d", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 2, 2, 3)))],
            outputs: ["drop2"],
            nodes: [Node(name: "drop1", op: .dropout(ratio: 0.5), inputs: ["x"], output: "drop1"),
                    Node(name: "r", op: .relu, inputs: ["drop1"], output: "r"),
                    Node(name: "drop2", op: .dropout(ratio: 0.1), inputs: ["r"], output: "drop2")],
            constants: [:]))
        let result = try DropoutElimination().run(g)
        #expect(result.nodes.map(\.name) == ["r"])
        #expect(result.nodes[0].inputs == ["x"])
        #expect(result.outputs == ["r"])
        try GraphVerifier.verify(result)
    }
}

import SqueezeIR
import Testing
@testable import SqueezePasses

@Suite struct DeadNodeEliminationTests {
    static func graph() throws -> Graph {
        let attributes = Conv2DAttributes(outChannels: 2, kernel: .square(1), stride: .square(1), padding: .uniform(0), hasBias: true)
        return try ShapeInference.run(Graph(
            name: "d", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 2, 2, 2)))],
            outputs: ["r"],
            nodes: [Node(name: "c", op: .conv2d(attributes), inputs: ["x"], parameters: ["w", "b"], output: "c"),
                    Node(name: "r", op: .relu, inputs: ["c"], output: "r"),
                    // Dead: reads a live value, feeds only another dead node.
                    Node(name: "dead_conv", op: .conv2d(attributes), inputs: ["r"], parameters: ["wd", "b"], output: "d"),
                    Node(name: "dead_relu", op: .relu, inputs: ["d"], output: "d2")],
            constants: ["w": Tensor(shape: TensorShape([2, 1, 1, 2]), floats: [1, 0, 0, 1]),
                        "wd": Tensor(shape: TensorShape([2, 1, 1, 2]), floats: [0.5, 0, 0, 0.5]),
                        "b": Tensor(shape: TensorShape([2]), floats: [0, 0])]))
    }

    @Test func removesNodesNoOutputDependsOn() throws {
        let g = try Self.graph()
        #expect(DeadNodeElimination.deadNodes(in: g) == ["dead_conv", "dead_relu"])
        let result = try DeadNodeElimination().run(g)
        #expect(result.nodes.map(\.name) == ["c", "r"])
        // Constants only dead nodes read go too; shared ones stay.
        #expect(result.constants["wd"] == nil)
        #expect(result.constants["w"] != nil && result.constants["b"] != nil)
        #expect(result.valueTypes["d"] == nil && result.valueTypes["r"] != nil)
        try GraphVerifier.verify(result)
    }

    @Test func leavesALiveGraphUnchanged() throws {
        var g = try Self.graph()
        g.outputs = ["d2"]
        #expect(DeadNodeElimination.deadNodes(in: g).isEmpty)
        #expect(try DeadNodeElimination().run(g) == g)
    }

    @Test func aDeepDeadChainGoesInOneSweep() throws {
        var g = try Self.graph()
        for i in 0..<5000 {
            g.nodes.append(Node(name: "dead\(i)", op: .relu, inputs: [i == 0 ? "d2" : "dead\(i - 1)"], output: "dead\(i)"))
        }
        g.valueTypes = [:]
        let result = try DeadNodeElimination().run(g)
        #expect(result.nodes.map(\.name) == ["c", "r"])
    }
}

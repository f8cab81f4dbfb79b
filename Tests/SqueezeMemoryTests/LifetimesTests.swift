import SqueezeFrontend
import SqueezeIR
import Testing
@testable import SqueezeMemory

@Suite struct LifetimesTests {
    @Test func chainLifetimes() throws {
        let g = try ShapeInference.run(Graph(
            name: "chain", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 4, 4, 2)))],
            outputs: ["c"],
            nodes: [Node(name: "a", op: .relu, inputs: ["x"], output: "a"),
                    Node(name: "b", op: .relu, inputs: ["a"], output: "b"),
                    Node(name: "c", op: .globalAvgPool, inputs: ["b"], output: "c")],
            constants: [:]))
        let lifetimes = try Lifetimes.unfused(g)
        let byName = Dictionary(uniqueKeysWithValues: lifetimes.map { ($0.name, $0) })
        #expect(byName["x"] == BufferLifetime(name: "x", bytes: 128, firstUse: 0, lastUse: 0))
        #expect(byName["a"] == BufferLifetime(name: "a", bytes: 128, firstUse: 0, lastUse: 1))
        #expect(byName["c"] == BufferLifetime(name: "c", bytes: 8, firstUse: 2, lastUse: 2))
        let peak = Lifetimes.peakLiveBytes(lifetimes)
        #expect(peak.bytes == 256)
        #expect(peak.step == 0)
    }

    @Test func branchesStayLiveUntilTheirLastReader() throws {
        let g = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph
        let lifetimes = try Lifetimes.unfused(g)
        let squeeze = try #require(lifetimes.first { $0.name == "fire2/relu_squeeze1x1" })
        let expand3 = try #require(g.nodes.firstIndex { $0.name == "fire2/expand3x3" })
        #expect(squeeze.lastUse == expand3)
        #expect(lifetimes.count == g.nodes.count + 1)
    }
}

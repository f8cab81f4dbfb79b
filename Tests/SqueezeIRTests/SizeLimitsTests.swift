import Testing
@testable import SqueezeIR

@Suite struct SizeLimitsTests {
    @Test func arithmeticSaturatesInsteadOfTrapping() {
        #expect(SizeLimits.product(1 << 40, 1 << 40) == .max)
        #expect(SizeLimits.product([100_000, 100_000, 100_000, 100_000]) == .max)
        #expect(SizeLimits.product([2, 3, 4]) == 24)
        #expect(SizeLimits.sum(.max, 1) == .max)
        #expect(TensorShape([1 << 31, 1 << 31, 4]).elementCount == .max)
    }

    @Test func formatsCounts() {
        #expect(SizeLimits.formatted(22_500_000_032) == "22,500,000,032")
        #expect(SizeLimits.formatted(999) == "999")
        #expect(SizeLimits.formatted(1000) == "1,000")
    }

    @Test func refusesTensorsAndWeightsOverTheLimits() throws {
        try SizeLimits.checkTensor(elements: SizeLimits.maxElements, "value 'v'", node: "n")
        #expect(throws: Diagnostic.self) { try SizeLimits.checkTensor(elements: SizeLimits.maxElements + 1, "value 'v'", node: "n") }
        do {
            try SizeLimits.checkWeights(bytes: 22_500_000_032, node: "fire3/squeeze1x1", file: "m.onnx")
            Issue.record("not refused")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.location == SourceLocation(file: "m.onnx", node: "fire3/squeeze1x1"))
            #expect(error.description.contains("22,500,000,032 bytes"))
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: Diagnostic.self) { try SizeLimits.checkArena(bytes: SizeLimits.maxArenaBytes + 1) }
    }

    @Test func checksEveryValueOfAGraphAndNamesTheLayer() throws {
        let big = 1 << 14
        let graph = try ShapeInference.run(Graph(
            name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, big, big, 1)))], outputs: ["y"],
            nodes: [Node(name: "cat", op: .concat, inputs: ["x", "x"], output: "y")], constants: [:]))
        do {
            try SizeLimits.check(graph, file: "g.onnx")
            Issue.record("not refused")
        } catch {
            #expect(error.location.node == "cat")
            #expect(error.description.hasPrefix("g.onnx: layer 'cat': its output would have 536,870,912 elements"))
        }
    }
}

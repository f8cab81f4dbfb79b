import SqueezeIR
import Testing
@testable import SqueezeMemory

/// Graphs thousands of layers deep: no recursion over graph depth (a test
/// thread's stack is far smaller than the main thread's, so a recursive
/// simulator crashes here long before 3,000 stages).
@Suite struct DeepGraphStreamTests {
    static func chain(_ depth: Int) -> Graph {
        let attributes = Conv2DAttributes(outChannels: 1, kernel: .square(1), stride: .square(1), padding: .uniform(0), hasBias: true)
        let nodes = (0..<depth).map { i in
            Node(name: "conv\(i)", op: .conv2d(attributes), inputs: [i == 0 ? "x" : "conv\(i - 1)"], parameters: ["w", "b"], output: "conv\(i)")
        }
        return Graph(name: "deep", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 4, 4, 1)))],
                     outputs: ["conv\(depth - 1)"], nodes: nodes,
                     constants: ["w": Tensor(shape: TensorShape([1, 1, 1, 1]), floats: [1]), "b": Tensor(shape: TensorShape([1]), floats: [0])])
    }

    @Test func aChainOf3000ConvolutionsStreams() throws {
        let graph = try ShapeInference.run(Self.chain(3000))
        let schedule = try StreamSchedule(graph: graph)
        #expect(schedule.stages.count == 3000)
        // Every stage's output is read a row at a time by a 1x1 conv: one row kept, the last whole.
        #expect(schedule.ringRows["conv0"] == 1)
        #expect(schedule.ringRows["conv2999"] == 4)
    }

    @Test func theSimulatorComputesEveryRowOnceOnADeepChain() throws {
        let graph = try ShapeInference.run(Self.chain(3000))
        let decomposition = try StreamDecomposition.decompose(graph)
        let result = try RowStreamSimulator.run(decomposition.stages, shapes: decomposition.shapes, whole: ["conv2999"])
        #expect(result.productions == 3000 * 4)
    }
}

/// Rows no consumer reads are computed after the sinks (`drained`), so the
/// simulator's invariant (every row once) holds and no stage is left half done.
@Suite struct UnreadRowsStreamTests {
    @Test func aStridedWindowThatStopsShortDrainsItsProducer() throws {
        let conv = { (k: Int, s: Int) in
            Conv2DAttributes(outChannels: 1, kernel: .square(k), stride: .square(s), padding: .uniform(0), hasBias: true)
        }
        let graph = try ShapeInference.run(Graph(
            name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 8, 8, 1)))], outputs: ["b"],
            nodes: [Node(name: "a", op: .conv2d(conv(1, 1)), inputs: ["x"], parameters: ["w1", "bias"], output: "a"),
                    // 3x3/2 without padding: rows 0...6 of a's 8 are read.
                    Node(name: "b", op: .conv2d(conv(3, 2)), inputs: ["a"], parameters: ["w3", "bias"], output: "b")],
            constants: ["w1": Tensor(shape: TensorShape([1, 1, 1, 1]), floats: [1]),
                        "w3": Tensor(shape: TensorShape([1, 3, 3, 1]), floats: [Float](repeating: 1, count: 9)),
                        "bias": Tensor(shape: TensorShape([1]), floats: [0])]))
        let schedule = try StreamSchedule(graph: graph)
        #expect(schedule.stages.map(\.name) == ["a", "b"])
        #expect(schedule.drained == [0])
        let decomposition = try StreamDecomposition.decompose(graph)
        let result = try RowStreamSimulator.run(decomposition.stages, shapes: decomposition.shapes, whole: ["b"])
        #expect(result.productions == 8 + 3)
    }
}

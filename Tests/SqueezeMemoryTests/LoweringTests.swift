import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

/// The one lowering of fused nodes into row stages, which both schedules run.
@Suite struct LoweringTests {
    static let v11 = Result { try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1)) }

    func node(_ graph: Graph, _ name: String) throws -> Node {
        try #require(graph.nodes.first { $0.name == name })
    }

    func lower(_ graph: Graph, _ name: String) throws -> Lowering.Lowered {
        try #require(try Lowering.lower(try node(graph, name), in: graph))
    }

    @Test func convWithFusedMaxPoolIsOneStageWithThePoolFoldedIn() throws {
        let graph = try Self.v11.get()
        let conv1 = try lower(graph, "conv1")
        #expect(conv1.stages.map(\.name) == ["conv1"])
        let stage = conv1.stages[0]
        guard case .conv(let a) = stage.kind else { Issue.record("conv1 is \(stage.kind)"); return }
        #expect(a.pool == nil && a.activation == .relu && a.kernel == .square(3) && a.stride == .square(2))
        // 224 -> conv 3x3/2 -> 111 rows -> max pool 3x3/2 (ceil) -> 55 rows.
        #expect(stage.pool?.kernel == .square(3))
        #expect(stage.preRows == 111 && stage.rows == 55 && stage.computedRows == 111)
        let conv = try node(graph, "conv1")
        #expect(stage.inputs == [StreamInput(value: graph.inputs[0].name, kernel: 3, stride: 2, padTop: 0)])
        #expect(stage.output == conv.output)
        #expect(conv1.internalValues.map(\.value) == [Quantization.convPoint("conv1")])
        #expect(conv1.internalValues[0].role == .prePool && conv1.internalValues[0].ringRows == 3)
        #expect(conv1.shapes[Quantization.convPoint("conv1")] == .nhwc(1, 111, 111, 64))
    }

    @Test func plainConvIsOneStage() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_0, inputSize: 64, bypass: .complex))
        let bypass = try lower(graph, "fire2/bypass1x1")
        #expect(bypass.stages.count == 1 && bypass.internalValues.isEmpty)
        guard case .conv(let a) = bypass.stages[0].kind else { Issue.record("not a conv stage"); return }
        #expect(a.kernel == .square(1) && bypass.stages[0].pool == nil)
        let height = try graph.type(of: "fire2/bypass1x1").shape.h
        #expect(bypass.stages[0].rows == height)
    }

    @Test func fireIsASqueezeStageAndAnExpandStage() throws {
        let graph = try Self.v11.get()
        let fire2 = try lower(graph, "fire2")
        #expect(fire2.stages.map(\.name) == ["fire2.squeeze", "fire2.expand"])
        #expect(fire2.stages.map(\.output) == ["fire2.squeeze", "fire2/concat"])
        // The expand pair reads the squeeze rows through the 3x3 window (pad 1).
        #expect(fire2.stages[1].inputs == [StreamInput(value: "fire2.squeeze", kernel: 3, stride: 1, padTop: 1)])
        #expect(fire2.stages[1].convolutions.map(\.kernel) == [.square(1), .square(3)])
        #expect(fire2.stages[1].outputSlices == [0, 64])
        #expect(fire2.stages[0].parameters.count == 2 && fire2.stages[1].parameters.count == 4)
        #expect(fire2.internalValues.map(\.role) == [.squeeze])
        #expect(fire2.internalValues[0].ringRows == 3)
        #expect(fire2.shapes["fire2.squeeze"] == .nhwc(1, 55, 55, 16))
    }

    @Test func fireWithFusedPoolFoldsThePoolIntoTheExpandStage() throws {
        let graph = try Self.v11.get()
        let fire3 = try lower(graph, "fire3")
        let expand = fire3.stages[1]
        #expect(expand.pool != nil && expand.preRows == 55 && expand.rows == 27)
        #expect(fire3.internalValues.map(\.value) == [Quantization.squeezePoint("fire3"), Quantization.convPoint("fire3")])
        #expect(fire3.internalValues.map(\.ringRows) == [3, 3])
        #expect(fire3.shapes[Quantization.convPoint("fire3")] == .nhwc(1, 55, 55, 128))
    }

    @Test func globalAverageStagesCountInputRows() throws {
        let graph = try Self.v11.get()
        let conv10 = try lower(graph, "conv10")
        guard case .convGlobalAverage = conv10.stages[0].kind else { Issue.record("conv10 is \(conv10.stages[0].kind)"); return }
        #expect(conv10.stages[0].rows == 13 && conv10.stages[0].accumulates)
    }

    @Test func wholeTensorNodesDoNotLower() throws {
        let graph = try Self.v11.get()
        let flatten = try Lowering.lower(try node(graph, "flatten"), in: graph)
        #expect(flatten == nil)
        let stream = try StreamSchedule(graph: graph)
        #expect(stream.tail.map { graph.nodes[$0].name } == ["flatten"])
        #expect(stream.stepNames == ["stream", "flatten"])
    }

    @Test func aMaxPoolAfterABypassAddFoldsIntoTheAddStage() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 64, bypass: .simple))
        let pool = try #require(graph.nodes.first { if case .maxPool = $0.op { return true }; return false })
        let add = try #require(graph.nodes.first { $0.output == pool.inputs[0] })
        guard case .add = add.op else { Issue.record("\(pool.name) reads \(add.name), not an add"); return }
        // Lowered alone, the pool is its own stage ...
        let alone = try lower(graph, pool.name)
        #expect(alone.stages.count == 1)
        // ... but the stream folds it into the add, so the sum never exists as a ring.
        let stream = try StreamSchedule(graph: graph)
        #expect(!stream.stages.contains { $0.node.name == pool.name })
        let folded = try #require(stream.stages.first { $0.node.name == add.name })
        let sumHeight = try graph.type(of: add.output).shape.h
        #expect(folded.pool != nil && folded.output == pool.output && folded.preRows == sumHeight)
        #expect(stream.bufferOf[StreamSchedule.prePoolRow(folded)] != nil)
    }

    /// One Fire module (squeeze 4, expand 4 + 4 with a 3x3 pad 1) and a 3x3/2
    /// max pool over a 9x7x6 input, fused: ring sizes by hand.
    static func firePool() throws -> Graph {
        var k: [String: Tensor] = [:]
        let initializer = WeightInitializer(seed: 3)
        func conv(_ name: String, _ input: String, inC: Int, out: Int, kernel: Int, pad: Int = 0) -> Node {
            k[name + ".weight"] = initializer.convWeight(name: name + ".weight", outChannels: out, kernel: .square(kernel), inChannels: inC)
            k[name + ".bias"] = initializer.bias(name: name + ".bias", count: out)
            let a = Conv2DAttributes(outChannels: out, kernel: .square(kernel), padding: .uniform(pad))
            return Node(name: name, op: .conv2d(a), inputs: [input], parameters: [name + ".weight", name + ".bias"], output: name)
        }
        func relu(_ name: String, _ input: String) -> Node { Node(name: name, op: .relu, inputs: [input], output: name) }
        let nodes = [
            conv("fire/squeeze1x1", "x", inC: 6, out: 4, kernel: 1), relu("fire/relu_squeeze", "fire/squeeze1x1"),
            conv("fire/expand1x1", "fire/relu_squeeze", inC: 4, out: 4, kernel: 1), relu("fire/relu_e1", "fire/expand1x1"),
            conv("fire/expand3x3", "fire/relu_squeeze", inC: 4, out: 4, kernel: 3, pad: 1), relu("fire/relu_e3", "fire/expand3x3"),
            Node(name: "fire/concat", op: .concat, inputs: ["fire/relu_e1", "fire/relu_e3"], output: "fire/concat"),
            Node(name: "pool", op: .maxPool(PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)),
                 inputs: ["fire/concat"], output: "pool"),
        ]
        let graph = try ShapeInference.run(Graph(name: "fire_pool", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 9, 7, 6)))],
                                                 outputs: ["pool"], nodes: nodes, constants: k))
        return try PassPipeline().run(graph)
    }

    @Test func ringSizesOfASmallFireWithPoolMatchTheHandComputedFigures() throws {
        let graph = try Self.firePool()
        #expect(graph.nodes.count == 1)
        let fire = graph.nodes[0].name
        // Layer schedule: the squeeze ring keeps the 3x3 expand's 3 rows of
        // 7 x 4 floats (336 bytes); the pre-pool ring the pool's 3 rows of
        // 7 x 8 floats (672 bytes). Input and output are the caller's.
        let layer = try PlannedMemory(fused: graph, kind: .layer, scratch: NoKernelScratch())
        let step = try #require(layer.layer?.steps.first)
        #expect(step.rings.map(\.id) == [.ring(.squeeze, node: fire), .ring(.prePool, node: fire)])
        #expect(step.rings.map(\.rows) == [3, 3])
        #expect(step.scratch.map(\.bytes) == [3 * 7 * 4 * 4, 3 * 7 * 8 * 4])
        #expect(layer.plan.arenaBytes == 336 + 672)
        // Stream schedule: the squeeze ring still needs 3 rows (row r + 1 is
        // computed while row r - 1 is still read); the pool is folded, so the
        // concat rows pass through a one-row hand-off buffer (7 x 8 floats).
        let stream = try PlannedMemory(fused: graph, kind: .stream, scratch: NoKernelScratch())
        let schedule = try #require(stream.stream)
        #expect(schedule.ringRows["\(fire).squeeze"] == 3)
        #expect(Set(schedule.buffers.map(\.id)) == [.value("\(fire).squeeze"), .handoff(0)])
        #expect(schedule.buffers.map(\.bytes).sorted() == [7 * 8 * 4, 3 * 7 * 4 * 4])
        #expect(stream.plan.arenaBytes == 224 + 336)
    }
}

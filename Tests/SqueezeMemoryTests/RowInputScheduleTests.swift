import SqueezeFrontend
import SqueezeIR
import Testing
@testable import SqueezeMemory

/// `--row-input`: the stream schedule fetches the graph input a row at a
/// time into a ring in the arena, sized by the replay of the schedule and
/// placed by the planner.
@Suite struct RowInputScheduleTests {
    /// conv1 is 3x3/2 without padding on squeezenet1.1 and 7x7/2 on 1.0: its
    /// row r reads input rows 2r ... 2r + k - 1, so the ring holds k rows.
    @Test(arguments: [(SqueezeNetConfig.Version.v1_1, 3), (.v1_0, 7)])
    func theInputRingHoldsConv1sWindow(version: SqueezeNetConfig.Version, kernel: Int) throws {
        for bypass in SqueezeNetConfig.Bypass.allCases {
            let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: version, inputSize: 64, bypass: bypass))
            let input = graph.inputs[0]
            let stream = try StreamSchedule(graph: graph, rowInput: true)
            #expect(stream.inputRing == input.name)
            #expect(stream.ringRows[input.name] == kernel)
            #expect(stream.storage[input.name] == .arena)
            #expect(stream.buffer(holding: input.name) == .value(input.name))
            let ring = try #require(stream.lifetime(of: .value(input.name)))
            #expect(ring.bytes == ExecutionSchedule.rounded(kernel * 64 * 3 * 4))
            // Without row input the input stays the caller's whole image.
            let whole = try StreamSchedule(graph: graph)
            #expect(whole.inputRing == nil)
            #expect(whole.storage[input.name] == .graphInput)
            #expect(whole.ringRows[input.name] == 64)
            #expect(whole.buffers.count + 1 == stream.buffers.count)
        }
    }

    /// A 3x3/1 conv with padding 1 reads rows r - 1 ... r + 1: three rows;
    /// a 1x1 conv reads one row at a time.
    @Test func ringRowsFollowTheWindowOfTheFirstLayer() throws {
        for (kernel, rows) in [(3, 3), (1, 1), (5, 5)] {
            let a = Conv2DAttributes(outChannels: 4, kernel: .square(kernel), stride: .square(1), padding: .uniform(kernel / 2))
            var constants: [String: Tensor] = [:]
            let initializer = WeightInitializer(seed: 3)
            constants["c.weight"] = initializer.convWeight(name: "c.weight", outChannels: 4, kernel: .square(kernel), inChannels: 2)
            constants["c.bias"] = initializer.bias(name: "c.bias", count: 4)
            let graph = try ShapeInference.run(Graph(name: "one", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 9, 5, 2)))],
                                                     outputs: ["c"], nodes: [Node(name: "c", op: .conv2d(a), inputs: ["x"],
                                                                                  parameters: ["c.weight", "c.bias"], output: "c")],
                                                     constants: constants))
            let stream = try StreamSchedule(graph: graph, rowInput: true)
            #expect(stream.ringRows["x"] == rows, "kernel \(kernel)")
        }
    }

    /// The planner places the ring: everything streamed is live at once, so
    /// the arena grows by exactly the ring, and the checker proves the plan.
    @Test(arguments: [SqueezeNetConfig(version: .v1_1, inputSize: 224), SqueezeNetConfig(version: .v1_0, inputSize: 64, bypass: .complex)])
    func theArenaGrowsByTheRing(config: SqueezeNetConfig) throws {
        let graph = try BuiltInVariants.fused(config)
        let whole = try PlannedMemory(fused: graph, kind: .stream, scratch: NoKernelScratch())
        let rows = try PlannedMemory(fused: graph, kind: .stream, scratch: NoKernelScratch(), rowInput: true)
        let ring = try #require(rows.inputRing)
        #expect(whole.inputRing == nil)
        #expect(rows.plan.offset(of: .value(graph.inputs[0].name)) != nil)
        #expect(rows.plan.lowerBound == whole.plan.lowerBound + ring.bytes)
        #expect(rows.plan.arenaBytes == rows.plan.lowerBound)
        #expect(rows.plan.arenaBytes < whole.plan.arenaBytes + graph.inputs[0].type.byteCount)
    }

    @Test func theLayerScheduleRefusesRowInput() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 64))
        let error = #expect(throws: Diagnostic.self) { try PlannedMemory(fused: graph, kind: .layer, scratch: NoKernelScratch(), rowInput: true) }
        #expect(error?.message.contains("stream schedule") == true)
    }
}

import SqueezeFrontend
import SqueezeIR
import Testing
@testable import SqueezeMemory

/// Both schedules behind the `Schedule` protocol, planned by `PlannedMemory`.
@Suite struct ScheduleTests {
    struct Figure: Sendable, CustomStringConvertible {
        var config: SqueezeNetConfig
        var layer: Int
        var stream: Int

        init(_ version: SqueezeNetConfig.Version, _ size: Int, _ bypass: SqueezeNetConfig.Bypass, layer: Int, stream: Int) {
            config = SqueezeNetConfig(version: version, inputSize: size, bypass: bypass)
            self.layer = layer
            self.stream = stream
        }

        var description: String { "\(config.version) \(config.inputSize) \(config.bypass)" }
    }

    /// fp32 arena bytes (search planner) recorded with `squeezec plan --json`
    /// before the lowering, the schedules and the buffer identities were
    /// refactored (commit 0d49ad6): the refactor must not move them.
    static let recorded: [Figure] = [
        Figure(.v1_0, 224, .none, layer: 1679616, stream: 318976),
        Figure(.v1_0, 64, .none, layer: 148736, stream: 80896),
        Figure(.v1_0, 224, .simple, layer: 4478976, stream: 634880),
        Figure(.v1_0, 64, .simple, layer: 301056, stream: 161280),
        Figure(.v1_0, 224, .complex, layer: 8957952, stream: 1208576),
        Figure(.v1_0, 64, .complex, layer: 602112, stream: 310016),
        Figure(.v1_1, 224, .none, layer: 1643840, stream: 187648),
        Figure(.v1_1, 64, .none, layer: 141120, stream: 48128),
        Figure(.v1_1, 224, .simple, layer: 4646400, stream: 494848),
        Figure(.v1_1, 64, .simple, layer: 345600, stream: 124928),
        Figure(.v1_1, 224, .complex, layer: 4646400, stream: 780800),
        Figure(.v1_1, 64, .complex, layer: 345600, stream: 195840),
    ]

    @Test(arguments: recorded)
    func bothSchedulesKeepTheirRecordedArenas(_ figure: Figure) throws {
        let graph = try BuiltInVariants.fused(figure.config)
        let layer = try PlannedMemory(fused: graph, kind: .layer, scratch: NoKernelScratch())
        let stream = try PlannedMemory(fused: graph, kind: .stream, scratch: NoKernelScratch())
        #expect(layer.plan.arenaBytes == figure.layer)
        #expect(stream.plan.arenaBytes == figure.stream)
        // Only the schedule asked for is built.
        #expect(layer.kind == .layer && layer.layer != nil && layer.stream == nil)
        #expect(stream.kind == .stream && stream.stream != nil && stream.layer == nil)
        #expect(stream.allowances.isEmpty)
        #expect(layer.stepNames == layer.graph.nodes.map(\.name))
        #expect(stream.stepNames.first == "stream")
    }

    @Test func theLayerStepsRunTheSameStagesTheStreamChains() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 64))
        let layer = try ExecutionSchedule(graph: graph)
        let stream = try StreamSchedule(graph: graph)
        // Without bypasses no standalone pool is folded: the stream's stages
        // are exactly the layer steps' stages, in order.
        #expect(layer.steps.flatMap(\.stages) == stream.stages)
        #expect(try layer.kernelStages().map(\.stage) == stream.stages)
        #expect(try stream.kernelStages().allSatisfy { $0.step == 0 && $0.inputShapes.count == $0.stage.inputs.count })
    }

    /// Asks for 100 bytes during every convolution stage's step and 40 bytes
    /// for the whole inference per global average.
    struct FakeProvider: KernelScratchProvider {
        var alignment = 8

        func scratch(for stage: StreamStage, inputShapes: [TensorShape]) throws(Diagnostic) -> [ScratchRequest] {
            let kind = KernelScratchKind(library: "fake", role: .im2col)
            switch stage.kind {
            case .conv, .fireExpand:
                return [ScratchRequest(id: .kernelScratch(kind), bytes: 100, alignment: alignment, lifetime: .step)]
            case .convGlobalAverage:
                let sums = KernelScratchKind(library: "fake", role: .globalAverageSums(node: stage.node.name))
                return [ScratchRequest(id: .kernelScratch(sums), bytes: 40, alignment: alignment, lifetime: .inference)]
            case .maxPool, .avgPool, .globalAverage, .add, .relu, .concat, .copy, .activation, .affine, .pad:
                return []
            }
        }
    }

    @Test func kernelScratchRequestsMergeIntoBuffers() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 64))
        let memory = try PlannedMemory(fused: graph, kind: .layer, scratch: FakeProvider())
        let layer = try #require(memory.layer)
        let convSteps = layer.steps.filter { step in step.stages.contains { !$0.convolutions.isEmpty && !$0.accumulates } }.map(\.index)
        let im2col = BufferID.kernelScratch(KernelScratchKind(library: "fake", role: .im2col))
        let sums = BufferID.kernelScratch(KernelScratchKind(library: "fake", role: .globalAverageSums(node: "conv10")))
        // Whole-inference scratch lives until the last step any arena buffer is used.
        let last = try #require(layer.buffers.map(\.lastUse).max())
        #expect(memory.kernelScratch.buffers == [
            BufferLifetime(id: sums, bytes: 48, firstUse: 0, lastUse: last),
            BufferLifetime(id: im2col, bytes: 112, firstUse: convSteps.min()!, lastUse: convSteps.max()!),
        ])
        #expect(memory.kernelScratch.byNode["conv10"] == [sums])
        #expect(memory.kernelScratch.byNode["fire2"] == [im2col])
        #expect(memory.buffers.count == layer.buffers.count + 2)
        #expect(memory.plan.offset(of: im2col) != nil && memory.plan.offset(of: sums) != nil)
    }

    @Test func scratchNeedingMoreThanTheArenaAlignmentIsRefused() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 64))
        #expect(throws: Diagnostic.self) {
            _ = try PlannedMemory(fused: graph, kind: .stream, scratch: FakeProvider(alignment: 64))
        }
    }
}

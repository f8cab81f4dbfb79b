import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import Testing
@testable import SqueezeCodegen

/// The int8 kernels' scratch requests (the formula of SQ_S8_SCRATCH_BYTES
/// in Templates/sq_kernels_s8.h lives with the kernel library, not in memory planning).
@Suite struct S8KernelScratchTests {
    @Test func im2colBytesFollowTheKernelsFormula() {
        // 3x3 over 3 channels: K = 27 -> K4 = 28 int16 of two pixels (4 * 28 bytes)
        // plus K4 bytes of staging because 3 is not a multiple of 4.
        #expect(S8KernelScratch.im2colBytes(kernel: .square(3), inputChannels: 3) == 28 * 5)
        // 1x1 over 64 channels: K4 = 64, no staging.
        #expect(S8KernelScratch.im2colBytes(kernel: .square(1), inputChannels: 64) == 64 * 4)
    }

    @Test func stagesRequestWhatTheirKernelsUse() throws {
        let graph = try PassPipeline().run(try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph)
        let stream = try StreamSchedule(graph: graph)
        let provider = S8KernelScratch()
        var byStage: [String: [ScratchRequest]] = [:]
        for scheduled in try stream.kernelStages() {
            byStage[scheduled.stage.name] = try provider.scratch(for: scheduled.stage, inputShapes: scheduled.inputShapes)
        }
        let conv1 = try #require(byStage["conv1"])
        #expect(conv1.map(\.id) == [S8KernelScratch.im2col])
        #expect(conv1[0].bytes == 28 * 5 && conv1[0].lifetime == .inference)
        // The expand pair: 1x1 and 3x3 over the 16 squeeze channels.
        let expand = try #require(byStage["fire2.expand"])
        #expect(expand.map(\.bytes) == [16 * 4, 144 * 4])
        let conv10 = try #require(byStage["conv10"])
        #expect(conv10.map(\.id) == [S8KernelScratch.im2col, S8KernelScratch.sums("conv10")])
        #expect(conv10[1].bytes == 4 * 1000)
        #expect(S8KernelScratch.sums("conv10").description == "int8.gap.conv10")
        #expect(S8KernelScratch.im2col.description == "int8.im2col")
    }

    @Test func planningMergesTheRequestsIntoOneIm2colForTheLargestConvolution() throws {
        let graph = try PassPipeline().run(try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph)
        for kind in ScheduleKind.allCases {
            let memory = try PlannedMemory(fused: graph, kind: kind, scratch: S8KernelScratch())
            let im2col = try #require(memory.kernelScratch.buffers.first { $0.id == S8KernelScratch.im2col })
            // fire9's 3x3 expand over 64 squeeze channels: 576 int16 of two pixels.
            #expect(im2col.bytes == 576 * 4)
            #expect(memory.kernelScratch.buffers.map(\.name) == ["int8.gap.conv10", "int8.im2col"])
            #expect(memory.kernelScratch.byNode["fire9"] == [S8KernelScratch.im2col])
        }
    }
}

import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

@Suite struct ExecutionScheduleTests {
    @Test func fusedStepsGetRowRings() throws {
        let graph = try PassPipeline().run(try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1)).graph)
        let schedule = try ExecutionSchedule(graph: graph)
        let conv1 = schedule.steps[0]
        // conv1 output rows 111 wide x 64 channels, 3 rows for the 3x3 pool.
        #expect(conv1.scratch.map(\.name) == ["conv1.prepool_rows"])
        #expect(conv1.scratch[0].bytes == 3 * 111 * 64 * 4)
        let fire3 = try #require(schedule.steps.first { $0.node.name == "fire3" })
        #expect(fire3.scratch.map(\.name) == ["fire3.squeeze_rows", "fire3.prepool_rows"])
        #expect(fire3.scratch[0].bytes == 3 * 55 * 16 * 4)
        #expect(fire3.scratch[1].bytes == 3 * 55 * 128 * 4)
        let conv10 = try #require(schedule.steps.first { $0.node.name == "conv10" })
        #expect(conv10.scratch.isEmpty)
        #expect(schedule.storage["flatten"] == .alias(of: "pool10"))
    }

    @Test func fusionShrinksTheArenaFarBelowTheNaiveSchedule() throws {
        let original = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1)).graph
        let naive = Lifetimes.peakLiveBytes(try Lifetimes.unfused(original)).bytes
        let schedule = try ExecutionSchedule(graph: try PassPipeline().run(original))
        let plan = GreedyBySizePlanner().plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
        #expect(plan.arenaBytes * 2 < naive)
    }
}

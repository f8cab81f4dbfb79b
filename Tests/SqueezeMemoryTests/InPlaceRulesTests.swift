import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

@Suite struct InPlaceRulesTests {
    func schedule(_ config: SqueezeNetConfig) throws -> ExecutionSchedule {
        try ExecutionSchedule(graph: try PassPipeline().run(try SqueezeNetBuilder.build(config).graph))
    }

    @Test func fireOutputsMayOverlapTheInputRowsTheyNoLongerNeed() throws {
        let s = try schedule(SqueezeNetConfig(version: .v1_1))
        let allowances = try InPlaceRules.allowances(s)
        // Every Fire module whose input dies at it; never conv1 (the input is the caller's) or conv10.
        #expect(allowances.map(\.output) == ["fire2/concat", "pool3", "fire4/concat", "pool5", "fire6/concat", "fire7/concat",
                                             "fire8/concat", "fire9/concat"])
        // fire2: 55 rows of 55x128 floats over 55 rows of 55x64; row r is written once input rows <= r + 1
        // are read: gap = max_r (r + 1) * 28160 - (r + 2) * 14080 over r + 2 < 55, at r = 52.
        let fire2 = try #require(allowances.first { $0.output == "fire2/concat" })
        #expect(fire2.minimumGap == 53 * 28160 - 54 * 14080)
    }

    @Test func inPlacePlansShrinkTheLayerArenaAndPassTheChecker() throws {
        for config in [SqueezeNetConfig(version: .v1_0), SqueezeNetConfig(version: .v1_1), SqueezeNetConfig(version: .v1_1, bypass: .simple)] {
            let s = try schedule(config)
            let allowances = try InPlaceRules.allowances(s)
            let plain = SearchPlanner().plan(s.buffers, alignment: ExecutionSchedule.alignment)
            let inPlace = SearchPlanner().plan(s.buffers, allowances: allowances, alignment: ExecutionSchedule.alignment)
            try PlanChecker.check(inPlace, s.buffers, allowances: allowances, alignment: ExecutionSchedule.alignment)
            #expect(inPlace.arenaBytes <= plain.arenaBytes)
            if config.bypass == .none { #expect(inPlace.arenaBytes * 10 < plain.arenaBytes * 8, "\(config.version)") }
            // Without the allowances the same plan must be rejected whenever it overlaps anything.
            if inPlace.arenaBytes < plain.lowerBound {
                #expect(throws: Diagnostic.self) { try PlanChecker.check(inPlace, s.buffers, alignment: ExecutionSchedule.alignment) }
            }
        }
    }
}

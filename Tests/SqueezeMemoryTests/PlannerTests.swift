import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

@Suite struct PlannerTests {
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    func randomBuffers(_ random: inout Random, count: Int) -> [BufferLifetime] {
        (0..<count).map { i in
            let start = random.next(20)
            return BufferLifetime(name: "b\(i)", bytes: 16 * (1 + random.next(64)), firstUse: start, lastUse: start + random.next(6))
        }
    }

    @Test func greedyPlansPassTheCheckerOnRandomLifetimes() throws {
        var random = Random(state: 42)
        for _ in 0..<500 {
            let buffers = randomBuffers(&random, count: 1 + random.next(30))
            let plan = GreedyBySizePlanner().plan(buffers, alignment: 16)
            try PlanChecker.check(plan, buffers, alignment: 16)
            #expect(plan.arenaBytes >= plan.lowerBound)
            #expect(plan.arenaBytes <= buffers.reduce(0) { $0 + $1.bytes })
        }
    }

    @Test func checkerCatchesOverlapsMisalignmentAndOverflow() {
        let a = BufferLifetime(name: "a", bytes: 64, firstUse: 0, lastUse: 2)
        let b = BufferLifetime(name: "b", bytes: 64, firstUse: 2, lastUse: 3)
        let c = BufferLifetime(name: "c", bytes: 64, firstUse: 3, lastUse: 4)
        let good = ArenaPlan(strategy: "t", offsets: ["a": 0, "b": 64, "c": 0], arenaBytes: 128, lowerBound: 128)
        #expect(throws: Never.self) { try PlanChecker.check(good, [a, b, c], alignment: 16) }
        var overlap = good
        overlap.offsets["b"] = 32
        #expect(throws: Diagnostic.self) { try PlanChecker.check(overlap, [a, b, c], alignment: 16) }
        var misaligned = good
        misaligned.offsets["c"] = 8
        #expect(throws: Diagnostic.self) { try PlanChecker.check(misaligned, [a, b, c], alignment: 16) }
        var small = good
        small.arenaBytes = 100
        #expect(throws: Diagnostic.self) { try PlanChecker.check(small, [a, b, c], alignment: 16) }
        var missing = good
        missing.offsets["a"] = nil
        #expect(throws: Diagnostic.self) { try PlanChecker.check(missing, [a, b, c], alignment: 16) }
    }

    @Test func tiesAreBrokenByNameSoPlansAreDeterministic() {
        let buffers = (0..<6).map { BufferLifetime(name: "t\($0)", bytes: 32, firstUse: 0, lastUse: 1) }
        let forward = GreedyBySizePlanner().plan(buffers, alignment: 16)
        let backward = GreedyBySizePlanner().plan(buffers.reversed(), alignment: 16)
        #expect(forward == backward)
        #expect(forward.offsets["t0"] == 0 && forward.offsets["t5"] == 160)
    }

    @Test(arguments: SqueezeNetConfig.Version.allCases, SqueezeNetConfig.Bypass.allCases)
    func builtInModelsPlanSafely(version: SqueezeNetConfig.Version, bypass: SqueezeNetConfig.Bypass) throws {
        let graph = try PassPipeline().run(try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, bypass: bypass)).graph)
        let schedule = try ExecutionSchedule(graph: graph)
        let plan = GreedyBySizePlanner().plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
        try PlanChecker.check(plan, schedule.buffers, alignment: ExecutionSchedule.alignment)
        // The input image and the logits are the caller's buffers, never in the arena.
        #expect(schedule.storage["data"] == .graphInput)
        #expect(schedule.resolve("flatten").storage == .graphOutput)
        #expect(!schedule.buffers.contains { $0.name == "data" || $0.name == "pool10" })
    }
}

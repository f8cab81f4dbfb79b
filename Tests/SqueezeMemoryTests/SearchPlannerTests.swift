import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

@Suite struct SearchPlannerTests {
    @Test(arguments: BuiltInVariants.all)
    func reachesTheLowerBoundOnEveryBuiltInModel(config: SqueezeNetConfig) throws {
        let graph = try BuiltInVariants.fused(config)
        for ordered in [graph, try ExecutionOrder.best(graph)] {
            let schedule = try ExecutionSchedule(graph: ordered)
            let plan = SearchPlanner().plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
            try PlanChecker.check(plan, schedule.buffers, alignment: ExecutionSchedule.alignment)
            #expect(plan.strategy == "search")
            #expect(plan.lowerBound == Lifetimes.peakLiveBytes(schedule.buffers).bytes)
            #expect(plan.arenaBytes == plan.lowerBound)
        }
    }

    @Test func plansSqueezeNetWellUnderATenthOfASecond() throws {
        let clock = ContinuousClock()
        for config in BuiltInVariants.all {
            let schedule = try ExecutionSchedule(graph: try BuiltInVariants.fused(config))
            let elapsed = clock.measure {
                _ = SearchPlanner().plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
            }
            #expect(elapsed < .milliseconds(100), "\(config.version) \(config.bypass) \(config.inputSize): \(elapsed)")
        }
    }

    /// Nine buffers where largest-first greedy leaves a hole: 2,448 bytes
    /// against a bound of 2,160, which the search reaches.
    @Test func reachesTheBoundWhereGreedyBySizeDoesNot() throws {
        let specs = [("b0", 448, 10, 15), ("b1", 560, 4, 9), ("b2", 880, 17, 22), ("b3", 32, 8, 8), ("b4", 368, 12, 15),
                     ("b5", 432, 12, 17), ("b6", 608, 12, 15), ("b7", 304, 12, 17), ("b8", 464, 17, 21)]
        let buffers = specs.map { BufferLifetime(name: $0.0, bytes: $0.1, firstUse: $0.2, lastUse: $0.3) }
        let greedy = GreedyBySizePlanner().plan(buffers, alignment: 16)
        let search = SearchPlanner().plan(buffers, alignment: 16)
        try PlanChecker.check(search, buffers, alignment: 16)
        #expect(greedy.arenaBytes == 2448)
        #expect(search.lowerBound == 2160)
        #expect(search.arenaBytes == 2160)
        // The exact search alone gets there too.
        let exact = SearchPlanner(iterations: 0).plan(buffers, alignment: 16)
        #expect(exact.arenaBytes == 2160)
    }

    @Test func alwaysSafeAndNeverWorseThanGreedyBySize() throws {
        var random = LifetimeGenerator(state: 2024)
        var improved = 0
        for _ in 0..<150 {
            let buffers = random.buffers(count: 1 + random.next(36))
            let greedy = GreedyBySizePlanner().plan(buffers, alignment: 16)
            let search = SearchPlanner(iterations: 400).plan(buffers, alignment: 16)
            try PlanChecker.check(search, buffers, alignment: 16)
            #expect(search.lowerBound == greedy.lowerBound)
            #expect(search.arenaBytes >= search.lowerBound)
            #expect(search.arenaBytes <= greedy.arenaBytes)
            if search.arenaBytes < greedy.arenaBytes { improved += 1 }
        }
        #expect(improved > 20)
    }

    @Test func oddSizesAndLargeAlignment() throws {
        var random = LifetimeGenerator(state: 99)
        for _ in 0..<60 {
            let buffers = random.buffers(count: 1 + random.next(20), granule: 7)
            for alignment in [1, 8, 64] {
                let plan = SearchPlanner(iterations: 200).plan(buffers, alignment: alignment)
                try PlanChecker.check(plan, buffers, alignment: alignment)
                #expect(plan.arenaBytes % alignment == 0)
            }
        }
    }

    /// Without allowances, an optimal plan is some order placed first-fit;
    /// compare with all orders of small problems.
    @Test func exactOnSmallProblems() throws {
        var random = LifetimeGenerator(state: 5)
        for _ in 0..<60 {
            let buffers = random.buffers(count: 2 + random.next(5), steps: 6, longest: 4)
            let best = Self.bruteForce(buffers, alignment: 16)
            let plan = SearchPlanner(iterations: 0).plan(buffers, alignment: 16)
            try PlanChecker.check(plan, buffers, alignment: 16)
            #expect(plan.arenaBytes == best)
        }
    }

    @Test func deterministicAndIndependentOfInputOrder() throws {
        var random = LifetimeGenerator(state: 77)
        for _ in 0..<40 {
            let buffers = random.buffers(count: 10 + random.next(25))
            let plan = SearchPlanner(iterations: 300).plan(buffers, alignment: 16)
            #expect(SearchPlanner(iterations: 300).plan(buffers, alignment: 16) == plan)
            #expect(SearchPlanner(iterations: 300).plan(buffers.reversed(), alignment: 16) == plan)
            var shuffled = buffers
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, random.next(i + 1)) }
            #expect(SearchPlanner(iterations: 300).plan(shuffled, alignment: 16) == plan)
        }
    }

    @Test func emptyZeroSizedAndSingleBuffers() throws {
        let empty = SearchPlanner().plan([], alignment: 16)
        #expect(empty.arenaBytes == 0 && empty.offsets.isEmpty)
        let buffers = [BufferLifetime(name: "z", bytes: 0, firstUse: 0, lastUse: 3),
                       BufferLifetime(name: "a", bytes: 40, firstUse: 1, lastUse: 2)]
        let plan = SearchPlanner().plan(buffers, alignment: 16)
        try PlanChecker.check(plan, buffers, alignment: 16)
        #expect(plan.offsets == ["z": 0, "a": 0])
        #expect(plan.arenaBytes == 48)
    }

    @Test func usableThroughTheProtocol() throws {
        let planners: [any ArenaPlanner] = [GreedyBySizePlanner(), SearchPlanner()]
        let schedule = try ExecutionSchedule(graph: try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 64)))
        for planner in planners {
            let plan = planner.plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
            try PlanChecker.check(plan, schedule.buffers, alignment: ExecutionSchedule.alignment)
            #expect(plan.strategy == planner.name)
        }
    }

    /// The least arena over all placement orders, each placed at the lowest
    /// aligned offset clear of the placed buffers it meets in time.
    static func bruteForce(_ buffers: [BufferLifetime], alignment: Int) -> Int {
        func up(_ x: Int) -> Int { (x + alignment - 1) / alignment * alignment }
        var best = Int.max
        var placed: [(BufferLifetime, Int)] = []
        var used = [Bool](repeating: false, count: buffers.count)
        func visit() {
            if placed.count == buffers.count {
                best = min(best, up(placed.map { $0.1 + $0.0.bytes }.max() ?? 0))
                return
            }
            for (i, buffer) in buffers.enumerated() where !used[i] {
                let clashes = placed.filter { $0.0.overlapsInTime(buffer) }
                let candidates = ([0] + clashes.map { up($0.1 + $0.0.bytes) }).sorted()
                let offset = candidates.first { c in clashes.allSatisfy { c + buffer.bytes <= $0.1 || c >= $0.1 + $0.0.bytes } }!
                used[i] = true
                placed.append((buffer, offset))
                visit()
                placed.removeLast()
                used[i] = false
            }
        }
        visit()
        return best
    }
}

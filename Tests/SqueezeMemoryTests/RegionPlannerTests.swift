import Testing
import SqueezeFrontend
import SqueezeIR
@testable import SqueezeMemory

/// The arena split over RAM regions (issue 14: DTCM + SRAM).
@Suite struct RegionPlannerTests {
    static func fp32Stream() throws -> PlannedMemory {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1, inputSize: 224, bypass: .none))
        return try PlannedMemory(fused: graph, kind: .stream, scratch: NoKernelScratch())
    }

    @Test func anArenaThatFitsTheFirstRegionStaysWhole() throws {
        let memory = try Self.fp32Stream()
        let plan = try RegionPlanner(regions: [ArenaRegion(name: "DTCM", capacity: 512 << 10), ArenaRegion(name: "SRAM", capacity: 1 << 20)])
            .plan(memory.buffers, allowances: memory.allowances, alignment: 16)
        #expect(plan.arenaBytes == memory.plan.arenaBytes)
        #expect(plan.regions == [ArenaPlan.RegionUse(name: "DTCM", bytes: memory.plan.arenaBytes)])
        #expect(plan.placements.values.allSatisfy { $0.region == 0 })
        try PlanChecker.check(plan, memory.buffers, allowances: memory.allowances, alignment: 16)
    }

    /// squeezenet1.1 fp32 streaming (183 KiB of arena) over 112 KiB of DTCM
    /// (128 KiB less a 16 KiB stack) and 128 KiB of SRAM: neither holds it
    /// alone, the small hot rings go to DTCM, the checker accepts the split.
    @Test func squeezeNetFp32StreamSplitsOverDTCMAndSRAM() throws {
        let memory = try Self.fp32Stream()
        #expect(memory.plan.arenaBytes > 128 << 10)
        let regions = [ArenaRegion(name: "DTCM", capacity: 112 << 10), ArenaRegion(name: "SRAM", capacity: 128 << 10)]
        let plan = try RegionPlanner(regions: regions).plan(memory.buffers, allowances: memory.allowances, alignment: 16)
        try PlanChecker.check(plan, memory.buffers, allowances: memory.allowances, alignment: 16)
        #expect(plan.regions.map(\.name) == ["DTCM", "SRAM"])
        #expect(zip(plan.regions, regions).allSatisfy { $0.bytes <= $1.capacity && $0.bytes > 0 })
        #expect(plan.arenaBytes == plan.regions[0].bytes + plan.regions[1].bytes)
        // Every squeeze ring (the smallest, most reused buffers) is in DTCM.
        for buffer in memory.buffers where buffer.name.hasSuffix(".squeeze") {
            #expect(plan.placement(of: buffer.id)?.region == 0, "\(buffer.name)")
        }
        #expect(try RegionPlanner(regions: regions).plan(memory.buffers, allowances: memory.allowances, alignment: 16) == plan)
    }

    @Test func regionsTooSmallAreRefusedWithTheNumbers() throws {
        let memory = try Self.fp32Stream()
        let regions = [ArenaRegion(name: "DTCM", capacity: 64 << 10), ArenaRegion(name: "SRAM", capacity: 64 << 10)]
        do {
            _ = try RegionPlanner(regions: regions).plan(memory.buffers, allowances: memory.allowances, alignment: 16)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("DTCM 65536, SRAM 65536"))
            #expect(error.message.contains("left over"))
        }
    }

    @Test func theCheckerRejectsABufferOutsideItsRegion() throws {
        let a = BufferLifetime(name: "a", bytes: 64, firstUse: 0, lastUse: 1)
        let b = BufferLifetime(name: "b", bytes: 64, firstUse: 0, lastUse: 1)
        // Same offset, different regions: fine.
        var plan = ArenaPlan(strategy: "t", placements: ["a": Placement(offset: 0, region: 0), "b": Placement(offset: 0, region: 1)],
                             arenaBytes: 128, lowerBound: 128,
                             regions: [ArenaPlan.RegionUse(name: "X", bytes: 64), ArenaPlan.RegionUse(name: "Y", bytes: 64)])
        try PlanChecker.check(plan, [a, b], alignment: 16)
        // Same region: they overlap while both are live.
        plan.placements["b"] = Placement(offset: 0, region: 0)
        #expect(throws: Diagnostic.self) { try PlanChecker.check(plan, [a, b], alignment: 16) }
        // Past its region's end.
        plan.placements["b"] = Placement(offset: 16, region: 1)
        #expect(throws: Diagnostic.self) { try PlanChecker.check(plan, [a, b], alignment: 16) }
    }
}

/// The generated stream C nests one call per chained stage (SizeLimits.maxStreamedChain).
@Suite struct StreamChainTests {
    @Test(arguments: BuiltInVariants.all.filter { $0.inputSize == 64 })
    func theBuiltInNetworksChainFarBelowTheLimit(config: SqueezeNetConfig) throws {
        let stream = try StreamSchedule(graph: try ExecutionOrder.best(try BuiltInVariants.fused(config)))
        let chain = stream.longestChain
        #expect(chain.length >= 10 && chain.length <= 26, "\(config.version) \(config.bypass): \(chain.length)")
        #expect(chain.length <= SizeLimits.maxStreamedChain)
    }
}

import SqueezeIR
import Testing
@testable import SqueezeMemory

@Suite struct RowOverlapTests {
    @Test func elementwiseWithEqualRowsIsFullyInPlace() {
        let gap = RowOverlap.minimumGap(outputRows: 10, outputRowBytes: 64, inputRows: 10, inputRowBytes: 64,
                                        firstLiveInputRow: { $0 + 1 })
        #expect(gap == 0)
    }

    /// Output rows twice the input rows, input row r + 2 still needed after
    /// output row r: the gap is the largest (r + 1) * 2B - (r + 2) * B = r * B
    /// over rows with r + 2 < H, i.e. (H - 3) * B. H = 8, B = 100:
    /// r = 5 gives 6 * 200 - 7 * 100 = 500.
    @Test func fireModuleDoublingItsChannels() {
        let gap = RowOverlap.minimumGap(outputRows: 8, outputRowBytes: 200, inputRows: 8, inputRowBytes: 100,
                                        firstLiveInputRow: { $0 + 2 })
        #expect(gap == 500)
        // SqueezeNet 1.1 fire4: 27 rows, 27 x 128 fp32 in, 27 x 256 out.
        let fire4 = RowOverlap.minimumGap(outputRows: 27, outputRowBytes: 27 * 256 * 4, inputRows: 27, inputRowBytes: 27 * 128 * 4,
                                          firstLiveInputRow: { $0 + 2 })
        #expect(fire4 == 24 * 27 * 128 * 4)
    }

    /// A 3x3, pad 1 convolution writing each output row as it reads rows
    /// r - 1 ... r + 1: while row r is written, row r - 1 is still needed
    /// (row 0: row 0). Row 0 gives B, every later row (r + 1 - (r - 1)) B = 2B.
    @Test func convolutionWritingAsItReads() {
        let gap = RowOverlap.minimumGap(outputRows: 5, outputRowBytes: 48, inputRows: 5, inputRowBytes: 48,
                                        firstLiveInputRow: { $0 - 1 })
        #expect(gap == 96)
    }

    @Test func shrinkingOutputsNeedNoGap() {
        // 2x2 stride 2 pooling: half the rows, half the row bytes; rows 2r, 2r + 1 read for row r.
        let gap = RowOverlap.minimumGap(outputRows: 4, outputRowBytes: 32, inputRows: 8, inputRowBytes: 64,
                                        firstLiveInputRow: { 2 * $0 + 2 })
        #expect(gap == 0)
        // Rows whose remaining input is all consumed do not count.
        #expect(RowOverlap.minimumGap(outputRows: 3, outputRowBytes: 1000, inputRows: 3, inputRowBytes: 1,
                                      firstLiveInputRow: { _ in 3 }) == 0)
        #expect(RowOverlap.minimumGap(outputRows: 0, outputRowBytes: 10, inputRows: 3, inputRowBytes: 10,
                                      firstLiveInputRow: { $0 }) == 0)
    }
}

@Suite struct OverlapCheckerTests {
    let input = BufferLifetime(name: "in", bytes: 64, firstUse: 0, lastUse: 1)
    let output = BufferLifetime(name: "out", bytes: 64, firstUse: 1, lastUse: 2)

    func plan(_ offsets: [BufferID: Int], arena: Int) -> ArenaPlan {
        ArenaPlan(strategy: "hand", offsets: offsets, arenaBytes: arena, lowerBound: 0)
    }

    func reason(_ plan: ArenaPlan, _ buffers: [BufferLifetime], _ allowances: [OverlapAllowance]) -> String? {
        do {
            try PlanChecker.check(plan, buffers, allowances: allowances, alignment: 16)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func anAllowanceMakesInPlaceLegal() {
        let inPlace = plan(["in": 0, "out": 0], arena: 64)
        let allowance = OverlapAllowance(output: "out", input: "in", minimumGap: 0)
        #expect(reason(inPlace, [input, output], [allowance]) == nil)
        // The old check, and the new one without allowances, reject it.
        #expect(throws: Diagnostic.self) { try PlanChecker.check(inPlace, [input, output], alignment: 16) }
        #expect(reason(inPlace, [input, output], [])?.contains("no overlap allowance") == true)
    }

    @Test func onlyTheNamedDirectionCounts() {
        let inPlace = plan(["in": 0, "out": 0], arena: 64)
        let reversed = OverlapAllowance(output: "in", input: "out", minimumGap: 0)
        #expect(reason(inPlace, [input, output], [reversed]) != nil)
        let stranger = BufferLifetime(name: "other", bytes: 64, firstUse: 1, lastUse: 1)
        let withStranger = plan(["in": 0, "out": 0, "other": 0], arena: 64)
        let message = reason(withStranger, [input, output, stranger], [OverlapAllowance(output: "out", input: "in", minimumGap: 0)])
        #expect(message?.contains("'other'") == true)
    }

    @Test func theInputMustDieWhereTheOutputIsBorn() {
        let lingering = BufferLifetime(name: "in", bytes: 64, firstUse: 0, lastUse: 2)
        let inPlace = plan(["in": 0, "out": 0], arena: 64)
        let message = reason(inPlace, [lingering, output], [OverlapAllowance(output: "out", input: "in", minimumGap: 0)])
        #expect(message?.contains("last use (step 2)") == true)
    }

    @Test func theGapIsEnforced() {
        let allowance = OverlapAllowance(output: "out", input: "in", minimumGap: 32)
        #expect(reason(plan(["in": 0, "out": 0], arena: 64), [input, output], [allowance])?.contains("at least 32 bytes below") == true)
        #expect(reason(plan(["in": 32, "out": 0], arena: 96), [input, output], [allowance]) == nil)
        #expect(reason(plan(["in": 48, "out": 0], arena: 112), [input, output], [allowance]) == nil)
        // The output above its input is never covered by a non-negative gap.
        let zero = OverlapAllowance(output: "out", input: "in", minimumGap: 0)
        #expect(reason(plan(["in": 0, "out": 16], arena: 80), [input, output], [zero]) != nil)
        // Several allowances for one pair: the largest gap rules.
        #expect(reason(plan(["in": 16, "out": 0], arena: 80), [input, output], [zero, allowance]) != nil)
    }

    @Test func otherRulesStillApply() {
        let allowance = OverlapAllowance(output: "out", input: "in", minimumGap: 0)
        #expect(reason(plan(["in": 8, "out": 8], arena: 80), [input, output], [allowance])?.contains("aligned") == true)
        #expect(reason(plan(["in": 0, "out": 0], arena: 48), [input, output], [allowance])?.contains("exceeds") == true)
        #expect(reason(plan(["in": 0], arena: 64), [input, output], [allowance])?.contains("no offset") == true)
    }

    @Test func lowerBoundCountsWhatAllowancesShare() {
        // Fire-like: 8 rows of 96 bytes in, 8 rows of 192 out, gap 5 * 96.
        let gap = RowOverlap.minimumGap(outputRows: 8, outputRowBytes: 192, inputRows: 8, inputRowBytes: 96,
                                        firstLiveInputRow: { $0 + 2 })
        #expect(gap == 480)
        let buffers = [BufferLifetime(name: "in", bytes: 768, firstUse: 0, lastUse: 1),
                       BufferLifetime(name: "out", bytes: 1536, firstUse: 1, lastUse: 2),
                       BufferLifetime(name: "side", bytes: 256, firstUse: 0, lastUse: 0)]
        let allowances = [OverlapAllowance(output: "out", input: "in", minimumGap: gap)]
        #expect(Lifetimes.peakLiveBytes(buffers).bytes == 2304)
        #expect(Lifetimes.peakLiveBytes(buffers, allowances: allowances).bytes == 1536)
        let plan = SearchPlanner().plan(buffers, allowances: allowances, alignment: 16)
        #expect(plan.lowerBound == 1536)
        #expect(plan.arenaBytes == 1536)
        #expect(plan.offsets["in"]! - plan.offsets["out"]! >= gap)
        #expect(throws: Never.self) { try PlanChecker.check(plan, buffers, allowances: allowances, alignment: 16) }
        #expect(throws: Diagnostic.self) { try PlanChecker.check(plan, buffers, alignment: 16) }
    }
}

@Suite struct AllowancePlanningTests {
    /// x -> relu -> relu -> relu: in place, one buffer's worth of arena.
    @Test func elementwiseChainRunsInPlace() throws {
        let buffers = (0..<4).map { BufferLifetime(name: "v\($0)", bytes: 1024, firstUse: $0, lastUse: $0 + 1) }
        let allowances = (1..<4).map { OverlapAllowance(output: .value("v\($0)"), input: .value("v\($0 - 1)"), minimumGap: 0) }
        let search = SearchPlanner().plan(buffers, allowances: allowances, alignment: 16)
        try PlanChecker.check(search, buffers, allowances: allowances, alignment: 16)
        #expect(search.arenaBytes == 1024)
        #expect(search.lowerBound == 1024)
        // Planners that ignore allowances still make plans the checker accepts.
        let planner: any ArenaPlanner = GreedyBySizePlanner()
        let greedy = planner.plan(buffers, allowances: allowances, alignment: 16)
        try PlanChecker.check(greedy, buffers, allowances: allowances, alignment: 16)
        #expect(greedy.arenaBytes == 2048)
        // Dispatch through the protocol reaches the search planner's own method.
        let strong: any ArenaPlanner = SearchPlanner()
        #expect(strong.plan(buffers, allowances: allowances, alignment: 16) == search)
    }

    /// The input may be placed after its output: it goes at least the gap above it.
    @Test func inputsPlacedAfterTheirOutputsRespectTheGap() throws {
        let buffers = [BufferLifetime(name: "big_out", bytes: 4096, firstUse: 1, lastUse: 2),
                       BufferLifetime(name: "small_in", bytes: 1024, firstUse: 0, lastUse: 1)]
        let allowances = [OverlapAllowance(output: "big_out", input: "small_in", minimumGap: 1000)]
        let plan = SearchPlanner().plan(buffers, allowances: allowances, alignment: 16)
        try PlanChecker.check(plan, buffers, allowances: allowances, alignment: 16)
        #expect(plan.arenaBytes == 4096)
        #expect(plan.offsets["small_in"]! - plan.offsets["big_out"]! >= 1000)
    }

    /// An add whose two inputs both die: each may lie under the output, but
    /// not both, as they may not overlap each other.
    @Test func twoDyingInputsShareOneOutput() throws {
        let buffers = [BufferLifetime(name: "a", bytes: 1024, firstUse: 0, lastUse: 1),
                       BufferLifetime(name: "b", bytes: 1024, firstUse: 0, lastUse: 1),
                       BufferLifetime(name: "sum", bytes: 1024, firstUse: 1, lastUse: 2)]
        let allowances = [OverlapAllowance(output: "sum", input: "a", minimumGap: 0),
                          OverlapAllowance(output: "sum", input: "b", minimumGap: 0)]
        #expect(Lifetimes.peakLiveBytes(buffers, allowances: allowances).bytes == 2048)
        let plan = SearchPlanner().plan(buffers, allowances: allowances, alignment: 16)
        try PlanChecker.check(plan, buffers, allowances: allowances, alignment: 16)
        #expect(plan.arenaBytes == 2048)
        // With gap 512 only the output's top half can hold input bytes: 3 KiB live less 512 shared.
        let gapped = allowances.map { OverlapAllowance(output: $0.output, input: $0.input, minimumGap: 512) }
        #expect(Lifetimes.peakLiveBytes(buffers, allowances: gapped).bytes == 2560)
        let gappedPlan = SearchPlanner().plan(buffers, allowances: gapped, alignment: 16)
        try PlanChecker.check(gappedPlan, buffers, allowances: gapped, alignment: 16)
        #expect(gappedPlan.arenaBytes == 2560)
    }

    @Test func randomLifetimesAndAllowancesAlwaysPassTheChecker() throws {
        var random = LifetimeGenerator(state: 31)
        var shared = 0
        for _ in 0..<200 {
            let buffers = random.buffers(count: 2 + random.next(30), steps: 2 + random.next(12), longest: 4)
            let allowances = random.allowances(for: buffers)
            let plan = SearchPlanner(iterations: 150).plan(buffers, allowances: allowances, alignment: 16)
            try PlanChecker.check(plan, buffers, allowances: allowances, alignment: 16)
            #expect(plan.lowerBound == Lifetimes.peakLiveBytes(buffers, allowances: allowances).bytes)
            #expect(plan.lowerBound <= Lifetimes.peakLiveBytes(buffers).bytes)
            if plan.arenaBytes < Lifetimes.peakLiveBytes(buffers).bytes { shared += 1 }
        }
        // Allowances pay off: many plans beat the bound without sharing.
        #expect(shared > 50)
    }
}

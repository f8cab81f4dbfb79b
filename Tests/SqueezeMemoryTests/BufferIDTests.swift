import Testing
@testable import SqueezeMemory

@Suite struct BufferIDTests {
    @Test func printableNamesAreTheNamesUsersSee() {
        #expect(BufferID.value("fire2/concat").description == "fire2/concat")
        #expect(BufferID.value("fire2.squeeze").description == "fire2.squeeze")
        #expect(BufferID.ring(.squeeze, node: "fire2").description == "fire2.squeeze_rows")
        #expect(BufferID.ring(.prePool, node: "conv1").description == "conv1.prepool_rows")
        #expect(BufferID.prePoolRow(stage: "fire3.expand").description == "fire3.expand.prepool_row")
        #expect(BufferID.handoff(2).description == "stream.handoff2")
        #expect(BufferID.kernelScratch(KernelScratchKind(library: "int8", role: .im2col)).description == "int8.im2col")
        #expect(BufferID.kernelScratch(KernelScratchKind(library: "int8", role: .globalAverageSums(node: "conv10"))).description
                == "int8.gap.conv10")
    }

    @Test func identitiesWithTheSameTextButDifferentRolesDiffer() {
        // A value that happens to be named like a ring is still a value.
        #expect(BufferID.value("fire2.squeeze_rows") != .ring(.squeeze, node: "fire2"))
        #expect(BufferID.value("stream.handoff0") != .handoff(0))
    }

    @Test func identitiesOrderByName() {
        let ids: [BufferID] = [.handoff(0), .value("conv1"), .ring(.squeeze, node: "fire2"), .value("fire2.squeeze")]
        #expect(ids.sorted().map(\.description) == ["conv1", "fire2.squeeze", "fire2.squeeze_rows", "stream.handoff0"])
    }

    @Test func plansPlaceIdentities() {
        var plan = ArenaPlan(strategy: "hand", offsets: [.handoff(0): 32, "x": 0], arenaBytes: 64, lowerBound: 64)
        #expect(plan.placements[.handoff(0)] == Placement(offset: 32))
        #expect(plan.offset(of: "x") == 0 && plan.offset(of: .handoff(1)) == nil)
        plan.offsets[.handoff(1)] = 48
        #expect(plan.placements[.handoff(1)]?.offset == 48)
    }
}

@Suite struct ValueStorageTableTests {
    @Test func aliasesResolveToTheOwner() {
        var table = ValueStorageTable()
        table["x"] = .graphInput
        table["a"] = .arena
        table["b"] = .alias(of: "a")
        table["c"] = .alias(of: "b")
        #expect(table.owner(of: "c") == "a")
        #expect(table.resolve("c") == (owner: "a", storage: .arena))
        #expect(table.resolve("x") == (owner: "x", storage: .graphInput))
        // An unknown value owns itself, in the arena.
        #expect(table.resolve("y") == (owner: "y", storage: .arena))
    }

    @Test func anAliasCycleStops() {
        var table = ValueStorageTable()
        table["p"] = .alias(of: "q")
        table["q"] = .alias(of: "p")
        let owner = table.owner(of: "p")
        #expect(owner == "p" || owner == "q")
    }

    @Test func outputsAndWhatTheyAliasLiveInTheCallersBuffer() throws {
        let graph = try LoweringTests.v11.get()
        let layer = try ExecutionSchedule(graph: graph)
        let stream = try StreamSchedule(graph: graph)
        for schedule in [layer as any Schedule, stream] {
            #expect(schedule.resolve("flatten") == (owner: "pool10", storage: .graphOutput))
            #expect(schedule.buffer(holding: "flatten") == nil)
            #expect(schedule.buffer(holding: graph.inputs[0].name) == nil)
        }
        #expect(layer.buffer(holding: "fire2/concat") == .value("fire2/concat"))
        guard case .handoff = stream.buffer(holding: "fire2/concat") else {
            Issue.record("fire2/concat is in \(String(describing: stream.buffer(holding: "fire2/concat")))")
            return
        }
    }
}

import SqueezeIR
import Testing
@testable import SqueezePasses

@Suite struct FireFusionTests {
    @Test func oneNodePerFireWithParametersInOrder() throws {
        let original = try PassTestSupport.model(.v1_1)
        let fused = try FireFusion().run(original)
        let fire2 = try #require(fused.node(named: "fire2"))
        #expect(fire2.inputs == ["pool1"])
        #expect(fire2.output == "fire2/concat")
        #expect(fire2.parameters == ["fire2/squeeze1x1.weight", "fire2/squeeze1x1.bias", "fire2/expand1x1.weight",
                                     "fire2/expand1x1.bias", "fire2/expand3x3.weight", "fire2/expand3x3.bias"])
        guard case .fire(let a) = fire2.op else { Issue.record("expected a fire op"); return }
        #expect(a.squeeze.outChannels == 16 && a.expand1x1.outChannels == 64 && a.expand3x3.outChannels == 64)
        #expect(a.channelOffsets.expand1x1 == 0 && a.channelOffsets.expand3x3 == 64)
        #expect(fused.nodes.count == original.nodes.count - 8 * 6)
        try PassTestSupport.expectSameValues(original, fused)
    }

    @Test func swappedConcatKeepsItsChannelOrder() throws {
        var original = try PassTestSupport.model(.v1_1)
        let concat = try #require(original.nodes.firstIndex { $0.name == "fire2/concat" })
        original.nodes[concat].inputs.reverse()
        let fused = try FireFusion().run(original)
        guard case .fire(let a) = fused.node(named: "fire2")?.op else { Issue.record("expected a fire op"); return }
        #expect(!a.expand1x1First)
        #expect(a.channelOffsets.expand3x3 == 0 && a.channelOffsets.expand1x1 == 64)
        try PassTestSupport.expectSameValues(original, fused)
    }
}

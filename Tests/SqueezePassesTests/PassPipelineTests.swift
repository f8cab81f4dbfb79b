import SqueezeFrontend
import SqueezeIR
import Testing
@testable import SqueezePasses

@Suite struct PassPipelineTests {
    @Test func v10FusedSchedule() throws {
        let g = try PassPipeline().run(try PassTestSupport.model(.v1_0))
        #expect(g.nodes.map(\.name) == ["conv1", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9", "conv10", "flatten"])
        guard case .conv2d(let conv1) = g.nodes[0].op, case .fire(let fire4) = g.nodes[3].op,
              case .fire(let fire8) = g.nodes[7].op, case .fire(let fire9) = g.nodes[8].op,
              case .conv2d(let conv10) = g.nodes[9].op else {
            Issue.record("unexpected ops")
            return
        }
        #expect(conv1.activation == .relu)
        #expect(conv1.pool != nil && fire4.pool != nil && fire8.pool != nil && fire9.pool == nil)
        #expect(conv10.pool == .globalAverage && conv10.activation == .relu)
        #expect(g.nodes[0].output == "pool1" && g.nodes[3].output == "pool4" && g.nodes[9].output == "pool10")
        #expect(g.nodes[0].sourceNames == ["conv1", "relu_conv1", "pool1"])
        #expect(g.nodes[1].sourceNames.count == 7)
    }

    @Test func v11FusedSchedule() throws {
        let g = try PassPipeline().run(try PassTestSupport.model(.v1_1))
        #expect(g.nodes.map(\.name) == ["conv1", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9", "conv10", "flatten"])
        let pooled = g.nodes.filter { node in
            switch node.op {
            case .conv2d(let a): if case .max = a.pool { return true } else { return false }
            case .fire(let a): return a.pool != nil
            default: return false
            }
        }.map(\.name)
        #expect(pooled == ["conv1", "fire3", "fire5"])
    }

    @Test(arguments: [SqueezeNetConfig.Version.v1_0, .v1_1], [SqueezeNetConfig.Bypass.none, .simple, .complex])
    func fusionKeepsEveryValueBitIdentical(version: SqueezeNetConfig.Version, bypass: SqueezeNetConfig.Bypass) throws {
        let original = try PassTestSupport.model(version, bypass: bypass, softmax: bypass == .simple)
        var current = original
        for pass in PassPipeline.standard {
            current = try pass.run(current)
            try GraphVerifier.verify(current)
            try PassTestSupport.expectSameValues(original, current)
        }
        #expect(FireModuleMatcher.match(current).isEmpty)
        #expect(current.nodes.filter { $0.op == .relu || $0.op == .dropout(ratio: 0.5) }.isEmpty)
    }

    @Test func bypassKeepsPoolAfterAddUnfused() throws {
        let g = try PassPipeline().run(try PassTestSupport.model(.v1_1, bypass: .simple))
        let pool3 = try #require(g.node(named: "pool3"))
        guard case .maxPool = pool3.op else {
            Issue.record("pool3 should stay a separate max pool: its input is the bypass add")
            return
        }
        #expect(pool3.inputs == ["fire3/bypass"])
        #expect(g.nodes.filter { if case .fire = $0.op { true } else { false } }.count == 8)
    }

    @Test func costIsUnchangedByFusion() throws {
        for version in SqueezeNetConfig.Version.allCases {
            let original = try SqueezeNetBuilder.build(SqueezeNetConfig(version: version)).graph
            let fused = try PassPipeline().run(original)
            #expect(CostModel.totalMACs(fused) == CostModel.totalMACs(original))
            #expect(CostModel.totalParameters(fused) == CostModel.totalParameters(original))
        }
    }
}

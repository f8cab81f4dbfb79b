import SqueezeIR
import Testing
@testable import SqueezePasses

@Suite struct PoolFusionTests {
    @Test func onlyMatchingPairsFuse() {
        let pool = PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)
        let conv1x1 = Conv2DAttributes(outChannels: 4, kernel: .square(1), activation: .relu)
        #expect(PoolFusion.fused(.conv2d(conv1x1), with: .maxPool(pool)) != nil)
        #expect(PoolFusion.fused(.conv2d(conv1x1), with: .globalAvgPool) != nil)
        #expect(PoolFusion.fused(.conv2d(conv1x1), with: .avgPool(pool)) == nil)
        var noRelu = conv1x1
        noRelu.activation = .none
        #expect(PoolFusion.fused(.conv2d(noRelu), with: .globalAvgPool) == nil)
        let conv3x3 = Conv2DAttributes(outChannels: 4, kernel: .square(3), padding: .uniform(1), activation: .relu)
        #expect(PoolFusion.fused(.conv2d(conv3x3), with: .globalAvgPool) == nil)
        var pooled = conv1x1
        pooled.pool = .max(pool)
        #expect(PoolFusion.fused(.conv2d(pooled), with: .maxPool(pool)) == nil)
        #expect(PoolFusion.fused(.relu, with: .maxPool(pool)) == nil)
    }

    @Test func fusesIntoFireAndKeepsValues() throws {
        let original = try ActivationFusion().run(try FireFusion().run(try PassTestSupport.model(.v1_0)))
        let fused = try PoolFusion().run(original)
        #expect(fused.node(named: "pool4") == nil)
        #expect(fused.node(named: "fire4")?.output == "pool4")
        try PassTestSupport.expectSameValues(original, fused)
    }
}

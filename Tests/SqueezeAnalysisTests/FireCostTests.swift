import Testing
@testable import SqueezeAnalysis

@Suite struct FireCostTests {
    /// The seed's example: M = 256 input channels, N = 512 outputs (256 + 256),
    /// SR = 0.125 -> s = 0.125 * 512 = 64 squeeze filters. (The seed's text says
    /// s = 32, but its 180,224 and 84.72% are what s = 64 gives; s = 32 gives 90,112.)
    @Test func seedExample() {
        let fire = FireCost.weights(inChannels: 256, squeeze: 64, expand1x1: 256, expand3x3: 256)
        let conv = FireCost.conv3x3Weights(inChannels: 256, outChannels: 512)
        #expect(fire == 180_224)
        #expect(conv == 1_179_648)
        #expect(((1 - Double(fire) / Double(conv)) * 10000).rounded() == 8472)
        #expect(FireCost.weights(inChannels: 256, squeeze: 32, expand1x1: 256, expand3x3: 256) == 90_112)
    }
}

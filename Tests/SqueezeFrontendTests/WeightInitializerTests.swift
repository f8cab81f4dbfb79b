import SqueezeIR
import Testing
@testable import SqueezeFrontend

@Suite struct WeightInitializerTests {
    @Test func sameSeedSameWeightsOtherSeedOtherWeights() throws {
        let a = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph
        let b = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph
        let c = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64, seed: 2)).graph
        #expect(a.constants == b.constants)
        #expect(a.constants["conv1.weight"] != c.constants["conv1.weight"])
    }

    @Test func heUniformBoundsAndNonZeroBiases() throws {
        let initializer = WeightInitializer(seed: 7)
        let w = initializer.convWeight(name: "w", outChannels: 32, kernel: .square(3), inChannels: 16).floats!
        let bound = (6.0 / Float(9 * 16)).squareRoot()
        #expect(w.allSatisfy { abs($0) <= bound })
        #expect(w.max()! > 0.8 * bound && w.min()! < -0.8 * bound)
        let bias = initializer.bias(name: "b", count: 64).floats!
        #expect(bias.allSatisfy { $0 >= -0.05 && $0 < 0.1 && $0 != 0 })
        #expect(Set(bias).count > 60)
    }

    @Test func seededRandomIsStableAcrossRuns() {
        // Pinned values: a change here changes every model's weights.
        var random = SeededRandom(seed: 1)
        #expect(random.next() == 0x910A_2DEC_8902_5CC1)
        var stream = SeededRandom(seed: 1, stream: "conv1.weight")
        let first = stream.unitFloat()
        #expect(first >= 0 && first < 1)
        var again = SeededRandom(seed: 1, stream: "conv1.weight")
        #expect(again.unitFloat() == first)
    }
}

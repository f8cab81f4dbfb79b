import Testing
import SqueezeFrontend
import SqueezeIR
@testable import SqueezeQuant

/// `--codebook` for int8 builds: the int8 codes, not the floats, are shared,
/// and each output channel keeps its scale.
@Suite struct Int8CodeSharingTests {
    /// Channels of very different magnitudes (as a trained conv has), some with
    /// their largest weight negative.
    static func layer(channels: Int, perChannel: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed, stream: "int8codes")
        return (0..<channels).flatMap { c -> [Float] in
            let magnitude = Float(1 + c % 7) * 0.013
            return (0..<perChannel).map { _ in Float(rng.next(below: 20001) - 10000) / 10000 * magnitude }
        }
    }

    /// The quantiser's codes of one layer (per-channel scale max|w| / 127).
    static func codes(_ weights: [Float], channels: Int) -> [[Int8]] {
        let k = weights.count / channels
        return (0..<channels).map { c in
            let row = weights[(c * k)..<((c + 1) * k)]
            let scale = row.reduce(Float(0)) { max($0, abs($1)) } / 127
            return row.map { w in
                scale == 0 ? 0 : Int8(min(max((Double(w) / Double(scale)).rounded(.toNearestOrAwayFromZero), -127), 127))
            }
        }
    }

    @Test(arguments: [2, 3, 4, 5])
    func aLayerKeepsAtMostTwoToTheBitsCodesAndEveryChannelItsScale(bits: Int) throws {
        let (channels, k) = (24, 16)
        let weights = Self.layer(channels: channels, perChannel: k, seed: UInt64(bits))
        // Float sharing first would leave many more codes per layer.
        let floatShared = KMeansCodebook.share(weights, bits: bits)
        #expect(Set(Self.codes(floatShared, channels: channels).joined()).subtracting([0]).count > 1 << bits)

        let shared = Int8CodeSharing.share(weights, channels: channels, bits: bits)
        let codes = Self.codes(shared, channels: channels)
        #expect(Set(codes.joined()).subtracting([0]).count <= 1 << bits)
        for c in 0..<channels {
            let before = weights[(c * k)..<((c + 1) * k)].reduce(Float(0)) { max($0, abs($1)) }
            let after = shared[(c * k)..<((c + 1) * k)].reduce(Float(0)) { max($0, abs($1)) }
            #expect(abs(after - before) <= before * 1e-6, "channel \(c) keeps its scale")
            #expect(codes[c].contains { abs(Int($0)) == 127 })
            // Every shared weight is its channel's scale times its code.
            for i in 0..<k {
                #expect(abs(Double(shared[c * k + i]) - Double(codes[c][i]) * Double(before) / 127) <= Double(before) * 1e-6)
            }
        }
        // Deterministic, and sharing again changes no code.
        #expect(Int8CodeSharing.share(weights, channels: channels, bits: bits) == shared)
        #expect(Self.codes(Int8CodeSharing.share(shared, channels: channels, bits: bits), channels: channels) == codes)
    }

    @Test func eachWeightTakesTheNearestSharedCodeAndZerosStayZero() throws {
        let (channels, k) = (8, 32)
        let weights = MagnitudePruning.prune(Self.layer(channels: channels, perChannel: k, seed: 11), sparsity: 0.5)
        let shared = Int8CodeSharing.share(weights, channels: channels, bits: 3)
        #expect(weights.indices.allSatisfy { weights[$0] != 0 || shared[$0] == 0 })
        let codes = Self.codes(shared, channels: channels)
        let table = Set(codes.joined()).subtracting([0]).map(Double.init).sorted()
        #expect(table.count <= 8)
        for c in 0..<channels {
            let scale = Double(weights[(c * k)..<((c + 1) * k)].reduce(Float(0)) { max($0, abs($1)) } / 127)
            for i in 0..<k where weights[c * k + i] != 0 {
                let v = Double(weights[c * k + i]) / scale
                let best = table.map { abs($0 - v) }.min()!
                #expect(abs(Double(codes[c][i]) - v) <= best + 1e-9 || codes[c][i] == 0)
            }
        }
    }

    @Test func aLayerWithFewCodesAlreadyIsUnchanged() {
        // Two channels whose codes are {127, -64, 32} and {-127, 64}: 5 codes, under 2^3.
        let weights: [Float] = [1.27, -0.64, 0.32, 0, -0.254, 0.128, 0, 0]
        #expect(Int8CodeSharing.share(weights, channels: 2, bits: 3) == weights)
    }

    @Test func theGraphPassSharesCodesForInt8AndFloatsForFp32() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10, seed: 3)).graph
        let options = CompressionOptions(codebookBits: 4)
        let int8 = try WeightCompressionPass(options: options, domain: .int8Codes).run(graph)
        let fp32 = try WeightCompressionPass(options: options, domain: .float).run(graph)
        var layers = 0
        for (name, tensor) in graph.constants where tensor.shape.rank == 4 {
            let weights = try #require(tensor.floats)
            #expect(int8.constants[name]?.floats == Int8CodeSharing.share(weights, channels: tensor.shape.dims[0], bits: 4))
            #expect(fp32.constants[name]?.floats == KMeansCodebook.share(weights, bits: 4))
            layers += 1
        }
        #expect(layers == 26)
    }
}

import Testing
import SqueezeIR
@testable import SqueezeQuant

/// Exact round trips of every weight format, and their byte counts.
@Suite struct WeightEncoderTests {
    static let sparseFormats: [WeightFormat] = [
        .sparse(zeros: .bitmask, codebook: nil),
        .sparse(zeros: .relative(gapBits: 2), codebook: nil),
        .sparse(zeros: .relative(gapBits: 4), codebook: nil),
        .sparse(zeros: .bitmask, codebook: .init(bits: 4, perChannel: false)),
        .sparse(zeros: .bitmask, codebook: .init(bits: 4, perChannel: true)),
        .sparse(zeros: .relative(gapBits: 3), codebook: .init(bits: 4, perChannel: false)),
        .sparse(zeros: .relative(gapBits: 1), codebook: .init(bits: 5, perChannel: true)),
    ]

    /// `count` int8 weights with at most `distinct` values and about `zeros` of them zero.
    static func weights(count: Int, distinct: Int, zeros: Double, seed: UInt64) -> [Int8] {
        var rng = SeededRandom(seed: seed, stream: "weights")
        let palette = (0..<distinct).map { Int8(truncatingIfNeeded: $0 * 37 - 100) }.map { $0 == 0 ? 1 : $0 }
        return (0..<count).map { _ in
            Double(rng.next(below: 1000)) / 1000 < zeros ? 0 : palette[Int(rng.next(below: distinct))]
        }
    }

    @Test(arguments: [0, 1, 5, 7, 8, 9, 13, 64, 100])
    func indicesPackAndUnpackAtEveryWidth(count: Int) {
        for bits in 1...8 {
            let values = (0..<count).map { ($0 * 7 + 3) % (1 << bits) }
            let bytes = PackedIndices.pack(values, bits: bits)
            #expect(bytes.count == (count * bits + 7) / 8)
            #expect(PackedIndices.unpack(bytes, bits: bits, count: count) == values)
        }
    }

    @Test(arguments: [2, 3, 4, 5, 6, 7, 8])
    func codebookRoundTripsAtEveryWidth(bits: Int) throws {
        // 5 channels of 13 weights: neither a multiple of 8 nor of the index width.
        let values = Self.weights(count: 65, distinct: (1 << bits) - 1, zeros: 0.3, seed: UInt64(bits))  // and zero
        for perChannel in [false, true] {
            let encoded = try #require(WeightEncoder.encode(values, channels: 5, format: .codebook(bits: bits, perChannel: perChannel)))
            #expect(WeightEncoder.decode(encoded) == values)
            let tables = (perChannel ? 5 : 1) * (1 << bits)
            #expect(encoded.byteCount == tables + (65 * bits + 7) / 8)
        }
        // One value too many does not fit.
        let tooMany = (0...(1 << bits)).map { UInt32($0) }
        #expect(WeightEncoder.encode(tooMany, channels: 1, format: .codebook(bits: bits, perChannel: false)) == nil)
    }

    @Test func sparseFormatsRoundTripOddSizesAndZeroChannels() throws {
        for (count, channels) in [(0, 1), (1, 1), (7, 1), (33, 3), (81, 9), (450, 5)] {
            var values = Self.weights(count: count, distinct: 11, zeros: 0.66, seed: UInt64(count))
            if channels > 2 {
                // An all-zero output channel, and one with no zero.
                let run = count / channels
                for i in run..<(2 * run) { values[i] = 0 }
                for i in (2 * run)..<(3 * run) where values[i] == 0 { values[i] = 5 }
            }
            for format in Self.sparseFormats + [.dense] {
                let encoded = try #require(WeightEncoder.encode(values, channels: channels, format: format), "\(format)")
                #expect(WeightEncoder.decode(encoded) == values, "\(format) \(count)x\(channels)")
            }
        }
    }

    @Test func longZeroRunsNeedFillersInTheRelativeLayout() throws {
        // 40 zeros then a value: with 2-bit gaps (at most 3), 40 = 4 * 10 positions of fillers.
        let values: [Int8] = [Int8](repeating: 0, count: 40) + [9, 0, 0]
        let encoded = try #require(WeightEncoder.encode(values, channels: 1, format: .sparse(zeros: .relative(gapBits: 2), codebook: nil)))
        #expect(encoded.entries == 11)
        #expect(WeightEncoder.decode(encoded) == values)
        // Bytes: 11 gaps of 2 bits, 11 values, one 16-bit channel offset.
        #expect(encoded.byteCount == 3 + 11 + 2)
    }

    @Test func byteCountsOfTheBitmaskLayout() throws {
        let values: [Int8] = [0, 3, 0, 0, 3, 7, 0, 0, 0, 7, 0]  // 11 weights, 4 stored
        let raw = try #require(WeightEncoder.encode(values, channels: 1, format: .sparse(zeros: .bitmask, codebook: nil)))
        #expect(raw.byteCount == 2 + 4 + 2)
        let shared = try #require(WeightEncoder.encode(values, channels: 1, format: .sparse(zeros: .bitmask, codebook: .init(bits: 2, perChannel: false))))
        // Mask 2 bytes, table 4 bytes, 4 two-bit indices 1 byte, offset 2 bytes.
        #expect(shared.byteCount == 2 + 4 + 1 + 2)
        #expect(WeightEncoder.decode(shared) == values)
    }

    @Test func fp32ValuesRoundTripBitExactly() throws {
        let floats: [Float] = [0, -0.0, 1.5, .nan, -2.25, 0, 1.5, .infinity, 0, 0, 1e-30]
        let bits = floats.map(\.bitPattern)
        for format in Self.sparseFormats + [.dense, .codebook(bits: 3, perChannel: false)] {
            let encoded = try #require(WeightEncoder.encode(bits, channels: 1, format: format))
            #expect(WeightEncoder.decode(encoded) == bits, "\(format)")
        }
        // Only +0.0 is left out: -0.0 is a stored value.
        let sparse = try #require(WeightEncoder.encode(bits, channels: 1, format: .sparse(zeros: .bitmask, codebook: nil)))
        #expect(sparse.entries == 7)
        #expect(sparse.byteCount == 2 + 7 * 4 + 2)
    }

    @Test func aSingleDistinctValueAndAllZeros() throws {
        for value: Int8 in [0, -5] {
            let values = [Int8](repeating: value, count: 27)
            let best = try #require(WeightCompression.best(values, channels: 3))
            #expect(WeightEncoder.decode(best) == values)
            #expect(best.byteCount < 27)
        }
    }

    @Test func detectionPicksTheSmallestExactFormat() throws {
        // Two thirds zeros, 16 values per layer: a sparse codebook beats everything else.
        let values = Self.weights(count: 64 * 9 * 16, distinct: 16, zeros: 0.66, seed: 3)
        let best = try #require(WeightCompression.best(values, channels: 64))
        #expect(WeightEncoder.decode(best) == values)
        for format in WeightCompression.candidates(values, channels: 64) {
            let other = try #require(WeightEncoder.encode(values, channels: 64, format: format))
            #expect(best.byteCount <= other.byteCount, "\(format)")
        }
        #expect(best.format == .sparse(zeros: .bitmask, codebook: .init(bits: 4, perChannel: false)))
        // All distinct, no zeros: dense.
        let plain = (0..<200).map { Int8(truncatingIfNeeded: $0 % 255 - 127) }.map { $0 == 0 ? 1 : $0 }
        #expect(WeightCompression.best(plain, channels: 2)?.format == .dense)
        // Forced formats are honoured, or nil when they cannot be exact.
        #expect(WeightCompression.best(values, channels: 64, forced: .dense)?.format == .dense)
        #expect(WeightCompression.best(plain, channels: 2, forced: .codebook(bits: 4, perChannel: false)) == nil)
    }

    @Test func perChannelTablesWinWhenEveryChannelHasItsOwnValues() throws {
        // 8 channels of 256 weights, 16 values each, different in every channel (as per-channel scales make them).
        var rng = SeededRandom(seed: 9, stream: "channels")
        let values: [Int8] = (0..<8).flatMap { c in (0..<256).map { _ in Int8(c * 16 + rng.next(below: 16) - 64) } }
        let best = try #require(WeightCompression.best(values, channels: 8))
        #expect(best.format == .codebook(bits: 4, perChannel: true))
        #expect(best.byteCount == 8 * 16 + 8 * 256 / 2)
        #expect(WeightEncoder.decode(best) == values)
    }

    @Test func indexWidths() {
        #expect(WeightCompression.bits(for: 1) == 2)
        #expect(WeightCompression.bits(for: 4) == 2)
        #expect(WeightCompression.bits(for: 5) == 3)
        #expect(WeightCompression.bits(for: 256) == 8)
        #expect(WeightCompression.bits(for: 257) == nil)
    }
}

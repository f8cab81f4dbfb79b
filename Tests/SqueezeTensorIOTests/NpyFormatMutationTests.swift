import SqueezeIR
@testable import SqueezeTensorIO
import Testing

/// Random damage to valid files: decoding must succeed or throw a
/// `Diagnostic`, never crash, hang or allocate wildly.
@Suite struct NpyFormatMutationTests {
    static let seeds: [[UInt8]] = [
        Fixtures.float32Arange2x3,
        Fixtures.bigEndianFloat32,
        Fixtures.float64Vector,
        Fixtures.fortranOrder2x3x4,
        Fixtures.version2,
        Fixtures.version3,
        Fixtures.int8Vector,
        Fixtures.float32Scalar,
    ]

    /// Bytes that are meaningful in a header, to reach deeper into the parser
    /// than uniformly random bytes would.
    static let headerAlphabet = Array("{}()[],:'\" 0123456789-LTrueFalsNon<>|=fi48\n".utf8)

    @Test func randomMutationsNeverCrash() {
        var random = SeededRandom(seed: 0x5EED_5EED)
        var decoded = 0
        var rejected = 0
        for iteration in 0..<4000 {
            var bytes = Self.seeds[iteration % Self.seeds.count]
            let mutationCount = Int.random(in: 1...4, using: &random)
            for _ in 0..<mutationCount {
                mutate(&bytes, using: &random)
            }
            do {
                let array = try NpyFormat.decode(bytes, file: "fuzz.npy")
                #expect(array.shapeMatchesStorage)
                decoded += 1
            } catch {
                #expect(error.location.file == "fuzz.npy")
                rejected += 1
            }
        }
        #expect(decoded + rejected == 4000)
        #expect(rejected > 0)
    }

    /// Applies one random change: overwrite, flip a bit, truncate, insert or delete.
    private func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else {
            bytes.append(UInt8.random(in: 0...255, using: &random))
            return
        }
        // Most interesting bytes are in the first 128 (prefix and header).
        let limit = Bool.random(using: &random) ? min(bytes.count, 128) : bytes.count
        let position = Int.random(in: 0..<limit, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            bytes[position] = UInt8.random(in: 0...255, using: &random)
        case 1:
            bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 2:
            bytes[position] = Self.headerAlphabet.randomElement(using: &random) ?? 0x20
        case 3:
            bytes.removeSubrange(position...)
        case 4:
            bytes.insert(Self.headerAlphabet.randomElement(using: &random) ?? 0x20, at: position)
        default:
            bytes.remove(at: position)
        }
    }

    @Test func splitMixIsDeterministic() {
        var first = SeededRandom(seed: 42)
        var second = SeededRandom(seed: 42)
        #expect((0..<8).map { _ in first.next() } == (0..<8).map { _ in second.next() })
    }
}

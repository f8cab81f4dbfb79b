import SqueezeIR
@testable import SqueezeTensorIO
import Testing

/// Random damage to valid image files: decoding must give a well-formed
/// image or throw a `Diagnostic` naming the file, never crash or hang.
@Suite struct ImageMutationTests {
    /// Valid PNGs of several kinds: stored and deflated data, 16-bit,
    /// palette, interlaced, several IDAT chunks.
    static let pngSeeds: [[UInt8]] = {
        var seeds: [[UInt8]] = []
        for (colourType, depth, interlaced, compressed) in [(2, 8, false, true), (6, 16, false, false),
                                                            (3, 2, true, true), (0, 1, false, true),
                                                            (4, 8, true, false), (3, 8, false, true)] {
            var image = PNGFormatTests.image(colourType: colourType, bitDepth: depth)
            image.interlaced = interlaced
            image.compressed = compressed
            image.idatCount = 2
            seeds.append(image.bytes)
        }
        return seeds
    }()

    static let pnmSeeds: [[UInt8]] = [
        Array("P6\n# c\n3 2\n255\n".utf8) + (0..<18).map { UInt8($0 * 13) },
        Array("P5 4 2 65535 ".utf8) + (0..<16).map { UInt8($0 * 17) },
        Array("P3\n2 2\n# c\n15\n1 2 3 4 5 6\n7 8 9 10 11 12\n".utf8),
        Array("P2 3 1 255 0 128 255\n".utf8),
    ]

    @Test func damagedPNGsNeverCrash() {
        let (decoded, rejected) = run(seeds: Self.pngSeeds, iterations: 3000, seed: 0x9E6) { (bytes: [UInt8]) throws(Diagnostic) -> RGBImage in
            try PNGFormat.decode(bytes, file: "fuzz.png")
        }
        #expect(decoded + rejected == 3000)
        #expect(rejected > 1000)
    }

    /// The same with every chunk CRC recomputed after the damage, so that
    /// the damage reaches the zlib stream, the filters and the pixels
    /// instead of stopping at the CRC check.
    @Test func damagedPNGsWithValidCRCsNeverCrash() {
        let (decoded, rejected) = run(seeds: Self.pngSeeds, iterations: 3000, seed: 0xC4C) { (bytes: [UInt8]) throws(Diagnostic) -> RGBImage in
            try PNGFormat.decode(Self.fixingCRCs(bytes), file: "fuzz.png")
        }
        #expect(decoded + rejected == 3000)
        #expect(decoded > 0 && rejected > 0)
    }

    @Test func damagedPNMsNeverCrash() {
        let (decoded, rejected) = run(seeds: Self.pnmSeeds, iterations: 2000, seed: 0x9B3) { (bytes: [UInt8]) throws(Diagnostic) -> RGBImage in
            try PNMFormat.decode(bytes, file: "fuzz.png")
        }
        #expect(decoded + rejected == 2000)
        #expect(decoded > 0 && rejected > 0)
    }

    /// Truncating a valid PNG anywhere gives an error, never an image.
    @Test func everyTruncationOfAPNGIsAnError() {
        for seed in Self.pngSeeds {
            for length in 0..<seed.count - 12 {  // whatever stops short of IEND
                #expect(throws: Diagnostic.self) { try PNGFormat.decode(Array(seed.prefix(length)), file: "cut.png") }
            }
        }
    }

    // MARK: - Helpers

    private func run(seeds: [[UInt8]], iterations: Int, seed: UInt64,
                     decode: ([UInt8]) throws(Diagnostic) -> RGBImage) -> (Int, Int) {
        var random = SeededRandom(seed: seed)
        var decoded = 0
        var rejected = 0
        for iteration in 0..<iterations {
            var bytes = seeds[iteration % seeds.count]
            for _ in 0..<1 + random.next(below: 4) {
                mutate(&bytes, using: &random)
            }
            do {
                let image = try decode(bytes)
                #expect(image.pixels.count == image.width * image.height * 3)
                decoded += 1
            } catch {
                #expect(error.location.file == "fuzz.png")
                #expect(!error.description.contains("\n"))
                rejected += 1
            }
        }
        return (decoded, rejected)
    }

    /// One random change: overwrite a byte, flip a bit, truncate, insert,
    /// delete, or set a byte to an extreme value.
    private func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else {
            bytes.append(UInt8(random.next(below: 256)))
            return
        }
        // Half the time in the first 64 bytes (signature, IHDR, headers).
        let limit = random.next(below: 2) == 0 ? min(bytes.count, 64) : bytes.count
        let position = random.next(below: limit)
        switch random.next(below: 6) {
        case 0: bytes[position] = UInt8(random.next(below: 256))
        case 1: bytes[position] ^= 1 << UInt8(random.next(below: 8))
        case 2: bytes.removeSubrange(position...)
        case 3: bytes.insert(UInt8(random.next(below: 256)), at: position)
        case 4: bytes.remove(at: position)
        default: bytes[position] = random.next(below: 2) == 0 ? 0 : 0xFF
        }
    }

    /// Recomputes the CRC of every complete chunk.
    static func fixingCRCs(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        var offset = 8
        while bytes.count - offset >= 12 {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length <= bytes.count - offset - 12 else { break }
            let body = Array(bytes[offset + 4..<offset + 8 + length])
            let crc = PNGTestImage.chunk("", body).suffix(4)
            bytes.replaceSubrange(offset + 8 + length..<offset + 12 + length, with: crc)
            offset += 12 + length
        }
        return bytes
    }
}

import Foundation
import SqueezeIR
@testable import SqueezeTensorIO
import Testing

@Suite struct PNGFormatTests {
    /// Every colour type with every bit depth PNG allows.
    static let formats: [(colourType: Int, bitDepth: Int)] = [
        (0, 1), (0, 2), (0, 4), (0, 8), (0, 16),
        (2, 8), (2, 16),
        (3, 1), (3, 2), (3, 4), (3, 8),
        (4, 8), (4, 16),
        (6, 8), (6, 16),
    ]

    /// A 13 x 11 image (odd sizes: partial bytes, partial Adam7 passes) of
    /// random samples, rows filtered with types 0, 1, 2, 3, 4, 0, ...
    static func image(colourType: Int, bitDepth: Int, seed: UInt64 = 7) -> PNGTestImage {
        var random = SeededRandom(seed: seed, stream: "png \(colourType) \(bitDepth)")
        let width = 13
        let height = 11
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]!
        var palette: [UInt8]?
        var limit: Int?
        if colourType == 3 {
            let entries = min(1 << bitDepth, 200)
            palette = (0..<entries * 3).map { _ in UInt8(random.next(below: 256)) }
            limit = entries
        }
        let samples = PNGTestImage.randomSamples(count: width * height * channels, depth: bitDepth,
                                                 limit: limit, using: &random)
        return PNGTestImage(width: width, height: height, colourType: colourType, bitDepth: bitDepth,
                            samples: samples, palette: palette, filter: { UInt8($0 % 5) })
    }

    static func decode(_ bytes: [UInt8], file: String = "test.png") -> Result<RGBImage, Diagnostic> {
        do {
            return .success(try PNGFormat.decode(bytes, file: file))
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Colour types, bit depths, filters, interlacing

    @Test(arguments: formats)
    func decodesEveryColourTypeAndBitDepth(format: (colourType: Int, bitDepth: Int)) throws {
        var image = Self.image(colourType: format.colourType, bitDepth: format.bitDepth)
        for (interlaced, compressed, idatCount) in [(false, false, 1), (false, true, 3), (true, false, 2), (true, true, 1)] {
            image.interlaced = interlaced
            image.compressed = compressed
            image.idatCount = idatCount
            let decoded = try PNGFormat.decode(image.bytes, file: "t.png")
            #expect(decoded.width == 13 && decoded.height == 11)
            #expect(decoded.pixels == image.expectedRGB,
                    "colour type \(format.colourType), depth \(format.bitDepth), interlaced \(interlaced), compressed \(compressed)")
        }
    }

    @Test(arguments: 0...4)
    func decodesEachFilterTypeAlone(filter: Int) throws {
        for format in [(2, 8), (6, 16), (0, 1), (4, 8)] {
            var image = Self.image(colourType: format.0, bitDepth: format.1, seed: UInt64(filter))
            image.filter = { _ in UInt8(filter) }
            #expect(try PNGFormat.decode(image.bytes, file: "t.png").pixels == image.expectedRGB)
        }
    }

    /// Filtered bytes worked out by hand from the specification, independent
    /// of the test encoder: a 3 x 2 grey image, first row [10, 20, 30].
    @Test func unfiltersHandComputedRows() throws {
        let cases: [(filter: UInt8, filtered: [UInt8], expected: [UInt8])] = [
            (0, [7, 8, 9], [7, 8, 9]),
            (1, [5, 1, 1], [5, 6, 7]),            // Sub: + left
            (2, [1, 2, 250], [11, 22, 24]),      // Up: + above, mod 256
            (3, [5, 5, 5], [10, 20, 30]),         // Average: + floor((left + above) / 2)
            (4, [1, 1, 1], [11, 21, 31]),         // Paeth: picks above each time here
        ]
        for testCase in cases {
            let data: [UInt8] = [0, 10, 20, 30, testCase.filter] + testCase.filtered
            var file = PNGFormat.signature
            file += PNGTestImage.chunk("IHDR", PNGTestImage.bigEndian(3) + PNGTestImage.bigEndian(2) + [8, 0, 0, 0, 0])
            file += PNGTestImage.chunk("IDAT", PNGTestImage.zlibStored(data))
            file += PNGTestImage.chunk("IEND", [])
            let image = try PNGFormat.decode(file, file: "t.png")
            #expect(image.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
                    == [10, 20, 30] + testCase.expected, "filter \(testCase.filter)")
        }
    }

    @Test func paethPredictorFollowsTheSpecification() {
        #expect(PNGFormat.paeth(10, 20, 30) == 10)  // p = 0: left is nearest
        #expect(PNGFormat.paeth(30, 10, 20) == 20)  // p = 20: upper-left
        #expect(PNGFormat.paeth(10, 20, 10) == 20)  // p = 20: above
        #expect(PNGFormat.paeth(7, 7, 0) == 7)      // tie between left and above: left
        #expect(PNGFormat.paeth(3, 0, 2) == 0)      // tie between above and upper-left: above
    }

    @Test func sixteenBitSamplesKeepTheirHighByte() throws {
        let image = PNGTestImage(width: 3, height: 1, colourType: 0, bitDepth: 16, samples: [0x12FF, 0xFF00, 0x0080])
        #expect(try PNGFormat.decode(image.bytes, file: "t.png").pixels == [0x12, 0x12, 0x12, 0xFF, 0xFF, 0xFF, 0, 0, 0])
    }

    @Test func lowBitGreyIsScaledToFullRange() throws {
        for (depth, expected) in [(1, [0, 255]), (2, [0, 85, 170, 255]), (4, [0, 17, 34, 255])] {
            let samples = depth == 4 ? [0, 1, 2, 15] : Array(0..<(1 << depth))
            let image = PNGTestImage(width: samples.count, height: 1, colourType: 0, bitDepth: depth, samples: samples)
            let decoded = try PNGFormat.decode(image.bytes, file: "t.png")
            #expect(decoded.pixels == expected.flatMap { [UInt8($0), UInt8($0), UInt8($0)] })
        }
    }

    @Test func alphaIsDroppedNotComposited() throws {
        let image = PNGTestImage(width: 2, height: 1, colourType: 6, bitDepth: 8, samples: [200, 100, 50, 0, 1, 2, 3, 255])
        #expect(try PNGFormat.decode(image.bytes, file: "t.png").pixels == [200, 100, 50, 1, 2, 3])
    }

    @Test func ignoresAncillaryChunksAndBytesAfterIEND() throws {
        var image = Self.image(colourType: 2, bitDepth: 8)
        image.extraChunks = [("gAMA", [0, 0, 0xB1, 0x8F]), ("tEXt", Array("Comment\0hi".utf8)), ("zzZz", [1, 2])]
        #expect(try PNGFormat.decode(image.bytes + [1, 2, 3], file: "t.png").pixels == image.expectedRGB)
    }

    @Test func decodesAOnePixelImage() throws {
        for interlaced in [false, true] {
            let image = PNGTestImage(width: 1, height: 1, colourType: 2, bitDepth: 8, samples: [1, 2, 3], interlaced: interlaced)
            #expect(try PNGFormat.decode(image.bytes, file: "t.png").pixels == [1, 2, 3])
        }
    }

    // MARK: - Errors

    /// A valid file to damage: 4 x 3 RGB, stored.
    static var valid: PNGTestImage {
        PNGTestImage(width: 4, height: 3, colourType: 2, bitDepth: 8, samples: (0..<36).map { $0 * 7 })
    }

    /// Chunks of `valid` with IHDR replaced.
    static func withHeader(width: Int, height: Int, depth: UInt8 = 8, colourType: UInt8 = 2,
                           tail: [UInt8] = [0, 0, 0]) -> [UInt8] {
        let ihdr = PNGTestImage.bigEndian(width) + PNGTestImage.bigEndian(height) + [depth, colourType] + tail
        return PNGFormat.signature + PNGTestImage.chunk("IHDR", ihdr)
            + PNGTestImage.chunk("IDAT", PNGTestImage.zlibStored([0])) + PNGTestImage.chunk("IEND", [])
    }

    static func chunks(_ list: [(String, [UInt8])]) -> [UInt8] {
        PNGFormat.signature + list.flatMap { PNGTestImage.chunk($0.0, $0.1) }
    }

    static var ihdr: [UInt8] { PNGTestImage.bigEndian(4) + PNGTestImage.bigEndian(3) + [8, 2, 0, 0, 0] }
    static var idat: [UInt8] { PNGTestImage.zlibStored(valid.filteredData) }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: @Sendable () -> [UInt8]
        var expected: String
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "empty", bytes: { [] }, expected: "file is empty, not a PNG file"),
        ErrorCase(name: "a JPEG", bytes: { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46] }, expected: "not a PNG file (bad signature)"),
        ErrorCase(name: "signature only", bytes: { PNGFormat.signature }, expected: "ends before the IHDR chunk"),
        ErrorCase(name: "cut in a chunk header", bytes: { Array(valid.bytes.prefix(12)) }, expected: "ends inside a chunk header"),
        ErrorCase(name: "cut in IHDR", bytes: { Array(valid.bytes.prefix(20)) },
                  expected: "truncated: chunk 'IHDR' declares 13 bytes and a CRC, but only 4 bytes follow"),
        ErrorCase(name: "cut before IEND", bytes: { Array(valid.bytes.dropLast(12)) }, expected: "ends before the IEND chunk"),
        ErrorCase(name: "CRC", bytes: { var b = valid.bytes; b[20] ^= 1; return b }, expected: "corrupt chunk 'IHDR' (CRC mismatch)"),
        ErrorCase(name: "chunk type", bytes: { var b = valid.bytes; b[13] = 0x31; return b }, expected: "corrupt chunk type at byte 12"),
        ErrorCase(name: "huge chunk", bytes: { PNGFormat.signature + [0x80, 0, 0, 0] + Array("IHDR".utf8) },
                  expected: "chunk 'IHDR' declares 2147483648 bytes, more than PNG allows"),
        ErrorCase(name: "first chunk", bytes: { chunks([("gAMA", [0, 0, 0, 1]), ("IHDR", ihdr)]) },
                  expected: "the first chunk is 'gAMA', not IHDR"),
        ErrorCase(name: "IHDR length", bytes: { chunks([("IHDR", Array(ihdr.prefix(12)))]) }, expected: "IHDR chunk of 12 bytes (must be 13)"),
        ErrorCase(name: "colour type", bytes: { withHeader(width: 1, height: 1, colourType: 5) }, expected: "invalid colour type 5"),
        ErrorCase(name: "bit depth", bytes: { withHeader(width: 1, height: 1, depth: 4, colourType: 2) },
                  expected: "invalid bit depth 4 for colour type 2"),
        ErrorCase(name: "compression", bytes: { withHeader(width: 1, height: 1, tail: [1, 0, 0]) }, expected: "unknown compression method 1"),
        ErrorCase(name: "filter method", bytes: { withHeader(width: 1, height: 1, tail: [0, 1, 0]) }, expected: "unknown filter method 1"),
        ErrorCase(name: "interlace", bytes: { withHeader(width: 1, height: 1, tail: [0, 0, 2]) }, expected: "unknown interlace method 2"),
        ErrorCase(name: "zero width", bytes: { withHeader(width: 0, height: 5) }, expected: "image is 0x5 pixels: it has no pixels"),
        ErrorCase(name: "too wide", bytes: { withHeader(width: 16385, height: 1) },
                  expected: "image is 16385x1 pixels, more than the limit of 16384 a side"),
        ErrorCase(name: "negative-looking width", bytes: { withHeader(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF) },
                  expected: "more than the limit of 16384 a side"),
        ErrorCase(name: "too many pixels", bytes: { withHeader(width: 16384, height: 8193) },
                  expected: "image is 16384x8193 = 134234112 pixels, more than the limit of 67108864"),
        ErrorCase(name: "two IHDR", bytes: { chunks([("IHDR", ihdr), ("IHDR", ihdr)]) }, expected: "more than one IHDR chunk"),
        ErrorCase(name: "no IDAT", bytes: { chunks([("IHDR", ihdr), ("IEND", [])]) }, expected: "no image data (no IDAT chunk)"),
        ErrorCase(name: "IDAT split", bytes: {
            let data = idat
            return chunks([("IHDR", ihdr), ("IDAT", Array(data.prefix(10))), ("tEXt", Array("a\0b".utf8)),
                           ("IDAT", Array(data.dropFirst(10))), ("IEND", [])])
        }, expected: "IDAT chunks are not consecutive"),
        ErrorCase(name: "unknown critical chunk", bytes: { chunks([("IHDR", ihdr), ("ABCD", []), ("IDAT", idat), ("IEND", [])]) },
                  expected: "unknown critical chunk 'ABCD'"),
        ErrorCase(name: "no palette", bytes: { withHeader(width: 1, height: 1, colourType: 3) },
                  expected: "indexed-colour image without a PLTE chunk"),
        ErrorCase(name: "palette length", bytes: {
            chunks([("IHDR", ihdr), ("PLTE", [1, 2, 3, 4]), ("IDAT", idat), ("IEND", [])])
        }, expected: "PLTE chunk of 4 bytes"),
        ErrorCase(name: "palette after data", bytes: {
            chunks([("IHDR", ihdr), ("IDAT", idat), ("PLTE", [1, 2, 3]), ("IEND", [])])
        }, expected: "the PLTE chunk comes after the image data"),
        ErrorCase(name: "palette index", bytes: {
            PNGTestImage(width: 2, height: 1, colourType: 3, bitDepth: 8, samples: [0, 2], palette: [1, 2, 3, 4, 5, 6]).bytes
        }, expected: "palette index 2 but the palette has 2 entries"),
        ErrorCase(name: "filter type", bytes: {
            var image = valid
            image.filter = { $0 == 2 ? 5 : 0 }
            return image.bytes
        }, expected: "unknown filter type 5 in row 2"),
        ErrorCase(name: "zlib method", bytes: { chunks([("IHDR", ihdr), ("IDAT", [0x79, 0x01] + idat.dropFirst(2)), ("IEND", [])]) },
                  expected: "the zlib header does not announce deflate"),
        ErrorCase(name: "zlib check bits", bytes: { chunks([("IHDR", ihdr), ("IDAT", [0x78, 0x02] + idat.dropFirst(2)), ("IEND", [])]) },
                  expected: "bad zlib header check bits"),
        ErrorCase(name: "zlib dictionary", bytes: { chunks([("IHDR", ihdr), ("IDAT", [0x78, 0x20] + idat.dropFirst(2)), ("IEND", [])]) },
                  expected: "asks for a preset dictionary"),
        ErrorCase(name: "tiny zlib", bytes: { chunks([("IHDR", ihdr), ("IDAT", [0x78, 0x01, 0]), ("IEND", [])]) },
                  expected: "truncated image data: 3 bytes of zlib stream"),
        ErrorCase(name: "too little data", bytes: {
            chunks([("IHDR", ihdr), ("IDAT", PNGTestImage.zlibStored(Array(valid.filteredData.dropLast()))), ("IEND", [])])
        }, expected: "truncated image data: it expands to 38 bytes, the image needs 39"),
        ErrorCase(name: "too much data", bytes: {
            chunks([("IHDR", ihdr), ("IDAT", PNGTestImage.zlibStored(valid.filteredData + [0])), ("IEND", [])])
        }, expected: "it expands to more than the 39 bytes the image needs"),
        ErrorCase(name: "deflate stream cut", bytes: {
            var image = valid
            image.compressed = true
            let stream = PNGTestImage.zlibDeflated(image.filteredData)
            return chunks([("IHDR", ihdr), ("IDAT", Array(stream.prefix(stream.count - 8))), ("IEND", [])])
        }, expected: "image data"),
        ErrorCase(name: "corrupt deflate", bytes: {
            chunks([("IHDR", ihdr), ("IDAT", [0x78, 0x01, 0x07, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0]), ("IEND", [])])
        }, expected: "corrupt or truncated compressed image data"),
        ErrorCase(name: "Adler-32", bytes: {
            var stream = idat
            stream[stream.count - 1] ^= 0x40
            return chunks([("IHDR", ihdr), ("IDAT", stream), ("IEND", [])])
        }, expected: "corrupt image data (Adler-32 mismatch)"),
    ]

    @Test(arguments: errorCases)
    func rejectsBadFilesWithAOneLineMessageNamingTheFile(errorCase: ErrorCase) {
        guard case .failure(let error) = Self.decode(errorCase.bytes(), file: "in/photo.png") else {
            Issue.record("decoded \(errorCase.name)")
            return
        }
        #expect(error.location.file == "in/photo.png")
        #expect(error.message.contains(errorCase.expected), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func unknownCriticalChunkIsUnsupportedNotCorrupt() {
        let bytes = Self.chunks([("IHDR", Self.ihdr), ("ABCD", []), ("IDAT", Self.idat), ("IEND", [])])
        guard case .failure(let error) = Self.decode(bytes) else {
            Issue.record("decoded")
            return
        }
        #expect(error.kind == .unsupported)
    }

    @Test func readNamesTheFile() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/a.png"
            try TestSupport.writeFile(Self.valid.bytes, to: path)
            #expect(try PNGFormat.read(path: path).pixels == Self.valid.expectedRGB)
            let missing = TestSupport.error { _ = try PNGFormat.read(path: folder + "/none.png") }
            #expect(missing?.description == folder + "/none.png: no such file")
        }
    }

    @Test func adler32MatchesTheStraightforwardDefinition() {
        var random = SeededRandom(seed: 3)
        let data = (0..<20000).map { _ in UInt8(random.next(below: 256)) }
        #expect(PNGFormat.adler32(data) == PNGTestImage.adler32(data))
        #expect(PNGFormat.adler32([]) == 1)
        #expect(PNGFormat.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }
}

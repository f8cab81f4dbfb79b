import Foundation
import SqueezeIR
@testable import SqueezeTensorIO
import Testing

@Suite struct PNMFormatTests {
    static func decode(_ text: String, raster: [UInt8] = []) throws(Diagnostic) -> RGBImage {
        try PNMFormat.decode(Array(text.utf8) + raster, file: "t.ppm")
    }

    @Test func decodesBinaryRGB() throws {
        let image = try Self.decode("P6\n2 1\n255\n", raster: [1, 2, 3, 250, 251, 252])
        #expect(image.width == 2 && image.height == 1)
        #expect(image.pixels == [1, 2, 3, 250, 251, 252])
    }

    @Test func decodesPlainRGB() throws {
        let image = try Self.decode("P3\n2 2\n255\n0 1 2  3 4 5\n6 7 8\t9 10 255\n")
        #expect(image.pixels == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255])
    }

    @Test func decodesBinaryAndPlainGrey() throws {
        #expect(try Self.decode("P5 3 1 255\n", raster: [0, 128, 255]).pixels == [0, 0, 0, 128, 128, 128, 255, 255, 255])
        #expect(try Self.decode("P2\n3 1\n255\n0 128 255").pixels == [0, 0, 0, 128, 128, 128, 255, 255, 255])
    }

    @Test func skipsCommentsAnywhereInTheHeader() throws {
        let text = "P6# right after the magic\n#another\r2 # width\n  1\n# before maxval\n255\n"
        #expect(try Self.decode(text, raster: [1, 2, 3, 4, 5, 6]).pixels == [1, 2, 3, 4, 5, 6])
        #expect(try Self.decode("P2 2 1 255 # comment in the raster\n 7 # another\n 9").pixels == [7, 7, 7, 9, 9, 9])
    }

    @Test func binaryRasterMayStartWithWhitespaceOrCommentBytes() throws {
        // Exactly one whitespace byte ends the header; raster bytes that look
        // like whitespace or '#' are pixels.
        let image = try Self.decode("P5 3 1 255\n", raster: [0x0A, 0x23, 0x20])
        #expect(image.pixels == [10, 10, 10, 35, 35, 35, 32, 32, 32])
    }

    @Test func scalesOtherMaxvalsToEightBits() throws {
        // round(v * 255 / maxval)
        #expect(try Self.decode("P2 4 1 15 0 1 8 15").pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
                == [0, 17, 136, 255])
        #expect(try Self.decode("P2 3 1 1000 0 500 1000").pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
                == [0, 128, 255])
        #expect(try Self.decode("P2 2 1 1 0 1").pixels == [0, 0, 0, 255, 255, 255])
    }

    @Test func readsSixteenBitBinarySamplesBigEndian() throws {
        let image = try Self.decode("P6 1 1 65535\n", raster: [0xFF, 0xFF, 0x80, 0x00, 0x00, 0x81])
        // 65535 -> 255, 32768 -> round(127.5...) = 128, 129 -> round(0.502) = 1
        #expect(image.pixels == [255, 128, 1])
        let grey = try Self.decode("P5 1 1 300\n", raster: [0x01, 0x2C])
        #expect(grey.pixels == [255, 255, 255])
    }

    @Test func ignoresBytesAfterTheImage() throws {
        #expect(try Self.decode("P5 1 1 255\n", raster: [9] + Array("P5 1 1 255\n\u{1}".utf8)).pixels == [9, 9, 9])
    }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: String
        var testDescription: String { name }
        init(_ name: String, _ text: String, raster: [UInt8] = [], _ expected: String) {
            self.name = name
            self.bytes = Array(text.utf8) + raster
            self.expected = expected
        }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase("empty", "", "file is empty, not a PPM or PGM file"),
        ErrorCase("PNG", "\u{89}PNG", "not a PPM or PGM file (bad magic number)"),
        ErrorCase("P9", "P9 1 1 255 0", "not a PPM or PGM file (bad magic number)"),
        ErrorCase("bitmap", "P4 1 1\n", "unsupported Netpbm type P4 (supported: P2, P3, P5, P6)"),
        ErrorCase("PAM", "P7\nWIDTH 1\n", "unsupported Netpbm type P7"),
        ErrorCase("no space", "P61 1 255\n", "no whitespace after the magic number"),
        ErrorCase("magic only", "P6", "no whitespace after the magic number"),
        ErrorCase("no height", "P6 1 ", "truncated: the file ends before the height"),
        ErrorCase("letter", "P6 1 x 255\n", "expected the height, found 'x' at byte 5"),
        ErrorCase("glued", "P6 1 1x 255\n", "expected whitespace after the height, found 'x' at byte 6"),
        ErrorCase("negative", "P6 -1 1 255\n", "expected the width, found '-'"),
        ErrorCase("huge number", "P6 99999999999999999999 1 255\n", "the width is too large"),
        ErrorCase("zero width", "P6 0 1 255\n", "image is 0x1 pixels: it has no pixels"),
        ErrorCase("too tall", "P5 1 20000 255\n", "image is 1x20000 pixels, more than the limit of 16384 a side"),
        ErrorCase("too many pixels", "P5 10000 10000 255\n", "image is 10000x10000 = 100000000 pixels, more than the limit of 67108864"),
        ErrorCase("maxval 0", "P5 1 1 0\n", "maxval 0 is not in 1...65535"),
        ErrorCase("maxval too big", "P5 1 1 65536\n", "maxval 65536 is not in 1...65535"),
        ErrorCase("no raster", "P6 2 2 255", "truncated: the file ends after maxval, before the pixels"),
        ErrorCase("comment after maxval", "P5 1 1 255#c\n", raster: [1], "expected a single whitespace byte between maxval and the pixels"),
        ErrorCase("short raster", "P6 2 2 255\n", raster: [1, 2, 3], "truncated: 2x2 pixels need 12 bytes, only 3 follow the header"),
        ErrorCase("short 16-bit raster", "P5 2 1 1000\n", raster: [1, 2, 3], "truncated: 2x1 pixels need 4 bytes, only 3 follow"),
        ErrorCase("short plain raster", "P3 1 1 255 1 2", "truncated: the file is too short for the 3 samples of 1x1 pixels"),
        ErrorCase("plain raster cut in a comment", "P3 1 1 255 1 # 2 3", "truncated: the file ends before the sample"),
        ErrorCase("huge plain image", "P3 8000 8000 255\n0 0 0", "truncated: the file is too short for the 192000000 samples"),
        ErrorCase("plain sample too big", "P2 2 1 255 1 256", "sample 256 of pixel 1,0 is above maxval 255"),
        ErrorCase("binary sample too big", "P5 1 1 1000\n", raster: [0x03, 0xE9], "sample 1001 of pixel 0,0 is above maxval 1000"),
        ErrorCase("control character", "P6 1 \u{1B} 255\n", "expected the height, found '\\u{1B}' at byte 5"),
    ]

    @Test(arguments: errorCases)
    func rejectsBadFilesWithAOneLineMessageNamingTheFile(errorCase: ErrorCase) {
        let error = TestSupport.error { _ = try PNMFormat.decode(errorCase.bytes, file: "in/photo.ppm") }
        #expect(error?.location.file == "in/photo.ppm")
        #expect(error?.message.contains(errorCase.expected) == true, "\(error?.description ?? "no error")")
        #expect(error?.description.contains("\n") == false)
    }
}

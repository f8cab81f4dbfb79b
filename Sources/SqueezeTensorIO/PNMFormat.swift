import Foundation
import SqueezeIR

/// Decodes Netpbm PPM and PGM images to `RGBImage`.
///
/// Supported: P6 (binary RGB), P3 (plain-text RGB), P5 (binary grey) and P2
/// (plain-text grey), with `#` comments in the header (and between the
/// numbers of a plain-text raster), and any maxval from 1 to 65535 (binary
/// samples are one byte up to 255, two bytes big-endian above). P1 and P4
/// (bitmaps) and P7 (PAM) are refused.
///
/// Samples are scaled to 0...255 as `round(v * 255 / maxval)` (unchanged when
/// maxval is 255); grey is copied to red, green and blue. A sample above
/// maxval is an error. A file holding several images gives the first; bytes
/// after it are ignored. Size limits as `RGBImage.maximumSide` and
/// `RGBImage.maximumPixelCount`.
public enum PNMFormat {
    /// Decodes the bytes of a PPM or PGM file. `file` names the file in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(Diagnostic) -> RGBImage {
        guard !bytes.isEmpty else {
            throw .input("file is empty, not a PPM or PGM file", file: file)
        }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (0x31...0x37).contains(bytes[1]) else {
            throw .input("not a PPM or PGM file (bad magic number)", file: file)
        }
        let kind = bytes[1] - 0x30
        let channels: Int
        let plain: Bool
        switch kind {
        case 2: (channels, plain) = (1, true)
        case 3: (channels, plain) = (3, true)
        case 5: (channels, plain) = (1, false)
        case 6: (channels, plain) = (3, false)
        default:
            throw .unsupported("unsupported Netpbm type P\(kind) (supported: P2, P3, P5, P6)", file: file)
        }
        var reader = Reader(bytes: bytes, offset: 2, file: file)
        guard reader.offset < bytes.count, isWhitespace(bytes[reader.offset]) || bytes[reader.offset] == UInt8(ascii: "#") else {
            throw .input("not a PPM or PGM file (no whitespace after the magic number)", file: file)
        }
        let width = try reader.number("width")
        let height = try reader.number("height")
        let maxval = try reader.number("maxval")
        try RGBImage.checkSize(width: width, height: height, file: file)
        guard (1...65535).contains(maxval) else {
            throw .input("maxval \(maxval) is not in 1...65535", file: file)
        }

        let sampleCount = width * height * channels
        let eightBit = { (value: Int) -> UInt8 in UInt8(maxval == 255 ? value : (value * 255 + maxval / 2) / maxval) }
        var rgb: [UInt8] = []
        /// Checks and stores sample `index`; pixels are only allocated once
        /// the file is known to be long enough.
        func store(_ value: Int, at index: Int) throws(Diagnostic) {
            guard value <= maxval else {
                let pixel = index / channels
                throw .input("sample \(value) of pixel \(pixel % width),\(pixel / width) is above maxval \(maxval)", file: file)
            }
            if channels == 3 {
                rgb[index] = eightBit(value)
            } else {
                let grey = eightBit(value)
                rgb[3 * index] = grey
                rgb[3 * index + 1] = grey
                rgb[3 * index + 2] = grey
            }
        }

        if plain {
            // Every sample takes a digit and a separator (the last may end the file).
            let remaining = bytes.count - reader.offset
            guard remaining >= 2 * sampleCount - 1 else {
                throw .input("truncated: the file is too short for the \(sampleCount) samples of \(width)x\(height) pixels",
                             file: file)
            }
            rgb = [UInt8](repeating: 0, count: width * height * 3)
            for index in 0..<sampleCount {
                try store(try reader.number("sample"), at: index)
            }
        } else {
            // Exactly one whitespace byte separates maxval from the raster.
            guard reader.offset < bytes.count else {
                throw .input("truncated: the file ends after maxval, before the pixels", file: file)
            }
            guard isWhitespace(bytes[reader.offset]) else {
                throw .input("expected a single whitespace byte between maxval and the pixels", file: file)
            }
            let start = reader.offset + 1
            let sampleBytes = maxval > 255 ? 2 : 1
            let needed = sampleCount * sampleBytes
            let available = bytes.count - start
            guard available >= needed else {
                throw .input("truncated: \(width)x\(height) pixels need \(needed) bytes, only \(available) follow the header",
                             file: file)
            }
            rgb = [UInt8](repeating: 0, count: width * height * 3)
            for index in 0..<sampleCount {
                let value = sampleBytes == 1
                    ? Int(bytes[start + index])
                    : Int(bytes[start + 2 * index]) << 8 | Int(bytes[start + 2 * index + 1])
                try store(value, at: index)
            }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }

    /// Decodes the bytes of a PPM or PGM file. `file` names the file in errors.
    public static func decode(_ data: Data, file: String) throws(Diagnostic) -> RGBImage {
        try decode([UInt8](data), file: file)
    }

    /// Reads and decodes a PPM or PGM file.
    public static func read(path: String) throws(Diagnostic) -> RGBImage {
        try decode(FileAccess.readBytes(path), file: path)
    }

    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Reads decimal numbers separated by whitespace and comments.
    private struct Reader {
        let bytes: [UInt8]
        var offset: Int
        let file: String

        /// The next number: skips whitespace and `#` comments (to the end of
        /// the line), then reads digits, which must end at whitespace, a
        /// comment or the end of the file.
        mutating func number(_ what: String) throws(Diagnostic) -> Int {
            while offset < bytes.count {
                if PNMFormat.isWhitespace(bytes[offset]) {
                    offset += 1
                } else if bytes[offset] == UInt8(ascii: "#") {
                    while offset < bytes.count && bytes[offset] != 0x0A && bytes[offset] != 0x0D {
                        offset += 1
                    }
                } else {
                    break
                }
            }
            guard offset < bytes.count else {
                throw .input("truncated: the file ends before the \(what)", file: file)
            }
            var value = 0
            var digits = 0
            while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) {
                value = value * 10 + Int(bytes[offset] - 0x30)
                digits += 1
                offset += 1
                guard value <= Int(Int32.max) else {
                    throw .input("the \(what) is too large", file: file)
                }
            }
            guard digits > 0 else {
                let found = MessageText.printable(String(decoding: [bytes[offset]], as: UTF8.self))
                throw .input("expected the \(what), found '\(found)' at byte \(offset)", file: file)
            }
            if offset < bytes.count {
                let next = bytes[offset]
                guard PNMFormat.isWhitespace(next) || next == UInt8(ascii: "#") else {
                    let found = MessageText.printable(String(decoding: [next], as: UTF8.self))
                    throw .input("expected whitespace after the \(what), found '\(found)' at byte \(offset)", file: file)
                }
            }
            return value
        }
    }
}

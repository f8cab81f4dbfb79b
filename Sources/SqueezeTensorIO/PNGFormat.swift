import Foundation
import SqueezeIR
import ZIPFoundation

/// Decodes PNG images (the W3C / ISO 15948 PNG specification) to `RGBImage`.
///
/// Supported: every colour type and bit depth the specification allows —
/// greyscale (1, 2, 4, 8 or 16 bits), indexed colour (1, 2, 4 or 8 bits),
/// truecolour, greyscale with alpha and truecolour with alpha (8 or 16 bits) —
/// all five filter types, Adam7 interlacing, and image data split over any
/// number of IDAT chunks.
///
/// Conversion to 8-bit RGB:
/// - 16-bit samples keep their high byte (`v >> 8`);
/// - 1-, 2- and 4-bit grey is scaled to 0...255 (`v * 255 / (2^depth - 1)`,
///   exact: a 1-bit 1 is 255, a 2-bit 1 is 85);
/// - grey is copied to red, green and blue; palette indices are looked up in
///   PLTE;
/// - alpha (an alpha channel or a tRNS chunk) is dropped, not composited over
///   a background: a transparent pixel keeps its stored colour;
/// - ancillary chunks (gAMA, cHRM, sRGB, iCCP, sBIT, text, ...) are ignored:
///   there is no colour management.
///
/// Checked, with a one-line error naming the file: the signature, the CRC of
/// every chunk, chunk order (IHDR first, PLTE before the image data, IDAT
/// chunks consecutive, IEND present), the zlib header, the exact length of
/// the decompressed data and its Adler-32 checksum, filter types and palette
/// indices. Unknown critical chunks are refused; bytes after IEND are
/// ignored. Images larger than `RGBImage.maximumSide` a side or
/// `RGBImage.maximumPixelCount` pixels are refused before any pixel memory is
/// allocated.
public enum PNGFormat {
    /// The first eight bytes of every PNG file.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Largest chunk length the specification allows (2^31 - 1).
    static let maximumChunkLength = 0x7FFF_FFFF

    /// The Adam7 passes: first column, first row, column step, row step.
    static let adam7: [(x: Int, y: Int, dx: Int, dy: Int)] = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    /// The IHDR fields that matter for decoding.
    struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colourType: Int
        var interlaced: Bool

        /// Samples per pixel.
        var channels: Int {
            switch colourType {
            case 2: 3
            case 4: 2
            case 6: 4
            default: 1  // 0 grey, 3 palette index
            }
        }

        var bitsPerPixel: Int { channels * bitDepth }

        /// The filter's byte distance to "the pixel on the left": whole bytes
        /// per pixel, at least 1.
        var filterStride: Int { max(1, bitsPerPixel / 8) }

        /// Bytes in one row of `width` pixels, without the filter-type byte.
        func rowBytes(width: Int) -> Int { (width * bitsPerPixel + 7) / 8 }

        /// The sub-images the data holds, in order: one for a plain image,
        /// the non-empty Adam7 passes for an interlaced one.
        var passes: [(x: Int, y: Int, dx: Int, dy: Int, width: Int, height: Int)] {
            guard interlaced else { return [(0, 0, 1, 1, width, height)] }
            return adam7.compactMap { pass in
                let w = width > pass.x ? (width - pass.x + pass.dx - 1) / pass.dx : 0
                let h = height > pass.y ? (height - pass.y + pass.dy - 1) / pass.dy : 0
                return w > 0 && h > 0 ? (pass.x, pass.y, pass.dx, pass.dy, w, h) : nil
            }
        }

        /// Bytes of decompressed data the image needs: each row of each pass
        /// is preceded by its filter-type byte.
        var dataSize: Int {
            passes.reduce(0) { $0 + $1.height * (1 + rowBytes(width: $1.width)) }
        }
    }

    // MARK: - Decoding

    /// Decodes the bytes of a PNG file. `file` names the file in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(Diagnostic) -> RGBImage {
        guard !bytes.isEmpty else {
            throw .input("file is empty, not a PNG file", file: file)
        }
        guard bytes.count >= signature.count, Array(bytes[0..<signature.count]) == signature else {
            throw .input("not a PNG file (bad signature)", file: file)
        }
        var header: Header?
        var palette: [UInt8]?
        var compressed: [UInt8] = []
        var imageDataState = 0  // 0 none yet, 1 inside the IDAT run, 2 after it
        var offset = signature.count
        var sawEnd = false

        while offset < bytes.count {
            guard bytes.count - offset >= 8 else {
                throw .input("truncated: the file ends inside a chunk header", file: file)
            }
            let length = bigEndian32(bytes, at: offset)
            let typeBytes = Array(bytes[offset + 4..<offset + 8])
            guard typeBytes.allSatisfy(isASCIILetter) else {
                throw .input("corrupt chunk type at byte \(offset + 4)", file: file)
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= maximumChunkLength else {
                throw .input("chunk '\(type)' declares \(length) bytes, more than PNG allows", file: file)
            }
            let dataStart = offset + 8
            let available = bytes.count - dataStart
            guard length + 4 <= available else {
                throw .input("truncated: chunk '\(type)' declares \(length) bytes and a CRC, "
                             + "but only \(available) bytes follow", file: file)
            }
            let dataEnd = dataStart + length
            let stored = UInt32(bigEndian32(bytes, at: dataEnd))
            let computed = Data(bytes[offset + 4..<dataEnd]).crc32(checksum: 0)
            guard stored == computed else {
                throw .input("corrupt chunk '\(type)' (CRC mismatch)", file: file)
            }
            let data = bytes[dataStart..<dataEnd]
            offset = dataEnd + 4

            if header == nil && type != "IHDR" {
                throw .input("the first chunk is '\(type)', not IHDR", file: file)
            }
            if imageDataState == 1 && type != "IDAT" {
                imageDataState = 2
            }
            switch type {
            case "IHDR":
                guard header == nil else {
                    throw .input("more than one IHDR chunk", file: file)
                }
                header = try parseHeader(Array(data), file: file)
            case "PLTE":
                guard palette == nil else {
                    throw .input("more than one PLTE chunk", file: file)
                }
                guard imageDataState == 0 else {
                    throw .input("the PLTE chunk comes after the image data", file: file)
                }
                guard data.count % 3 == 0, (3...768).contains(data.count) else {
                    throw .input("PLTE chunk of \(data.count) bytes (must be 3 to 768, a multiple of 3)", file: file)
                }
                palette = Array(data)
            case "IDAT":
                guard imageDataState != 2 else {
                    throw .input("IDAT chunks are not consecutive", file: file)
                }
                imageDataState = 1
                compressed.append(contentsOf: data)
            case "IEND":
                sawEnd = true
            default:
                guard typeBytes[0] & 0x20 != 0 else {
                    throw .unsupported("unknown critical chunk '\(type)'", file: file)
                }
            }
            if sawEnd { break }
        }

        guard let header else {
            throw .input("truncated: the file ends before the IHDR chunk", file: file)
        }
        guard sawEnd else {
            throw .input("truncated: the file ends before the IEND chunk", file: file)
        }
        guard imageDataState != 0 else {
            throw .input("no image data (no IDAT chunk)", file: file)
        }
        if header.colourType == 3 && palette == nil {
            throw .input("indexed-colour image without a PLTE chunk", file: file)
        }
        let raw = try inflate(compressed, expectedSize: header.dataSize, file: file)
        return try pixels(of: raw, header: header, palette: palette ?? [], file: file)
    }

    /// Decodes the bytes of a PNG file. `file` names the file in errors.
    public static func decode(_ data: Data, file: String) throws(Diagnostic) -> RGBImage {
        try decode([UInt8](data), file: file)
    }

    /// Reads and decodes a PNG file.
    public static func read(path: String) throws(Diagnostic) -> RGBImage {
        try decode(FileAccess.readBytes(path), file: path)
    }

    // MARK: - Chunks

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    /// The IHDR chunk, checked.
    static func parseHeader(_ data: [UInt8], file: String) throws(Diagnostic) -> Header {
        guard data.count == 13 else {
            throw .input("IHDR chunk of \(data.count) bytes (must be 13)", file: file)
        }
        let width = bigEndian32(data, at: 0)
        let height = bigEndian32(data, at: 4)
        let bitDepth = Int(data[8])
        let colourType = Int(data[9])
        let allowed: [Int]
        switch colourType {
        case 0: allowed = [1, 2, 4, 8, 16]
        case 3: allowed = [1, 2, 4, 8]
        case 2, 4, 6: allowed = [8, 16]
        default:
            throw .input("invalid colour type \(colourType) in IHDR", file: file)
        }
        guard allowed.contains(bitDepth) else {
            throw .input("invalid bit depth \(bitDepth) for colour type \(colourType) in IHDR", file: file)
        }
        guard data[10] == 0 else {
            throw .unsupported("unknown compression method \(data[10]) in IHDR", file: file)
        }
        guard data[11] == 0 else {
            throw .unsupported("unknown filter method \(data[11]) in IHDR", file: file)
        }
        guard data[12] <= 1 else {
            throw .unsupported("unknown interlace method \(data[12]) in IHDR", file: file)
        }
        try RGBImage.checkSize(width: width, height: height, file: file)
        return Header(width: width, height: height, bitDepth: bitDepth, colourType: colourType,
                      interlaced: data[12] == 1)
    }

    // MARK: - Decompression

    /// Why the inflater stopped early.
    private enum InflateStop: Error {
        case inputExhausted
        case tooMuchOutput
    }

    /// Buffer size of the inflater.
    private static let inflateBufferSize = 1 << 16

    /// Decompresses a zlib stream (RFC 1950) that must expand to exactly
    /// `expectedSize` bytes: the header is checked here, the deflate data is
    /// inflated by ZIPFoundation (zlib), and the Adler-32 trailer is checked
    /// against the output.
    static func inflate(_ stream: [UInt8], expectedSize: Int, file: String) throws(Diagnostic) -> [UInt8] {
        guard stream.count >= 2 + 4 else {
            throw .input("truncated image data: \(stream.count) bytes of zlib stream", file: file)
        }
        let cmf = Int(stream[0])
        let flags = Int(stream[1])
        guard cmf & 0x0F == 8, cmf >> 4 <= 7 else {
            throw .input("corrupt image data: the zlib header does not announce deflate", file: file)
        }
        guard (cmf << 8 | flags) % 31 == 0 else {
            throw .input("corrupt image data: bad zlib header check bits", file: file)
        }
        guard flags & 0x20 == 0 else {
            throw .input("corrupt image data: the zlib stream asks for a preset dictionary", file: file)
        }

        // The deflate data, offered in chunks of exactly the buffer size (the
        // Linux inflater assumes every chunk is full), zero-padded by at least
        // one chunk so that a truncated stream fails inside the padding (zero
        // bytes are never a valid end of a deflate stream that needed more
        // input); past the padding the provider throws, so the inflater stops.
        let deflate = stream[2...]
        let bufferSize = inflateBufferSize
        let paddedLength = (deflate.count / bufferSize + 2) * bufferSize
        var output: [UInt8] = []
        output.reserveCapacity(min(expectedSize, 1 << 24))  // the header alone must not allocate much
        do {
            _ = try Data.decompress(
                size: Int64(paddedLength), bufferSize: bufferSize, skipCRC32: true,
                provider: { position, size in
                    let start = Int(position)
                    guard size > 0 else { return Data() }
                    guard start >= 0, start < paddedLength else { throw InflateStop.inputExhausted }
                    let end = min(start + size, paddedLength)
                    var chunk = Data(count: end - start)
                    let copyEnd = min(end, deflate.count)
                    if start < copyEnd {
                        let base = deflate.startIndex
                        chunk.replaceSubrange(0..<copyEnd - start, with: deflate[base + start..<base + copyEnd])
                    }
                    return chunk
                },
                consumer: { chunk in
                    guard chunk.count <= expectedSize - output.count else { throw InflateStop.tooMuchOutput }
                    output.append(contentsOf: chunk)
                })
        } catch InflateStop.tooMuchOutput {
            throw .input("corrupt image data: it expands to more than the \(expectedSize) bytes the image needs", file: file)
        } catch {
            throw .input("corrupt or truncated compressed image data", file: file)
        }
        guard output.count == expectedSize else {
            throw .input("truncated image data: it expands to \(output.count) bytes, the image needs \(expectedSize)", file: file)
        }
        let trailer = UInt32(bigEndian32(Array(stream[(stream.count - 4)...]), at: 0))
        guard adler32(output) == trailer else {
            throw .input("corrupt image data (Adler-32 mismatch)", file: file)
        }
        return output
    }

    /// The Adler-32 checksum of RFC 1950.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        let modulus: UInt32 = 65521
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            // 5552 bytes is the most that cannot overflow 32 bits before the modulo.
            let end = min(index + 5552, bytes.count)
            while index < end {
                a &+= UInt32(bytes[index])
                b &+= a
                index += 1
            }
            a %= modulus
            b %= modulus
        }
        return b << 16 | a
    }

    // MARK: - Pixels

    /// Undoes the filters of each pass and converts every pixel to RGB8.
    static func pixels(of raw: [UInt8], header: Header, palette: [UInt8], file: String) throws(Diagnostic) -> RGBImage {
        var rgb = [UInt8](repeating: 0, count: header.width * header.height * 3)
        var offset = 0
        let stride = header.filterStride
        for pass in header.passes {
            let rowBytes = header.rowBytes(width: pass.width)
            var previous = [UInt8](repeating: 0, count: rowBytes)
            var row = [UInt8](repeating: 0, count: rowBytes)
            for passRow in 0..<pass.height {
                let filter = raw[offset]
                let start = offset + 1
                offset = start + rowBytes
                let y = pass.y + passRow * pass.dy
                try unfilter(filter, raw[start..<offset], previous: previous, stride: stride, into: &row,
                             imageRow: y, file: file)
                for passColumn in 0..<pass.width {
                    let x = pass.x + passColumn * pass.dx
                    let target = (y * header.width + x) * 3
                    try convert(row, pixel: passColumn, header: header, palette: palette,
                                into: &rgb, at: target, file: file)
                }
                swap(&previous, &row)
            }
        }
        return RGBImage(width: header.width, height: header.height, pixels: rgb)
    }

    /// Reverses one row's filter (PNG filter method 0) into `row`.
    private static func unfilter(_ filter: UInt8, _ filtered: ArraySlice<UInt8>, previous: [UInt8], stride: Int,
                                 into row: inout [UInt8], imageRow: Int, file: String) throws(Diagnostic) {
        let base = filtered.startIndex
        let count = row.count
        switch filter {
        case 0:
            for i in 0..<count { row[i] = filtered[base + i] }
        case 1:  // Sub
            for i in 0..<count {
                let left = i >= stride ? row[i - stride] : 0
                row[i] = filtered[base + i] &+ left
            }
        case 2:  // Up
            for i in 0..<count { row[i] = filtered[base + i] &+ previous[i] }
        case 3:  // Average
            for i in 0..<count {
                let left = i >= stride ? Int(row[i - stride]) : 0
                row[i] = filtered[base + i] &+ UInt8((left + Int(previous[i])) >> 1)
            }
        case 4:  // Paeth
            for i in 0..<count {
                let a = i >= stride ? Int(row[i - stride]) : 0
                let b = Int(previous[i])
                let c = i >= stride ? Int(previous[i - stride]) : 0
                row[i] = filtered[base + i] &+ UInt8(paeth(a, b, c))
            }
        default:
            throw .input("corrupt image data: unknown filter type \(filter) in row \(imageRow)", file: file)
        }
    }

    /// The Paeth predictor: whichever of left, up and upper-left is closest
    /// to left + up - upper-left, preferring them in that order on ties.
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a)
        let pb = abs(p - b)
        let pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        if pb <= pc { return b }
        return c
    }

    /// Writes pixel `index` of an unfiltered row as three RGB bytes.
    private static func convert(_ row: [UInt8], pixel index: Int, header: Header, palette: [UInt8],
                                into rgb: inout [UInt8], at target: Int, file: String) throws(Diagnostic) {
        let depth = header.bitDepth
        switch header.colourType {
        case 0:
            let value = sample(row, index, depth: depth)
            let grey = depth >= 8 ? value : value * 255 / ((1 << depth) - 1)
            rgb[target] = UInt8(grey)
            rgb[target + 1] = UInt8(grey)
            rgb[target + 2] = UInt8(grey)
        case 3:
            let entry = sample(row, index, depth: depth)
            guard entry * 3 + 2 < palette.count else {
                throw .input("corrupt image data: palette index \(entry) but the palette has \(palette.count / 3) entries",
                             file: file)
            }
            rgb[target] = palette[entry * 3]
            rgb[target + 1] = palette[entry * 3 + 1]
            rgb[target + 2] = palette[entry * 3 + 2]
        case 4:
            let grey = UInt8(sample(row, index * 2, depth: depth))
            rgb[target] = grey
            rgb[target + 1] = grey
            rgb[target + 2] = grey
        default:  // 2 RGB, 6 RGBA
            let first = index * header.channels
            for channel in 0..<3 {
                rgb[target + channel] = UInt8(sample(row, first + channel, depth: depth))
            }
        }
    }

    /// Sample `index` of a row of `depth`-bit samples; 16-bit samples give
    /// their high byte.
    private static func sample(_ row: [UInt8], _ index: Int, depth: Int) -> Int {
        switch depth {
        case 8: return Int(row[index])
        case 16: return Int(row[index * 2])
        default:
            let bit = index * depth
            let shift = 8 - depth - bit % 8
            return Int(row[bit / 8] >> UInt8(shift)) & ((1 << depth) - 1)
        }
    }
}

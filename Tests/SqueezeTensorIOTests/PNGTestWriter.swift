import Foundation
import SqueezeIR
@testable import SqueezeTensorIO
import ZIPFoundation

/// A small PNG encoder for the tests, written from the specification: any
/// colour type and bit depth, a chosen filter per row, Adam7, stored or
/// deflated zlib data, IDAT split into several chunks, extra chunks.
struct PNGTestImage {
    var width: Int
    var height: Int
    var colourType: Int
    var bitDepth: Int
    /// One Int per sample, row-major, channels interleaved (16-bit samples
    /// 0...65535, palette indices for colour type 3).
    var samples: [Int]
    var palette: [UInt8]? = nil
    var interlaced = false
    /// Filter type of each row (of each pass), by row number within its pass.
    var filter: (Int) -> UInt8 = { _ in 0 }
    /// Deflate with zlib (ZIPFoundation) instead of stored blocks.
    var compressed = false
    /// Number of IDAT chunks the zlib stream is cut into.
    var idatCount = 1
    /// Chunks (type, data) written right after IHDR.
    var extraChunks: [(String, [UInt8])] = []

    var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]! }

    /// The 8-bit RGB pixels the decoder should produce.
    var expectedRGB: [UInt8] {
        var rgb: [UInt8] = []
        for pixel in 0..<width * height {
            let first = pixel * channels
            func eight(_ value: Int) -> UInt8 {
                bitDepth == 16 ? UInt8(value >> 8) : UInt8(value)
            }
            switch colourType {
            case 0:
                let value = samples[first]
                let grey = bitDepth < 8 ? UInt8(value * 255 / ((1 << bitDepth) - 1)) : eight(value)
                rgb += [grey, grey, grey]
            case 3:
                let entry = samples[first]
                rgb += Array(palette![entry * 3..<entry * 3 + 3])
            case 4:
                rgb += [UInt8](repeating: eight(samples[first]), count: 3)
            default:
                rgb += (0..<3).map { eight(samples[first + $0]) }
            }
        }
        return rgb
    }

    /// The raw (unfiltered) scanline data before compression.
    var filteredData: [UInt8] {
        let passes: [(x: Int, y: Int, dx: Int, dy: Int)] = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        let bytesPerPixel = max(1, channels * bitDepth / 8)
        var data: [UInt8] = []
        for pass in passes {
            let columns = Array(Swift.stride(from: pass.x, to: width, by: pass.dx))
            let rows = Array(Swift.stride(from: pass.y, to: height, by: pass.dy))
            guard !columns.isEmpty, !rows.isEmpty else { continue }
            var previous: [UInt8]?
            for (rowNumber, y) in rows.enumerated() {
                var rowSamples: [Int] = []
                for x in columns {
                    let first = (y * width + x) * channels
                    rowSamples += samples[first..<first + channels]
                }
                let row = Self.pack(rowSamples, depth: bitDepth)
                let type = filter(rowNumber)
                data.append(type)
                data += Self.filterRow(type, row, previous: previous ?? [UInt8](repeating: 0, count: row.count),
                                       bytesPerPixel: bytesPerPixel)
                previous = row
            }
        }
        return data
    }

    /// The PNG file.
    var bytes: [UInt8] {
        var ihdr = Self.bigEndian(width) + Self.bigEndian(height)
        ihdr += [UInt8(bitDepth), UInt8(colourType), 0, 0, interlaced ? 1 : 0]
        var file = PNGFormat.signature + Self.chunk("IHDR", ihdr)
        for (type, data) in extraChunks { file += Self.chunk(type, data) }
        if let palette { file += Self.chunk("PLTE", palette) }
        let stream = compressed ? Self.zlibDeflated(filteredData) : Self.zlibStored(filteredData)
        let pieceSize = max(1, (stream.count + idatCount - 1) / idatCount)
        var start = 0
        while start < stream.count {
            let end = min(start + pieceSize, stream.count)
            file += Self.chunk("IDAT", Array(stream[start..<end]))
            start = end
        }
        return file + Self.chunk("IEND", [])
    }

    // MARK: - Pieces

    /// Packs samples MSB first: several to a byte below 8 bits, two bytes
    /// big-endian at 16.
    static func pack(_ samples: [Int], depth: Int) -> [UInt8] {
        switch depth {
        case 8: return samples.map { UInt8($0) }
        case 16: return samples.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        default:
            var bytes = [UInt8](repeating: 0, count: (samples.count * depth + 7) / 8)
            for (index, sample) in samples.enumerated() {
                let bit = index * depth
                bytes[bit / 8] |= UInt8(sample << (8 - depth - bit % 8))
            }
            return bytes
        }
    }

    /// Applies a filter (specification, section 9.2) to one row.
    static func filterRow(_ type: UInt8, _ row: [UInt8], previous: [UInt8], bytesPerPixel: Int) -> [UInt8] {
        (0..<row.count).map { i in
            let a = i >= bytesPerPixel ? Int(row[i - bytesPerPixel]) : 0
            let b = Int(previous[i])
            let c = i >= bytesPerPixel ? Int(previous[i - bytesPerPixel]) : 0
            let predictor: Int
            switch type {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            default:
                let p = a + b - c
                let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            }
            return UInt8((Int(row[i]) - predictor + 256) % 256)
        }
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Length, type, data, CRC.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(data.count) + body + bigEndian(Int(Data(body).crc32(checksum: 0)))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let length = end - start
            stream.append(end == data.count ? 1 : 0)
            stream += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8 & 0xFF)]
            stream += data[start..<end]
            start = end
        } while start < data.count
        return stream + bigEndian(Int(adler32(data)))
    }

    /// A zlib stream deflated by ZIPFoundation.
    static func zlibDeflated(_ data: [UInt8]) -> [UInt8] {
        var deflated: [UInt8] = []
        _ = try! Data.compress(size: Int64(data.count), bufferSize: 4096, provider: { position, size in
            Data(data[Int(position)..<min(Int(position) + size, data.count)])
        }, consumer: { deflated += $0 })
        return [0x78, 0x9C] + deflated + bigEndian(Int(adler32(data)))
    }

    /// Adler-32, the plain way.
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// Random samples for a test image of this type.
    static func randomSamples(count: Int, depth: Int, limit: Int? = nil, using random: inout SeededRandom) -> [Int] {
        let bound = limit ?? (1 << depth)
        return (0..<count).map { _ in random.next(below: bound) }
    }
}

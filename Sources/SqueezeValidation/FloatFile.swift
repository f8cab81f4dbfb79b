import Foundation
import SqueezeIR

/// Raw files exchanged with harnesses: little-endian float32, or int8 codes
/// (`int8: true`; the codes travel in Swift as exact Float values).
public enum FloatFile {
    public static func write(_ values: [Float], to url: URL, int8: Bool = false) throws(Diagnostic) {
        try write(encode(values, int8: int8), to: url)
    }

    /// Bytes already encoded (`GeneratedModel.inputFile`).
    public static func write(_ data: Data, to url: URL) throws(Diagnostic) {
        do {
            try data.write(to: url)
        } catch {
            throw .input("cannot write: \(error.localizedDescription)", file: url.path)
        }
    }

    /// The file's bytes for `values`.
    public static func encode(_ values: [Float], int8: Bool = false) -> Data {
        var data = Data(capacity: values.count * 4)
        if int8 {
            data.append(contentsOf: values.map { UInt8(bitPattern: Int8(clamping: Int($0))) })
        } else {
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    public static func read(_ url: URL, count: Int, int8: Bool = false) throws(Diagnostic) -> [Float] {
        guard let data = try? Data(contentsOf: url) else { throw .input("cannot read", file: url.path) }
        guard data.count == count * (int8 ? 1 : 4) else {
            throw .input("holds \(data.count) bytes, expected \(count) \(int8 ? "int8 codes" : "floats")", file: url.path)
        }
        return int8 ? decodeInt8(Array(data)) : decode(Array(data))
    }

    static func decodeInt8(_ bytes: [UInt8]) -> [Float] {
        bytes.map { Float(Int8(bitPattern: $0)) }
    }

    static func decode(_ bytes: [UInt8]) -> [Float] {
        stride(from: 0, to: bytes.count - 3, by: 4).map { i in
            Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
    }
}

/// One record of a trace: a whole value (`row` nil) or one row of a streamed value.
public struct TraceRecord: Sendable, Hashable {
    public var name: String
    public var row: Int?
    public var values: [Float]

    public init(name: String, row: Int? = nil, values: [Float]) {
        self.name = name
        self.row = row
        self.values = values
    }
}

/// The per-layer dump a harness built with -DSQ_TRACE writes: records of
/// uint32 name length, name, int32 row (-1: a whole value), uint32 count,
/// count elements (float, or int8 codes).
public enum TraceFile {
    public static func parse(_ bytes: [UInt8], file: String, int8: Bool = false) throws(Diagnostic) -> [TraceRecord] {
        let size = int8 ? 1 : 4
        var records: [TraceRecord] = []
        var at = 0
        func u32() throws(Diagnostic) -> Int {
            guard at + 4 <= bytes.count else { throw .input("trace is truncated", file: file) }
            defer { at += 4 }
            return Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        while at < bytes.count {
            let length = try u32()
            guard length <= 4096, at + length <= bytes.count else { throw .input("trace record name is corrupt", file: file) }
            let name = String(decoding: bytes[at..<(at + length)], as: UTF8.self)
            at += length
            let rawRow = try u32()
            guard rawRow == 0xFFFF_FFFF || rawRow < 1 << 24 else { throw .input("trace record '\(name)' has a corrupt row", file: file) }
            let count = try u32()
            guard at + count * size <= bytes.count else { throw .input("trace record '\(name)' is truncated", file: file) }
            let raw = Array(bytes[at..<(at + count * size)])
            records.append(TraceRecord(name: name, row: rawRow == 0xFFFF_FFFF ? nil : rawRow,
                                       values: int8 ? FloatFile.decodeInt8(raw) : FloatFile.decode(raw)))
            at += count * size
        }
        return records
    }
}

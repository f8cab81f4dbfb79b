/// A tiny protocol buffers encoder for building test inputs by hand.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: Int, _ wireType: UInt8) {
        varint(UInt64(field) << 3 | UInt64(wireType))
    }

    mutating func fixed32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// A varint field (int64, int32, enum, bool).
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        fixed32(value.bitPattern)
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    mutating func message(_ field: Int, _ body: (inout ProtoWriter) -> Void) {
        var nested = ProtoWriter()
        body(&nested)
        bytes(field, nested.bytes)
    }

    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var nested = ProtoWriter()
        for value in values { nested.varint(UInt64(bitPattern: value)) }
        bytes(field, nested.bytes)
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        var nested = ProtoWriter()
        for value in values { nested.fixed32(value.bitPattern) }
        bytes(field, nested.bytes)
    }

    static func encode(_ body: (inout ProtoWriter) -> Void) -> [UInt8] {
        var writer = ProtoWriter()
        body(&writer)
        return writer.bytes
    }
}

/// Little-endian bytes of float32 values.
func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in
        (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) }
    }
}

/// Little-endian bytes of int64 values.
func int64Bytes(_ values: [Int64]) -> [UInt8] {
    values.flatMap { value in
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (8 * UInt64($0))) }
    }
}

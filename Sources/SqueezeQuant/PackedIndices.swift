/// Unsigned integers of a fixed bit width (1...8) packed little-endian
/// into bytes: value `i` occupies bits `i*bits ..< (i+1)*bits` of the
/// stream, bit 0 being the least significant bit of byte 0. The last byte
/// is zero-padded.
public enum PackedIndices {
    /// Bytes `count` values of `bits` bits take.
    public static func byteCount(count: Int, bits: Int) -> Int { (count * bits + 7) / 8 }

    public static func pack(_ values: [Int], bits: Int) -> [UInt8] {
        precondition((1...8).contains(bits), "bit width \(bits) is not 1...8")
        var bytes = [UInt8](repeating: 0, count: byteCount(count: values.count, bits: bits))
        for (i, v) in values.enumerated() {
            precondition(v >= 0 && v < 1 << bits, "value \(v) does not fit \(bits) bits")
            let bit = i * bits
            let wide = UInt16(v) << UInt16(bit % 8)
            bytes[bit / 8] |= UInt8(wide & 0xFF)
            if wide >> 8 != 0 { bytes[bit / 8 + 1] |= UInt8(wide >> 8) }
        }
        return bytes
    }

    public static func unpack(_ bytes: [UInt8], bits: Int, count: Int) -> [Int] {
        precondition((1...8).contains(bits), "bit width \(bits) is not 1...8")
        precondition(bytes.count >= byteCount(count: count, bits: bits), "too few bytes for \(count) values")
        let mask = (1 << bits) - 1
        return (0..<count).map { i in
            let bit = i * bits
            var wide = Int(bytes[bit / 8])
            if bit / 8 + 1 < bytes.count { wide |= Int(bytes[bit / 8 + 1]) << 8 }
            return (wide >> (bit % 8)) & mask
        }
    }
}

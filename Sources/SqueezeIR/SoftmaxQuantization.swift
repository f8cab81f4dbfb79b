import Foundation

/// An int8 softmax over the last axis: int8 codes in, int8 probabilities
/// out with the fixed output parameters scale 1/256, zero point -128 (code
/// -128 is 0, 127 is 255/256; TFLite's convention). Integer only, with a
/// table computed here once and emitted as data, so the Swift reference and
/// the generated C (`sq_softmax_s8`) agree bit for bit:
///
///     table[d] = round(2^16 * exp(-input.scale * d)),  d = 0...255
///     m   = max code of the row
///     sum = sum_i table[m - q_i]                       (uint32)
///     out = min(floor((table[m - q] * 512 + sum) / (2 * sum)) - 128, 127)
///
/// i.e. `round(256 * table[m - q] / sum)` half up, in 64 bits. The zero
/// point cancels in `q - m`. `sum` fits in uint32 for rows of fewer than
/// 65,536 values (checked by the quantizer: `maximumWidth`).
public struct SoftmaxQuantization: Sendable, Hashable {
    public var input: QuantParams
    public var output: QuantParams
    /// `exp(-scale * d)` in Q16 for d = 0...255 (table[0] = 65536).
    public var table: [UInt32]

    public init(input: QuantParams, output: QuantParams, table: [UInt32]) {
        self.input = input
        self.output = output
        self.table = table
    }

    public static let outputParams = QuantParams(scale: 1.0 / 256, zeroPoint: -128)
    public static let maximumWidth = 65_535

    public static func derive(input: QuantParams) -> SoftmaxQuantization {
        let table = (0..<256).map { d in UInt32((65536 * exp(-Double(input.scale) * Double(d))).rounded(.toNearestOrAwayFromZero)) }
        return SoftmaxQuantization(input: input, output: outputParams, table: table)
    }

    /// The output codes of one row of input codes.
    public func apply(_ row: ArraySlice<Int8>) -> [Int8] {
        guard let m = row.max() else { return [] }
        var sum: UInt32 = 0
        for q in row { sum &+= table[Int(m) - Int(q)] }
        return row.map { q in
            let numerator = UInt64(table[Int(m) - Int(q)]) * 512 + UInt64(sum)
            let v = Int64(numerator / (2 * UInt64(sum))) - 128
            return Int8(min(v, 127))
        }
    }
}

import SqueezeIR

/// A supported NumPy dtype, parsed from a `descr` string such as `<f4`.
struct NpyDataType: Equatable {
    enum Kind: Equatable {
        case float32
        case float64
        case int8
        case int32
    }

    var kind: Kind
    /// True when multi-byte values are stored most significant byte first.
    var bigEndian: Bool

    /// Bytes per element in the file.
    var itemSize: Int {
        switch kind {
        case .int8: 1
        case .float32, .int32: 4
        case .float64: 8
        }
    }

    /// The NumPy name, used in messages.
    var name: String {
        switch kind {
        case .float32: "float32"
        case .float64: "float64"
        case .int8: "int8"
        case .int32: "int32"
        }
    }

    static let supportedList = "float32 '<f4', float64 '<f8', int8 '|i1', int32 '<i4'"

    private static let hostIsBigEndian = 1.bigEndian == 1

    /// Parses a descr: an optional byte order (`<` little, `>` big, `=`
    /// native, `|` not applicable) then a kind letter and a byte size.
    static func parse(_ descr: String, file: String) throws(Diagnostic) -> NpyDataType {
        var rest = Substring(descr)
        var order: Character?
        if let first = rest.first, "<>=|".contains(first) {
            order = first
            rest = rest.dropFirst()
        }
        let kind: Kind
        switch rest {
        case "f4": kind = .float32
        case "f8": kind = .float64
        case "i1": kind = .int8
        case "i4": kind = .int32
        default:
            throw .unsupported("unsupported dtype '\(MessageText.printable(descr))' (supported: \(supportedList))", file: file)
        }
        let type = NpyDataType(kind: kind, bigEndian: false)
        switch order {
        case "<": return type
        case ">": return NpyDataType(kind: kind, bigEndian: true)
        case "=", nil: return NpyDataType(kind: kind, bigEndian: hostIsBigEndian)
        default:
            guard type.itemSize == 1 else {
                throw .input("dtype '\(MessageText.printable(descr))' has no byte order ('|' is only valid for 1-byte types)", file: file)
            }
            return type
        }
    }

    /// Converts `count` elements starting at `offset`. The caller has checked
    /// that `offset + count * itemSize <= bytes.count`.
    func decode(_ bytes: [UInt8], offset: Int, count: Int) -> TensorStorage {
        bytes.withUnsafeBytes { raw in
            switch kind {
            case .float32:
                return .float32((0..<count).map { index in
                    Float(bitPattern: word32(raw, at: offset + index * 4))
                })
            case .float64:
                return .float32((0..<count).map { index in
                    Float(Double(bitPattern: word64(raw, at: offset + index * 8)))
                })
            case .int8:
                return .int8((0..<count).map { index in
                    Int8(bitPattern: raw[offset + index])
                })
            case .int32:
                return .int32((0..<count).map { index in
                    Int32(bitPattern: word32(raw, at: offset + index * 4))
                })
            }
        }
    }

    private func word32(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        let value = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }

    private func word64(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        let value = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: value) : UInt64(littleEndian: value)
    }
}

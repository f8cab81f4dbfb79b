import Foundation
import SqueezeIR

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// The layout of a file is: the magic string `\x93NUMPY`, a major and minor
/// version byte, the header length (2 bytes little-endian in version 1.0, 4
/// bytes in 2.0 and 3.0), the header (a Python dictionary literal padded with
/// spaces and a newline) and then the raw data.
///
/// Supported dtypes: float32 (`<f4`, `>f4`, `=f4`), float64 (`<f8`, `>f8`,
/// converted to float32), int8 (`|i1`) and int32 (`<i4`, `>i4`).
/// Fortran-ordered arrays are transposed to C order on reading.
public enum NpyFormat {
    /// The first six bytes of every `.npy` file.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Header plus prefix length is padded to a multiple of this, like NumPy.
    static let alignment = 64

    /// NumPy leaves room for this many digits in the first dimension so the
    /// header can be rewritten in place when the array grows.
    static let growthAxisMaxDigits = 21

    // MARK: - Decoding

    /// Decodes the bytes of a `.npy` file. `file` names the file in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(Diagnostic) -> NpyArray {
        guard !bytes.isEmpty else {
            throw .input("file is empty, not a NumPy .npy file", file: file)
        }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw .input("not a NumPy .npy file (bad magic)", file: file)
        }
        guard bytes.count >= 8 else {
            throw .input("truncated header: the file ends inside the version bytes", file: file)
        }
        let major = bytes[6]
        let minor = bytes[7]
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default:
            throw .unsupported("unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)", file: file)
        }
        let headerStart = 8 + lengthFieldSize
        guard bytes.count >= headerStart else {
            throw .input("truncated header: the file ends inside the header length", file: file)
        }
        var headerLength = 0
        for index in (8..<headerStart).reversed() {
            headerLength = headerLength << 8 | Int(bytes[index])
        }
        let available = bytes.count - headerStart
        guard headerLength <= available else {
            throw .input("truncated header: it declares \(headerLength) bytes but only \(available) follow", file: file)
        }
        let dataStart = headerStart + headerLength
        let header = try NpyHeader.parse(Array(bytes[headerStart..<dataStart]), file: file)
        let dataType = try NpyDataType.parse(header.descr, file: file)

        let shapeText = NpyHeader.pythonTuple(header.shape)
        let elementCount = try count(of: header.shape, shapeText: shapeText, file: file)
        let (neededBytes, overflow) = elementCount.multipliedReportingOverflow(by: dataType.itemSize)
        guard !overflow else {
            throw .input("shape \(shapeText) of \(dataType.name) is too large", file: file)
        }
        let dataBytes = bytes.count - dataStart
        guard dataBytes == neededBytes else {
            throw .input("data is \(dataBytes) bytes, shape \(shapeText) of \(dataType.name) needs \(neededBytes)", file: file)
        }

        var storage = dataType.decode(bytes, offset: dataStart, count: elementCount)
        if header.fortranOrder && header.shape.count > 1 {
            storage = columnMajorToRowMajor(storage, shape: header.shape)
        }
        return NpyArray(shape: header.shape, storage: storage)
    }

    /// Decodes the bytes of a `.npy` file. `file` names the file in errors.
    public static func decode(_ data: Data, file: String) throws(Diagnostic) -> NpyArray {
        try decode([UInt8](data), file: file)
    }

    /// The product of the dimensions, checked for negative values and overflow.
    private static func count(of shape: [Int], shapeText: String, file: String) throws(Diagnostic) -> Int {
        if shape.contains(0) { return 0 }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .input("shape \(shapeText) is too large", file: file)
            }
            count = product
        }
        return count
    }

    /// Reorders Fortran-order (column-major) values into C order.
    private static func columnMajorToRowMajor(_ storage: TensorStorage, shape: [Int]) -> TensorStorage {
        switch storage {
        case .float32(let values): .float32(Layout.columnMajorToRowMajor(values, shape: shape))
        case .int8(let values): .int8(Layout.columnMajorToRowMajor(values, shape: shape))
        case .int32(let values): .int32(Layout.columnMajorToRowMajor(values, shape: shape))
        }
    }

    // MARK: - Encoding

    /// The bytes NumPy's `np.save` writes for this array: format version 1.0
    /// (2.0 only if the header would not fit), little-endian data, C order.
    ///
    /// The shape is written as given; use `NpyArray.shapeMatchesStorage` (as
    /// `write` does) to make sure it describes the data.
    public static func encode(_ array: NpyArray) -> [UInt8] {
        let header = NpyHeader(descr: descr(of: array.storage), fortranOrder: false, shape: array.shape)
        var text = Array(header.dictionaryText.utf8)
        if let first = array.shape.first {
            let digits = String(first).utf8.count
            text += [UInt8](repeating: 0x20, count: max(0, growthAxisMaxDigits - digits))
        }
        var bytes = wrap(header: text, lengthFieldSize: 2)
            ?? wrap(header: text, lengthFieldSize: 4)
            ?? []
        appendData(of: array.storage, to: &bytes)
        return bytes
    }

    /// The `descr` NumPy writes for data of this type.
    static func descr(of storage: TensorStorage) -> String {
        switch storage {
        case .float32: "<f4"
        case .int8: "|i1"
        case .int32: "<i4"
        }
    }

    /// Magic, version, length field and padded header; nil if the header is
    /// too long for the length field.
    private static func wrap(header: [UInt8], lengthFieldSize: Int) -> [UInt8]? {
        let prefixLength = magic.count + 2 + lengthFieldSize
        let withNewline = header.count + 1
        let padding = alignment - (prefixLength + withNewline) % alignment
        let total = withNewline + padding
        let maximum = lengthFieldSize == 2 ? Int(UInt16.max) : Int(UInt32.max)
        guard total <= maximum else { return nil }

        var bytes = magic
        bytes += lengthFieldSize == 2 ? [1, 0] : [2, 0]
        for index in 0..<lengthFieldSize {
            bytes.append(UInt8(truncatingIfNeeded: total >> (8 * index)))
        }
        bytes += header
        bytes += [UInt8](repeating: 0x20, count: padding)
        bytes.append(0x0A)
        return bytes
    }

    /// Appends the values little-endian.
    private static func appendData(of storage: TensorStorage, to bytes: inout [UInt8]) {
        switch storage {
        case .float32(let values):
            bytes.reserveCapacity(bytes.count + values.count * 4)
            for value in values { appendLittleEndian(value.bitPattern, to: &bytes) }
        case .int8(let values):
            bytes += values.map { UInt8(bitPattern: $0) }
        case .int32(let values):
            bytes.reserveCapacity(bytes.count + values.count * 4)
            for value in values { appendLittleEndian(UInt32(bitPattern: value), to: &bytes) }
        }
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    // MARK: - Files

    /// Reads and decodes a `.npy` file.
    public static func read(path: String) throws(Diagnostic) -> NpyArray {
        try decode(FileAccess.readBytes(path), file: path)
    }

    /// Encodes the array and writes it atomically (a temporary file in the
    /// same folder, then a rename), so readers never see half a file.
    public static func write(_ array: NpyArray, to path: String) throws(Diagnostic) {
        guard array.shapeMatchesStorage else {
            throw .input("cannot write an array of shape \(NpyHeader.pythonTuple(array.shape)) with \(array.storage.count) values", file: path)
        }
        try FileAccess.writeAtomically(encode(array), to: path)
    }
}

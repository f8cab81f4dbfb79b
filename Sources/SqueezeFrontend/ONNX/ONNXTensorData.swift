import SqueezeIR
import SqueezeTensorIO

/// `TensorProto.DataType` values squeezec reads or names.
enum ONNXDataType {
    static let float: Int64 = 1
    static let int32: Int64 = 6
    static let int64: Int64 = 7

    /// The name onnx.proto gives a data type, for messages.
    static func name(_ type: Int64) -> String {
        switch type {
        case 0: "UNDEFINED"
        case 1: "FLOAT"
        case 2: "UINT8"
        case 3: "INT8"
        case 4: "UINT16"
        case 5: "INT16"
        case 6: "INT32"
        case 7: "INT64"
        case 8: "STRING"
        case 9: "BOOL"
        case 10: "FLOAT16"
        case 11: "DOUBLE"
        case 12: "UINT32"
        case 13: "UINT64"
        case 14: "COMPLEX64"
        case 15: "COMPLEX128"
        case 16: "BFLOAT16"
        default: "data type \(type)"
        }
    }
}

extension ONNXProto.Tensor {
    /// `tensor 'name'`, or `a tensor` when it has no name, for messages.
    var label: String {
        name.isEmpty ? "a tensor" : "tensor '\(MessageText.printable(name))'"
    }

    /// The dimensions as `Int`s, checked: none negative and a product that
    /// fits in `Int`.
    func checkedShape(file: String, node: String?) throws(Diagnostic) -> (dims: [Int], count: Int) {
        var count = 1
        var dims: [Int] = []
        for dim in self.dims {
            guard dim >= 0 else {
                throw .input("\(label) has a negative dimension \(dim)", file: file, node: node)
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
            guard !overflow else {
                throw .input("\(label) has dimensions \(self.dims) whose product overflows", file: file, node: node)
            }
            count = product
            dims.append(Int(dim))
        }
        return (dims, count)
    }

    /// The values of a FLOAT tensor (from raw_data, little-endian, or
    /// float_data), checked against the dimensions.
    func floatValues(file: String, node: String?) throws(Diagnostic) -> [Float] {
        guard dataType == ONNXDataType.float else {
            throw .unsupported("\(label) is \(ONNXDataType.name(dataType)); only FLOAT (float32) tensors are supported here",
                               file: file, node: node)
        }
        let (dims, count) = try checkedShape(file: file, node: node)
        if let raw = rawData {
            guard raw.count % 4 == 0, raw.count / 4 == count else {
                throw .input("\(label) has shape \(dims) (\(count) floats) but \(raw.count) bytes of raw_data", file: file, node: node)
            }
            var values: [Float] = []
            values.reserveCapacity(count)
            var index = raw.startIndex
            while index < raw.endIndex {
                let bits = UInt32(raw[index]) | UInt32(raw[index + 1]) << 8 | UInt32(raw[index + 2]) << 16 | UInt32(raw[index + 3]) << 24
                values.append(Float(bitPattern: bits))
                index += 4
            }
            return values
        }
        guard floatData.count == count else {
            throw .input("\(label) has shape \(dims) (\(count) floats) but \(floatData.count) values in float_data", file: file, node: node)
        }
        return floatData
    }

    /// The values of an INT64 tensor (from raw_data or int64_data), checked
    /// against the dimensions. INT32 tensors are accepted too.
    func int64Values(file: String, node: String?) throws(Diagnostic) -> [Int64] {
        let (dims, count) = try checkedShape(file: file, node: node)
        switch dataType {
        case ONNXDataType.int64:
            if let raw = rawData {
                guard raw.count % 8 == 0, raw.count / 8 == count else {
                    throw .input("\(label) has shape \(dims) (\(count) int64s) but \(raw.count) bytes of raw_data", file: file, node: node)
                }
                var values: [Int64] = []
                values.reserveCapacity(count)
                var index = raw.startIndex
                while index < raw.endIndex {
                    var bits: UInt64 = 0
                    for byte in 0..<8 { bits |= UInt64(raw[index + byte]) << (8 * UInt64(byte)) }
                    values.append(Int64(bitPattern: bits))
                    index += 8
                }
                return values
            }
            guard int64Data.count == count else {
                throw .input("\(label) has shape \(dims) (\(count) values) but \(int64Data.count) values in int64_data", file: file, node: node)
            }
            return int64Data
        case ONNXDataType.int32:
            if let raw = rawData {
                guard raw.count % 4 == 0, raw.count / 4 == count else {
                    throw .input("\(label) has shape \(dims) (\(count) int32s) but \(raw.count) bytes of raw_data", file: file, node: node)
                }
                var values: [Int64] = []
                values.reserveCapacity(count)
                var index = raw.startIndex
                while index < raw.endIndex {
                    let bits = UInt32(raw[index]) | UInt32(raw[index + 1]) << 8 | UInt32(raw[index + 2]) << 16 | UInt32(raw[index + 3]) << 24
                    values.append(Int64(Int32(bitPattern: bits)))
                    index += 4
                }
                return values
            }
            guard int32Data.count == count else {
                throw .input("\(label) has shape \(dims) (\(count) values) but \(int32Data.count) values in int32_data", file: file, node: node)
            }
            return int32Data.map(Int64.init)
        default:
            throw .unsupported("\(label) is \(ONNXDataType.name(dataType)); an INT64 tensor is needed here", file: file, node: node)
        }
    }
}

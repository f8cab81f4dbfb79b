import SqueezeIR

extension ONNXProto.Tensor {
    /// The values of an INT8 or UINT8 tensor (raw_data, or int32_data) as
    /// Int32: uint8 as 0...255. Other types are refused (`.unsupported`).
    func byteValues(file: String, node: String?) throws(Diagnostic) -> [Int32] {
        let signed: Bool
        switch dataType {
        case 3: signed = true
        case 2: signed = false
        default:
            throw .unsupported("\(label) is \(ONNXDataType.name(dataType)); quantised tensors must be INT8 or UINT8", file: file, node: node)
        }
        let (dims, count) = try checkedShape(file: file, node: node)
        if let raw = rawData {
            guard raw.count == count else {
                throw .input("\(label) has shape \(dims) (\(count) values) but \(raw.count) bytes of raw_data", file: file, node: node)
            }
            return raw.map { signed ? Int32(Int8(bitPattern: $0)) : Int32($0) }
        }
        guard int32Data.count == count else {
            throw .input("\(label) has shape \(dims) (\(count) values) but \(int32Data.count) values in int32_data", file: file, node: node)
        }
        let range: ClosedRange<Int32> = signed ? -128...127 : 0...255
        for v in int32Data where !range.contains(v) {
            throw .input("\(label) holds \(v), outside \(ONNXDataType.name(dataType))", file: file, node: node)
        }
        return int32Data
    }

    /// True for UINT8 (whose codes squeezec shifts by -128).
    var isUInt8: Bool { dataType == 2 }
}

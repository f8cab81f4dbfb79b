import Foundation
import SqueezeIR
import SqueezeTensorIO

/// Reads a serialized ONNX `TensorProto`, as in the `test_data_set_N/input_0.pb`
/// and `output_0.pb` files of the ONNX model zoo and backend tests.
///
/// Only float32 tensors are read (from `raw_data` or `float_data`); the array
/// has the tensor's dimensions, in their (NCHW for images) order.
public enum TensorProtoFile {
    public static func read(path: String) throws(Diagnostic) -> NpyArray {
        try decode(ONNXFile.readBytes(path), file: path)
    }

    /// Decodes the bytes of a `.pb` file; `file` names it in diagnostics.
    public static func decode(_ bytes: [UInt8], file: String) throws(Diagnostic) -> NpyArray {
        let tensor = try ONNXProto.decodeTensor(bytes, file: file)
        let (dims, _) = try tensor.checkedShape(file: file, node: nil)
        let values = try tensor.floatValues(file: file, node: nil)
        return NpyArray(shape: dims, floats: values)
    }
}

/// Whole-file reads for the ONNX readers, with errors naming the file.
enum ONNXFile {
    /// Protocol buffers cannot encode messages of 2 GiB or more.
    static let byteLimit = Int(Int32.max)

    static func readBytes(_ path: String) throws(Diagnostic) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .input("no such file", file: path)
        }
        guard !isDirectory.boolValue else {
            throw .input("is a directory, not a file", file: path)
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > byteLimit {
            throw .input("file is \(size) bytes; protobuf files are limited to 2 GiB", file: path)
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .input("cannot read file: \(error.localizedDescription)", file: path)
        }
    }
}

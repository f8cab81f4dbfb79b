import Foundation
import SqueezeIR
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

@Suite struct TensorProtoFileTests {
    let values: [Float] = (0..<24).map { Float($0) * 0.25 - 2 }

    @Test func rawDataAndFloatDataGiveTheSameArray() throws {
        let raw = TensorSpec.floats("input_0", [1, 2, 3, 4], values, raw: true).encoded
        let packed = TensorSpec.floats("input_0", [1, 2, 3, 4], values, raw: false).encoded
        for bytes in [raw, packed] {
            let array = try TensorProtoFile.decode(bytes, file: "input_0.pb")
            #expect(array.shape == [1, 2, 3, 4])
            #expect(array.floats == values)
        }
        // Unpacked float_data: one fixed32 field per value.
        var w = ProtoWriter()
        w.int(1, 2)
        w.int(2, 1)
        w.float(4, 1.5)
        w.float(4, -3)
        #expect(try TensorProtoFile.decode(w.bytes, file: "a.pb").floats == [1.5, -3])
    }

    @Test func scalarAndEmptyTensors() throws {
        let scalar = try TensorProtoFile.decode(TensorSpec.floats("s", [], [7]).encoded, file: "s.pb")
        #expect(scalar.shape == [])
        #expect(scalar.floats == [7])
        let empty = try TensorProtoFile.decode(TensorSpec.floats("e", [0, 3], []).encoded, file: "e.pb")
        #expect(empty.shape == [0, 3])
        #expect(empty.floats == [])
    }

    @Test func readsAFile() throws {
        try TestSupport.withTemporaryDirectory { dir in
            let path = dir + "/input_0.pb"
            try Data(TensorSpec.floats("x", [2, 12], values).encoded).write(to: URL(fileURLWithPath: path))
            let array = try TensorProtoFile.read(path: path)
            #expect(array.shape == [2, 12])
            #expect(array.floats == values)
            #expect(TestSupport.error { () throws(Diagnostic) in try TensorProtoFile.read(path: dir + "/missing.pb") }?.message == "no such file")
            #expect(TestSupport.error { () throws(Diagnostic) in try TensorProtoFile.read(path: dir) }?.message.contains("directory") == true)
        }
    }

    func error(_ bytes: [UInt8]) -> Diagnostic? {
        TestSupport.error { () throws(Diagnostic) in try TensorProtoFile.decode(bytes, file: "bad.pb") }
    }

    @Test func dataThatDoesNotMatchTheShapeIsRejected() {
        #expect(error(TensorSpec.floats("x", [2, 3], [1, 2, 3]).encoded)?.message == "tensor 'x' has shape [2, 3] (6 floats) but 12 bytes of raw_data")
        #expect(error(TensorSpec.floats("x", [2, 3], [1, 2, 3], raw: false).encoded)?.message.contains("3 values in float_data") == true)
        // Raw bytes not a multiple of 4.
        #expect(error(TensorSpec(name: "r", dims: [1], data: .bytes(dataType: 1, [0, 0, 0, 0, 0])).encoded) != nil)
        // Huge dimensions with no data: rejected before any allocation.
        #expect(error(TensorSpec.floats("h", [1 << 40, 1 << 20], []).encoded)?.message.contains("(1152921504606846976 floats)") == true)
        #expect(error(TensorSpec.floats("o", [1 << 40, 1 << 40], []).encoded)?.message.contains("overflows") == true)
        #expect(error(TensorSpec.floats("n", [-1, 2], []).encoded)?.message.contains("negative dimension -1") == true)
        // All diagnostics name the file.
        #expect(error(TensorSpec.floats("n", [-1, 2], []).encoded)?.location.file == "bad.pb")
    }

    @Test func onlyFloat32IsRead() {
        let e = error(TensorSpec.int64s("i", [1, 2]).encoded)
        #expect(e?.kind == .unsupported)
        #expect(e?.message.contains("is INT64; only FLOAT (float32)") == true)
        let double = error(TensorSpec(name: "d", dims: [1], data: .bytes(dataType: 11, [UInt8](repeating: 0, count: 8))).encoded)
        #expect(double?.message.contains("DOUBLE") == true)
    }

    @Test func externalAndSegmentedDataAreRejected() {
        var w = ProtoWriter()
        w.int(1, 4)
        w.int(2, 1)
        w.string(8, "weights")
        w.message(13) { entry in
            entry.string(1, "location")
            entry.string(2, "weights.bin")
        }
        w.int(14, 1)
        let e = error(w.bytes)
        #expect(e?.message == "tensor 'weights': external data is not supported (save the model with its tensors inside the file)")
        #expect(e?.location.file == "bad.pb")

        var location = ProtoWriter()
        location.int(2, 1)
        location.int(14, 1)
        #expect(error(location.bytes)?.message.contains("external data is not supported") == true)

        // data_location DEFAULT (0) is fine.
        var normal = ProtoWriter()
        normal.int(2, 1)
        normal.float(4, 2)
        normal.int(14, 0)
        #expect(error(normal.bytes) == nil)

        var segment = ProtoWriter()
        segment.int(2, 1)
        segment.message(3) { $0.int(1, 0) }
        #expect(error(segment.bytes)?.message.contains("segmented") == true)
    }

    @Test func int64TensorsForShapes() throws {
        for raw in [true, false] {
            let bytes = TensorSpec.int64s("shape", [1, -1, 1 << 40], raw: raw).encoded
            let tensor = try ONNXProto.decodeTensor(bytes, file: "s.pb")
            #expect(try tensor.int64Values(file: "s.pb", node: nil) == [1, -1, 1 << 40])
        }
        let short = try ONNXProto.decodeTensor(TensorSpec(name: "s", dims: [2], data: .bytes(dataType: 7, [1, 0, 0, 0, 0, 0, 0, 0])).encoded, file: "s.pb")
        #expect(TestSupport.error { () throws(Diagnostic) in try short.int64Values(file: "s.pb", node: "n") }?.location.node == "n")
    }
}

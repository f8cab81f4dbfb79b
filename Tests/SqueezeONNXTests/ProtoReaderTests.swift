import SqueezeIR
import Testing
@testable import SqueezeFrontend

@Suite struct ProtoReaderTests {
    func reader(_ bytes: [UInt8]) -> ProtoReader {
        ProtoReader(bytes, messageName: "Test", file: "t.onnx")
    }

    func error(_ bytes: [UInt8], _ body: (inout ProtoReader) throws(Diagnostic) -> Void) -> Diagnostic? {
        var r = reader(bytes)
        return TestSupport.error { () throws(Diagnostic) in try body(&r) }
    }

    // MARK: Varints

    @Test(arguments: [
        (UInt64(0), [UInt8(0)]),
        (1, [1]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ] as [(UInt64, [UInt8])])
    func varintsDecode(value: UInt64, bytes: [UInt8]) throws {
        var r = reader(bytes)
        #expect(try r.readVarint() == value)
        #expect(r.isAtEnd)
        // The test encoder agrees.
        var w = ProtoWriter()
        w.varint(value)
        #expect(w.bytes == bytes)
    }

    @Test func negativeInt64IsTenBytes() throws {
        var w = ProtoWriter()
        w.int(3, -5)
        var r = reader(w.bytes)
        let field = try #require(try r.nextField())
        #expect(field == ProtoReader.Field(number: 3, wireType: .varint))
        #expect(try r.int64(field) == -5)
        #expect(w.bytes.count == 11)
    }

    @Test func varintErrors() {
        // Truncated: continuation bit on the last byte.
        #expect(error([0x80, 0x80]) { r throws(Diagnostic) in _ = try r.readVarint() }?.message.contains("truncated varint") == true)
        #expect(error([]) { r throws(Diagnostic) in _ = try r.readVarint() }?.message.contains("truncated varint") == true)
        // 10th byte carrying more than the 64th bit.
        let overflow: [UInt8] = Array(repeating: 0xFF, count: 9) + [0x02]
        #expect(error(overflow) { r throws(Diagnostic) in _ = try r.readVarint() }?.message.contains("longer than 64 bits") == true)
        // Overlong: 11 bytes.
        let overlong: [UInt8] = Array(repeating: 0x80, count: 10) + [0x00]
        let e = error(overlong) { r throws(Diagnostic) in _ = try r.readVarint() }
        #expect(e?.kind == .input)
        #expect(e?.location.file == "t.onnx")
    }

    // MARK: Keys and wire types

    @Test func keyErrors() {
        // Field number 0.
        #expect(error([0x00]) { r throws(Diagnostic) in _ = try r.nextField() }?.message.contains("field number 0") == true)
        // Wire types 6 and 7 do not exist.
        #expect(error([0x0E]) { r throws(Diagnostic) in _ = try r.nextField() }?.message.contains("invalid wire type 6") == true)
        #expect(error([0x0F]) { r throws(Diagnostic) in _ = try r.nextField() }?.message.contains("invalid wire type 7") == true)
        // Groups.
        #expect(error([0x0B]) { r throws(Diagnostic) in _ = try r.nextField() }?.message.contains("groups") == true)
        #expect(error([0x0C]) { r throws(Diagnostic) in _ = try r.nextField() }?.message.contains("groups") == true)
        // A key beyond 32 bits.
        #expect(error([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { r throws(Diagnostic) in _ = try r.nextField() }?.message.contains("out of range") == true)
    }

    @Test func fixedWidthValues() throws {
        var w = ProtoWriter()
        w.float(2, 1.5)
        w.key(3, 1)
        w.fixed64(0x0102_0304_0506_0708)
        var r = reader(w.bytes)
        let f = try #require(try r.nextField())
        #expect(try r.float(f) == 1.5)
        let g = try #require(try r.nextField())
        #expect(g.wireType == .fixed64)
        #expect(try r.readFixed64() == 0x0102_0304_0506_0708)
        #expect(try r.nextField() == nil)

        #expect(error([1, 2, 3]) { r throws(Diagnostic) in _ = try r.readFixed32() }?.message.contains("truncated fixed32") == true)
        #expect(error([1, 2, 3, 4, 5, 6, 7]) { r throws(Diagnostic) in _ = try r.readFixed64() }?.message.contains("truncated fixed64") == true)
    }

    // MARK: Lengths

    @Test func lengthDelimitedValues() throws {
        var w = ProtoWriter()
        w.string(1, "héllo")
        w.bytes(2, [])
        var r = reader(w.bytes)
        #expect(try r.string(try #require(try r.nextField())) == "héllo")
        #expect(try r.bytes(try #require(try r.nextField())).isEmpty)
        #expect(r.isAtEnd)
    }

    @Test func declaredLengthIsCheckedBeforeSlicing() {
        // Field 1, length 2^62, one byte of payload.
        var w = ProtoWriter()
        w.key(1, 2)
        w.varint(1 << 62)
        w.bytes.append(0x41)
        let e = error(w.bytes) { r throws(Diagnostic) in
            _ = try r.string(try r.nextField()!)
        }
        #expect(e?.message.contains("exceeds the 1 bytes that remain") == true)
        // Length one past the end.
        #expect(error([0x0A, 0x02, 0x41]) { r throws(Diagnostic) in
            _ = try r.bytes(ProtoReader.Field(number: 1, wireType: .lengthDelimited))
        } != nil)
        // Skipping checks it too.
        #expect(error([0x0A, 0x05, 0x41]) { r throws(Diagnostic) in
            try r.skip(try r.nextField()!)
        } != nil)
    }

    // MARK: Skipping

    @Test func skipsUnknownFieldsOfEveryWireType() throws {
        var w = ProtoWriter()
        w.int(100, 12345)                 // varint
        w.key(101, 1); w.fixed64(7)       // fixed64
        w.string(102, "ignored")          // length-delimited
        w.key(103, 5); w.fixed32(9)       // fixed32
        w.message(104) { $0.int(1, 1) }   // nested message
        w.string(3, "kept")
        var r = Self.readerFor(w.bytes, "NodeProto")
        let node = try ONNXProto.node(&r)
        #expect(node.name == "kept")
    }

    static func readerFor(_ bytes: [UInt8], _ name: String) -> ProtoReader {
        ProtoReader(bytes, messageName: name, file: "t.onnx")
    }

    @Test func skippingTruncatedFixedValuesFails() {
        #expect(error([0x09, 1, 2]) { r throws(Diagnostic) in try r.skip(try r.nextField()!) }?.message.contains("truncated") == true)
        #expect(error([0x0D, 1]) { r throws(Diagnostic) in try r.skip(try r.nextField()!) }?.message.contains("truncated") == true)
    }

    // MARK: Typed fields

    @Test func wrongWireTypeForKnownFieldIsAnError() {
        // NodeProto.name (3) sent as a varint.
        var w = ProtoWriter()
        w.int(3, 5)
        var r = Self.readerFor(w.bytes, "NodeProto")
        let e = TestSupport.error { () throws(Diagnostic) in try ONNXProto.node(&r) }
        #expect(e?.message == "malformed ONNX protobuf: NodeProto: field 3 should be bytes (length-delimited) but has wire type varint")
        #expect(e?.location.file == "t.onnx")

        // TensorProto.data_type (2) sent as a string.
        var t = ProtoWriter()
        t.string(2, "FLOAT")
        var tr = Self.readerFor(t.bytes, "TensorProto")
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.tensor(&tr) }?.message.contains("field 2 should be an integer") == true)

        // AttributeProto.f (2) sent as fixed64.
        var a = ProtoWriter()
        a.key(2, 1)
        a.fixed64(0)
        var ar = Self.readerFor(a.bytes, "AttributeProto")
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.attribute(&ar) }?.message.contains("field 2 should be a float") == true)

        // AttributeProto.floats (7) sent as varint.
        var b = ProtoWriter()
        b.int(7, 1)
        var br = Self.readerFor(b.bytes, "AttributeProto")
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.attribute(&br) }?.message.contains("repeated floats") == true)

        // ModelProto.graph (7) sent as varint.
        var m = ProtoWriter()
        m.int(7, 1)
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.decodeModel(m.bytes, file: "m.onnx") }?.message.contains("GraphProto message") == true)
    }

    @Test func packedAndUnpackedRepeatedFields() throws {
        var w = ProtoWriter()
        w.int(8, 1)
        w.packedInts(8, [2, -3, 1 << 40])
        w.int(8, 4)
        w.float(7, 0.5)
        w.packedFloats(7, [1, 2])
        var r = Self.readerFor(w.bytes, "AttributeProto")
        let a = try ONNXProto.attribute(&r)
        #expect(a.ints == [1, 2, -3, 1 << 40, 4])
        #expect(a.floats == [0.5, 1, 2])
        #expect(a.kind == .ints)
    }

    @Test func packedErrors() {
        // Packed floats whose length is not a multiple of 4.
        var w = ProtoWriter()
        w.bytes(7, [0, 0, 0])
        var r = Self.readerFor(w.bytes, "AttributeProto")
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.attribute(&r) }?.message.contains("not a multiple of 4") == true)
        // A packed varint cut short inside its length.
        var p = ProtoWriter()
        p.bytes(8, [0x01, 0x80])
        var pr = Self.readerFor(p.bytes, "AttributeProto")
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.attribute(&pr) }?.message.contains("truncated varint") == true)
        // Repeated ints as fixed32.
        var f = ProtoWriter()
        f.key(8, 5)
        f.fixed32(1)
        var fr = Self.readerFor(f.bytes, "AttributeProto")
        #expect(TestSupport.error { () throws(Diagnostic) in try ONNXProto.attribute(&fr) }?.message.contains("repeated integers") == true)
    }

    // MARK: Nesting

    /// A message type that nests itself in field 1: depth is bounded.
    static func nested(_ r: inout ProtoReader) throws(Diagnostic) -> Int {
        var depth = 0
        while let field = try r.nextField() {
            if field.number == 1 {
                depth = try r.message(field, "Nested", nested) + 1
            } else {
                try r.skip(field)
            }
        }
        return depth
    }

    static func nestedBytes(_ levels: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<levels {
            var w = ProtoWriter()
            w.bytes(1, bytes)
            bytes = w.bytes
        }
        return bytes
    }

    @Test func nestingDepthIsLimited() throws {
        var ok = Self.readerFor(Self.nestedBytes(ProtoReader.maxDepth), "Nested")
        #expect(try Self.nested(&ok) == ProtoReader.maxDepth)
        var deep = Self.readerFor(Self.nestedBytes(ProtoReader.maxDepth + 1), "Nested")
        let e = TestSupport.error { () throws(Diagnostic) in try Self.nested(&deep) }
        #expect(e?.message.contains("deeper than \(ProtoReader.maxDepth)") == true)
        // Very deep unknown nesting is skipped without recursion.
        var w = ProtoWriter()
        w.bytes(99, Self.nestedBytes(5000))
        w.string(3, "n")
        var r = Self.readerFor(w.bytes, "NodeProto")
        #expect(try ONNXProto.node(&r).name == "n")
    }

    // MARK: Messages

    @Test func decodesAValueInfoWithSymbolicDims() throws {
        var b = ONNXModelBuilder(input: "img", dims: [.param("batch"), 3, .unknown, 7])
        b.output("y")
        let model = try ONNXProto.decodeModel(b.encode(), file: "m.onnx")
        let graph = try #require(model.graph)
        #expect(model.irVersion == 8)
        #expect(model.opsetImports == [ONNXProto.OperatorSetID(domain: "", version: 13)])
        #expect(graph.inputs.first?.name == "img")
        #expect(graph.inputs.first?.type?.elementType == 1)
        #expect(graph.inputs.first?.type?.shape == [.parameter("batch"), .value(3), .unknown, .value(7)])
        #expect(graph.outputs.first?.type?.shape == nil)
    }

    @Test func emptyInputIsAnEmptyModel() throws {
        let model = try ONNXProto.decodeModel([], file: "e.onnx")
        #expect(model.graph == nil)
        #expect(model.irVersion == 0)
    }
}

@testable import SqueezeTensorIO
import Testing

@Suite struct NpyDataTypeTests {
    @Test func parsesSupportedDescriptors() throws {
        #expect(try NpyDataType.parse("<f4", file: "a") == NpyDataType(kind: .float32, bigEndian: false))
        #expect(try NpyDataType.parse(">f4", file: "a") == NpyDataType(kind: .float32, bigEndian: true))
        #expect(try NpyDataType.parse("=f4", file: "a") == NpyDataType(kind: .float32, bigEndian: false))
        #expect(try NpyDataType.parse("<f8", file: "a") == NpyDataType(kind: .float64, bigEndian: false))
        #expect(try NpyDataType.parse("|i1", file: "a") == NpyDataType(kind: .int8, bigEndian: false))
        #expect(try NpyDataType.parse("i1", file: "a") == NpyDataType(kind: .int8, bigEndian: false))
        #expect(try NpyDataType.parse(">i4", file: "a") == NpyDataType(kind: .int32, bigEndian: true))
    }

    @Test func rejectsOthersNamingTheDescriptor() {
        for descr in ["<c8", "|u1", "<i8", "<f2", "|b1", "", "<", "f", "<f4x", "|f4", "|i4"] {
            let error = TestSupport.error { _ = try NpyDataType.parse(descr, file: "d.npy") }
            #expect(error?.message.contains("'\(descr)'") == true, "\(descr)")
            #expect(error?.location.file == "d.npy")
        }
    }

    @Test func decodesEachKind() {
        let bytes: [UInt8] = [0xAA, 0x00, 0x00, 0x80, 0x3F]
        #expect(NpyDataType(kind: .float32, bigEndian: false).decode(bytes, offset: 1, count: 1) == .float32([1]))
        #expect(NpyDataType(kind: .int32, bigEndian: true).decode([0, 0, 1, 2], offset: 0, count: 1) == .int32([258]))
        #expect(NpyDataType(kind: .int8, bigEndian: false).decode([0xFE], offset: 0, count: 1) == .int8([-2]))
        let one: [UInt8] = [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]
        #expect(NpyDataType(kind: .float64, bigEndian: true).decode(one, offset: 0, count: 1) == .float32([1]))
    }
}

import Foundation
import SqueezeIR
@testable import SqueezeTensorIO
import Testing

@Suite struct NpyFormatTests {
    // MARK: - Round trips

    static let roundTripArrays: [NpyArray] = [
        NpyArray(shape: [], floats: [3.5]),
        NpyArray(shape: [1], floats: [-0.0]),
        NpyArray(shape: [5], floats: [1, -2.5, .infinity, -.infinity, .leastNonzeroMagnitude]),
        NpyArray(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5]),
        NpyArray(shape: [1, 2, 3, 4], floats: (0..<24).map(Float.init)),
        NpyArray(shape: [0, 3], floats: []),
        NpyArray(shape: [1234567], floats: [Float](repeating: 0.25, count: 1234567)),
        NpyArray(shape: [], storage: .int8([-7])),
        NpyArray(shape: [4], storage: .int8([-128, -1, 0, 127])),
        NpyArray(shape: [2, 2], storage: .int32([.min, -1, 0, .max])),
        NpyArray(shape: [1, 1, 1, 1, 1, 1, 1, 2], storage: .int32([5, 6])),
    ]

    @Test(arguments: roundTripArrays)
    func encodeThenDecodeGivesTheSameArray(array: NpyArray) throws {
        let bytes = NpyFormat.encode(array)
        #expect(try NpyFormat.decode(bytes, file: "x.npy") == array)
        #expect(try NpyFormat.decode(Data(bytes), file: "x.npy") == array)
    }

    @Test func nanSurvivesRoundTripBitForBit() throws {
        let nan = Float(bitPattern: 0x7FC0_1234)
        let decoded = try NpyFormat.decode(NpyFormat.encode(NpyArray(shape: [1], floats: [nan])), file: "x.npy")
        #expect(decoded.floats?.first?.bitPattern == 0x7FC0_1234)
    }

    @Test(arguments: roundTripArrays)
    func headerIsPaddedTo64BytesAndEndsWithNewline(array: NpyArray) {
        let bytes = NpyFormat.encode(array)
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect(Array(bytes[6..<8]) == [1, 0])
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == 0x0A)
        #expect(bytes.count == 10 + headerLength + array.storage.count * array.elementType.byteSize)
    }

    @Test func encodingIsDeterministic() {
        let array = NpyArray(shape: [1, 1000], floats: (0..<1000).map { Float($0) / 7 })
        #expect(NpyFormat.encode(array) == NpyFormat.encode(array))
    }

    // MARK: - Golden bytes from NumPy

    @Test func encodeMatchesNumPyByteForByte() {
        #expect(NpyFormat.encode(NpyArray(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5])) == Fixtures.float32Arange2x3)
        #expect(NpyFormat.encode(NpyArray(shape: [1, 2, 3, 4], floats: (0..<24).map(Float.init)))
                == Fixtures.float32Arange1x2x3x4)
        #expect(NpyFormat.encode(NpyArray(shape: [], floats: [3.5])) == Fixtures.float32Scalar)
        #expect(NpyFormat.encode(NpyArray(shape: [1, 10], floats: [Float](repeating: 0, count: 10)))
                == Fixtures.float32Zeros1x10)
        #expect(NpyFormat.encode(NpyArray(shape: [5], storage: .int8([-128, -1, 0, 1, 127]))) == Fixtures.int8Vector)
        #expect(NpyFormat.encode(NpyArray(shape: [2, 2], storage: .int32([.min, 7, .max, 0]))) == Fixtures.int32Matrix)
    }

    @Test func decodesNumPyFloat32() throws {
        let array = try NpyFormat.decode(Fixtures.float32Arange2x3, file: "a.npy")
        #expect(array == NpyArray(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5]))
    }

    @Test func decodesBigEndianFloat32() throws {
        let array = try NpyFormat.decode(Fixtures.bigEndianFloat32, file: "a.npy")
        #expect(array == NpyArray(shape: [2, 3], floats: [0, 1.5, 3, 4.5, 6, 7.5]))
    }

    @Test func decodesFloat64AsFloat32() throws {
        let array = try NpyFormat.decode(Fixtures.float64Vector, file: "a.npy")
        #expect(array == NpyArray(shape: [4], floats: [0.5, -1.25, 3, Float(1e-3)]))
    }

    @Test func transposesFortranOrderIntoCOrder() throws {
        let matrix = try NpyFormat.decode(Fixtures.fortranOrder2x3, file: "a.npy")
        #expect(matrix == NpyArray(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5]))
        let cube = try NpyFormat.decode(Fixtures.fortranOrder2x3x4, file: "a.npy")
        #expect(cube == NpyArray(shape: [2, 3, 4], floats: (0..<24).map(Float.init)))
    }

    @Test func decodesVersions2And3() throws {
        #expect(try NpyFormat.decode(Fixtures.version2, file: "a.npy") == NpyArray(shape: [4], floats: [0, 1, 2, 3]))
        #expect(try NpyFormat.decode(Fixtures.version3, file: "a.npy")
                == NpyArray(shape: [3], storage: .int32([0, 1, 2])))
    }

    @Test func decodesIntegersAndScalars() throws {
        #expect(try NpyFormat.decode(Fixtures.int8Vector, file: "a.npy")
                == NpyArray(shape: [5], storage: .int8([-128, -1, 0, 1, 127])))
        #expect(try NpyFormat.decode(Fixtures.int32Matrix, file: "a.npy")
                == NpyArray(shape: [2, 2], storage: .int32([.min, 7, .max, 0])))
        #expect(try NpyFormat.decode(Fixtures.float32Scalar, file: "a.npy") == NpyArray(shape: [], floats: [3.5]))
    }

    // MARK: - Header variants

    static let headerVariants: [String] = [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
        "{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}",
        "{ 'fortran_order' :False,'shape':( 2 , ),'descr':'<f4' ,}",
        "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }",
        "{'descr': '=f4', 'fortran_order': False, 'shape': (2,), }",
        "{'descr': 'f4', 'fortran_order': False, 'shape': (2,), }",
        "{'descr':\t'<f4',\n'fortran_order': True, 'shape': (2,), }",
    ]

    @Test(arguments: headerVariants)
    func acceptsHeaderVariants(header: String) throws {
        let bytes = TestSupport.npy(header: header, data: TestSupport.floatBytes([1, 2]))
        #expect(try NpyFormat.decode(bytes, file: "a.npy") == NpyArray(shape: [2], floats: [1, 2]))
    }

    @Test func acceptsInt8WithoutByteOrder() throws {
        let bytes = TestSupport.npy(header: "{'descr': 'i1', 'fortran_order': False, 'shape': (2,)}", data: [0xFF, 1])
        #expect(try NpyFormat.decode(bytes, file: "a.npy") == NpyArray(shape: [2], storage: .int8([-1, 1])))
    }

    @Test func acceptsBigEndianInt32() throws {
        let bytes = TestSupport.npy(header: "{'descr': '>i4', 'fortran_order': False, 'shape': (1,)}",
                                    data: [0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try NpyFormat.decode(bytes, file: "a.npy") == NpyArray(shape: [1], storage: .int32([-2])))
    }

    // MARK: - Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var expected: String
        var testDescription: String { name }
    }

    static func headerCase(_ name: String, _ header: String, data: [UInt8] = [], expected: String) -> ErrorCase {
        ErrorCase(name: name, bytes: TestSupport.npy(header: header, data: data), expected: expected)
    }

    static let valid = Fixtures.float32Arange2x3

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "empty file", bytes: [], expected: "empty"),
        ErrorCase(name: "bad magic", bytes: Array("PK\u{3}\u{4} hello world".utf8), expected: "bad magic"),
        ErrorCase(name: "magic only", bytes: NpyFormat.magic, expected: "truncated header"),
        ErrorCase(name: "no header length", bytes: NpyFormat.magic + [1, 0, 0x76], expected: "truncated header"),
        ErrorCase(name: "truncated header", bytes: Array(valid[0..<60]), expected: "truncated header"),
        ErrorCase(name: "truncated data", bytes: Array(valid.dropLast(3)),
                  expected: "data is 21 bytes, shape (2, 3) of float32 needs 24"),
        ErrorCase(name: "trailing data", bytes: valid + [0], expected: "data is 25 bytes"),
        ErrorCase(name: "version 4.0", bytes: NpyFormat.magic + [4, 0] + Array(valid[8...]),
                  expected: "unsupported .npy format version 4.0"),
        ErrorCase(name: "complex dtype", bytes: Fixtures.complex64Vector, expected: "unsupported dtype '<c8'"),
        ErrorCase(name: "uint8 dtype", bytes: Fixtures.uint8Vector, expected: "unsupported dtype '|u1'"),
        headerCase("float32 without byte order", "{'descr': '|f4', 'fortran_order': False, 'shape': (1,)}",
                   data: [0, 0, 0, 0], expected: "no byte order"),
        headerCase("structured dtype", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
                   expected: "unsupported dtype [('a', '<f4')]"),
        headerCase("huge shape on a small file", "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }",
                   data: [UInt8](repeating: 0, count: 72),
                   expected: "data is 72 bytes, shape (100000, 100000, 100000) of float32 needs 4000000000000000"),
        headerCase("overflowing shape", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                   expected: "too large"),
        headerCase("overflowing byte count", "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }",
                   expected: "too large"),
        headerCase("integer beyond Int", "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                   expected: "integer too large"),
        headerCase("negative dimension", "{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }",
                   expected: "negative dimension"),
        headerCase("garbage shape", "{'descr': '<f4', 'fortran_order': False, 'shape': (abc), }",
                   expected: "unexpected name 'abc'"),
        headerCase("float in shape", "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }",
                   expected: "cannot parse header"),
        headerCase("shape not a tuple", "{'descr': '<f4', 'fortran_order': False, 'shape': (2), }",
                   expected: "'shape' is not a tuple of integers: 2"),
        headerCase("shape of strings", "{'descr': '<f4', 'fortran_order': False, 'shape': ('2',), }",
                   expected: "'shape' is not a tuple of integers"),
        headerCase("missing key", "{'descr': '<f4', 'shape': (1,), }", expected: "no 'fortran_order' key"),
        headerCase("extra key", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
                   expected: "unexpected key 'x'"),
        headerCase("duplicate key", "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}",
                   expected: "twice"),
        headerCase("fortran_order not a bool", "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
                   expected: "'fortran_order' is not True or False"),
        headerCase("header not a dict", "[1, 2, 3]", expected: "not a dictionary"),
        headerCase("unterminated string", "{'descr: <f4}", expected: "unterminated string"),
        headerCase("unclosed dict", "{'descr': '<f4'", expected: "expected ',' or '}'"),
        headerCase("text after dict", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x",
                   expected: "after the header dictionary"),
        headerCase("deep nesting", String(repeating: "(", count: 5000), expected: "nested too deeply"),
        headerCase("non-string key", "{1: 2}", expected: "key is not a string"),
        headerCase("empty header", "", expected: "header ends where a value was expected"),
    ]

    @Test(arguments: errorCases)
    func rejectsBrokenFiles(errorCase: ErrorCase) {
        let error = TestSupport.decodeError(errorCase.bytes, file: "broken/input.npy")
        #expect(error != nil)
        #expect(error?.location.file == "broken/input.npy")
        #expect(error?.description.hasPrefix("broken/input.npy: ") == true)
        #expect(error?.message.contains(errorCase.expected) == true, "\(error?.description ?? "no error")")
    }

    @Test func unsupportedDtypeIsReportedAsUnsupported() {
        #expect(TestSupport.decodeError(Fixtures.complex64Vector)?.kind == .unsupported)
        #expect(TestSupport.decodeError(Fixtures.float32Arange2x3.dropLast())?.kind == .input)
    }

    // MARK: - Files

    @Test func writeThenReadFile() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/x.npy"
            let array = NpyArray(shape: [1, 3], storage: .int32([1, 2, 3]))
            try NpyFormat.write(array, to: path)
            #expect(try NpyFormat.read(path: path) == array)
            #expect(try TestSupport.listing(folder) == ["x.npy"])
        }
    }

    @Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/x.npy"
            try NpyFormat.write(NpyArray(shape: [2], floats: [1, 2]), to: path)
            try NpyFormat.write(NpyArray(shape: [], floats: [9]), to: path)
            #expect(try NpyFormat.read(path: path) == NpyArray(shape: [], floats: [9]))
            #expect(try TestSupport.listing(folder) == ["x.npy"])
        }
    }

    @Test func writeRejectsShapeThatDoesNotMatchTheData() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/x.npy"
            let error = TestSupport.error {
                try NpyFormat.write(NpyArray(shape: [2, 2], floats: [1]), to: path)
            }
            #expect(error?.description == "\(path): cannot write an array of shape (2, 2) with 1 values")
            let remaining = try TestSupport.listing(folder)
            #expect(remaining.isEmpty)
        }
    }

    @Test func writeIntoMissingFolderFailsNamingTheFile() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/missing/x.npy"
            let error = TestSupport.error {
                try NpyFormat.write(NpyArray(shape: [1], floats: [1]), to: path)
            }
            #expect(error?.location.file == path)
            #expect(error?.message.hasPrefix("cannot write file") == true)
        }
    }

    @Test func readingMissingFileOrFolderFailsNamingIt() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let missing = folder + "/nope.npy"
            let missingError = TestSupport.error { _ = try NpyFormat.read(path: missing) }
            #expect(missingError?.description == "\(missing): no such file")
            let folderError = TestSupport.error { _ = try NpyFormat.read(path: folder) }
            #expect(folderError?.description == "\(folder): is a directory, not a file")
        }
    }

    @Test func readingBrokenFileNamesThePath() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/bad.npy"
            try TestSupport.writeFile(Array("hello".utf8), to: path)
            let error = TestSupport.error { _ = try NpyFormat.read(path: path) }
            #expect(error?.description == "\(path): not a NumPy .npy file (bad magic)")
        }
    }
}

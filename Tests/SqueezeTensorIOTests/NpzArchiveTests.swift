import Foundation
import SqueezeIR
import SqueezeTensorIO
import Testing

@Suite struct NpzArchiveTests {
    static let expected: [String: NpyArray] = [
        "w": NpyArray(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5]),
        "b": NpyArray(shape: [2], storage: .int32([1, 2])),
    ]

    /// Writes `bytes` to a file in a fresh folder and reads it as `.npz`.
    private func readArchive(_ bytes: [UInt8], name: String = "a.npz",
                             byteLimit: Int = NpzArchive.defaultByteLimit) throws -> Result<[String: NpyArray], Diagnostic> {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/" + name
            try TestSupport.writeFile(bytes, to: path)
            do {
                return .success(try NpzArchive.read(path: path, byteLimit: byteLimit))
            } catch let error as Diagnostic {
                return .failure(error)
            }
        }
    }

    private func failure(_ result: Result<[String: NpyArray], Diagnostic>) -> Diagnostic? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func readsSavez() throws {
        #expect(try readArchive(Fixtures.savez).get() == Self.expected)
    }

    @Test func readsSavezCompressed() throws {
        #expect(try readArchive(Fixtures.savezCompressed).get() == Self.expected)
    }

    @Test func writeThenReadRoundTrips() throws {
        let arrays: [String: NpyArray] = [
            "conv1_w": NpyArray(shape: [2, 1, 1, 1], floats: [0.5, -0.5]),
            "scalar": NpyArray(shape: [], floats: [1]),
            "q": NpyArray(shape: [3], storage: .int8([1, -2, 3])),
            "empty": NpyArray(shape: [0], floats: []),
        ]
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/w.npz"
            try NpzArchive.write(arrays, to: path)
            #expect(try NpzArchive.read(path: path) == arrays)
            #expect(try TestSupport.listing(folder) == ["w.npz"])
        }
    }

    @Test func writeIsDeterministic() throws {
        var first: [String: NpyArray] = [:]
        var second: [String: NpyArray] = [:]
        let names = (0..<20).map { "array\($0)" }
        for name in names { first[name] = NpyArray(shape: [1], floats: [Float(name.count)]) }
        for name in names.reversed() { second[name] = NpyArray(shape: [1], floats: [Float(name.count)]) }
        try TestSupport.withTemporaryDirectory { folder in
            try NpzArchive.write(first, to: folder + "/1.npz")
            try NpzArchive.write(second, to: folder + "/2.npz")
            try NpzArchive.write(first, to: folder + "/2.npz")  // replaces
            let bytes1 = try Data(contentsOf: URL(fileURLWithPath: folder + "/1.npz"))
            let bytes2 = try Data(contentsOf: URL(fileURLWithPath: folder + "/2.npz"))
            #expect(bytes1 == bytes2)
            #expect(try TestSupport.listing(folder) == ["1.npz", "2.npz"])
        }
    }

    @Test func writeRejectsInconsistentArrayNamingIt() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/x.npz"
            let error = TestSupport.error {
                try NpzArchive.write(["bad": NpyArray(shape: [3], floats: [1])], to: path)
            }
            #expect(error?.description == "\(path): array 'bad' has shape (3,) but 1 values")
            let remaining = try TestSupport.listing(folder)
            #expect(remaining.isEmpty)
        }
    }

    @Test func rejectsFileThatIsNotAZip() throws {
        let error = failure(try readArchive(Fixtures.float32Arange2x3, name: "plain.npz"))
        #expect(error?.description.hasSuffix("plain.npz: not a NumPy .npz file (not a zip archive)") == true)
        let empty = failure(try readArchive([], name: "empty.npz"))
        #expect(empty?.description.hasSuffix("empty.npz: not a NumPy .npz file (not a zip archive)") == true)
    }

    @Test func rejectsEntryThatIsNotNpy() throws {
        let error = failure(try readArchive(Fixtures.zipWithTextEntry, name: "text.npz"))
        #expect(error?.description.hasSuffix("text.npz: entry 'readme.txt' is not a .npy array") == true)
    }

    @Test func brokenEntryNamesArchiveAndEntry() throws {
        let error = failure(try readArchive(Fixtures.zipWithBrokenNpy, name: "broken.npz"))
        #expect(error?.location.file?.hasSuffix("broken.npz[w.npy]") == true)
        #expect(error?.message == "not a NumPy .npy file (bad magic)")
    }

    @Test func enforcesTheByteLimit() throws {
        let error = failure(try readArchive(Fixtures.savez, name: "big.npz", byteLimit: 200))
        #expect(error?.location.file?.hasSuffix("big.npz") == true)
        #expect(error?.message.contains("limit of 200 bytes") == true, "\(String(describing: error))")
        #expect(try readArchive(Fixtures.savez, byteLimit: 288).get() == Self.expected)
        #expect(failure(try readArchive(Fixtures.savez, byteLimit: 287)) != nil)
    }

    @Test func rejectsEntryLargerThanItsDeclaredSize() throws {
        let error = failure(try readArchive(Fixtures.savezCompressedLyingSize, name: "lie.npz"))
        #expect(error?.location.file?.hasSuffix("lie.npz") == true)
        #expect(error?.message.contains("more than its declared 200 bytes") == true, "\(String(describing: error))")
    }

    @Test func readingMissingFileNamesIt() throws {
        try TestSupport.withTemporaryDirectory { folder in
            let path = folder + "/none.npz"
            let error = TestSupport.error { _ = try NpzArchive.read(path: path) }
            #expect(error?.description == "\(path): no such file")
        }
    }
}

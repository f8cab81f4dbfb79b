import Foundation
import SqueezeEvaluation
import SqueezeIR
import SqueezeTensorIO
import Testing

@Suite struct InputFilesTests {
    static let info = ValueInfo(name: "data", type: TensorType(.float32, .nhwc(1, 2, 2, 3)))

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// NCHW 0..<12 as a .npy.
    static func writeNCHW(_ url: URL, offset: Float = 0) throws {
        try NpyFormat.write(NpyArray(shape: [1, 3, 2, 2], floats: (0..<12).map { Float($0) + offset }), to: url.path)
    }

    @Test func tensorsAreReadNCHWAndReturnedNHWC() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x.npy")
        try Self.writeNCHW(file)
        let values = try InputFiles.readInput(file.path, for: Self.info)
        // NHWC pixel (0,0) holds channels 0, 4, 8 of the NCHW planes.
        #expect(Array(values.prefix(6)) == [0, 4, 8, 1, 5, 9])
        let out = dir.appendingPathComponent("y.npy")
        try InputFiles.writeOutput(values, type: Self.info.type, to: out.path)
        #expect(try NpyFormat.read(path: out.path).floats == (0..<12).map(Float.init))
    }

    @Test func aWrongShapeNamesTheExpectedOne() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x.npy")
        try NpyFormat.write(NpyArray(shape: [1, 3, 1, 4], floats: [Float](repeating: 0, count: 12)), to: file.path)
        #expect { try InputFiles.readInput(file.path, for: Self.info) } throws: {
            ($0 as? Diagnostic)?.message.contains("[1, 3, 2, 2]") == true
        }
    }

    @Test func seededInputsAreDeterministic() {
        let a = InputFiles.seeded(3, for: Self.info)
        #expect(a == InputFiles.seeded(3, for: Self.info))
        #expect(a != InputFiles.seeded(4, for: Self.info))
        #expect(a.count == 12 && a.allSatisfy { $0 >= -2 && $0 <= 2 })
    }

    @Test func aFolderIsReadInNameOrderSkippingOtherFiles() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeNCHW(dir.appendingPathComponent("b.npy"), offset: 100)
        try Self.writeNCHW(dir.appendingPathComponent("a.npy"))
        try Data("notes".utf8).write(to: dir.appendingPathComponent("README.txt"))
        let inputs = try InputFolder.read(dir.path, for: Self.info)
        #expect(inputs.map(\.name) == ["a.npy", "b.npy"])
        #expect(inputs[1].values.first == 100)
        #expect(InputFolder.isInputFile("cat.PNG") && InputFolder.isInputFile("x.pb") && !InputFolder.isInputFile("x.txt"))
    }

    @Test func anEmptyFolderOrAFileIsAnInputError() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect { try InputFolder.read(dir.path, for: Self.info) } throws: {
            ($0 as? Diagnostic)?.message.hasPrefix("no calibration inputs") == true
        }
        let file = dir.appendingPathComponent("a.npy")
        try Self.writeNCHW(file)
        #expect { try InputFolder.read(file.path, for: Self.info) } throws: {
            ($0 as? Diagnostic)?.kind == .input
        }
    }
}

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

    @Test func subFoldersAreReadInPathOrderSoALabelledSetCalibrates() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (folder, offset) in [("1", Float(10)), ("0", 0)] {
            let sub = dir.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try Self.writeNCHW(sub.appendingPathComponent("b.npy"), offset: offset + 1)
            try Self.writeNCHW(sub.appendingPathComponent("a.npy"), offset: offset)
        }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        try Self.writeNCHW(dir.appendingPathComponent(".hidden/x.npy"))
        try Self.writeNCHW(dir.appendingPathComponent("top.npy"), offset: 50)
        let inputs = try InputFolder.read(dir.path, for: Self.info)
        #expect(inputs.map(\.name) == ["0/a.npy", "0/b.npy", "1/a.npy", "1/b.npy", "top.npy"])
        #expect(inputs.map { $0.values[0] } == [0, 1, 10, 11, 50])
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

    /// A binary PGM (grey) image file.
    static func writePGM(_ url: URL, width: Int, height: Int, _ levels: [UInt8]) throws {
        try Data(Array("P5\n\(width) \(height)\n255\n".utf8) + levels).write(to: url)
    }

    @Test func imagesFollowThePreprocessingGiven() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("g.pgm")
        try Self.writePGM(file, width: 2, height: 2, [0, 51, 102, 255])
        // A 1-channel model without a preprocessing: grey, v / 255, mean 0, std 1.
        let grey = ValueInfo(name: "data", type: TensorType(.float32, .nhwc(1, 2, 2, 1)))
        let none = Preprocessing(mean: [0], std: [1], channels: .grey, resize: .none)
        #expect(try InputFiles.readInput(file.path, for: grey, preprocessing: none) == [0, 0.2, 0.4, 1])
        // Three channels, grey replicated, mean 0.5 std 0.5: 2 v / 255 - 1.
        let three = Preprocessing(mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], channels: .grey, resize: .none)
        let values = try InputFiles.readInput(file.path, for: Self.info, preprocessing: three)
        #expect(values == [-1, -1, -1, -0.6, -0.6, -0.6, -0.2, -0.2, -0.2, 1, 1, 1])
        // The default for 3 channels is ImageNet's (crop): (0 / 255 - 0.485) / 0.229 at a black corner.
        let imageNet = try InputFiles.readInput(file.path, for: Self.info)
        #expect(abs(imageNet[0] - Float((0.0 - 0.485) / 0.229)) < 0.3)
    }

    @Test func imageErrorsNameTheFile() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("g.pgm")
        try Self.writePGM(file, width: 3, height: 2, [0, 1, 2, 3, 4, 5])
        let none = Preprocessing(mean: [0, 0, 0], std: [1, 1, 1], resize: .none)
        #expect { try InputFiles.readInput(file.path, for: Self.info, preprocessing: none) } throws: {
            ($0 as? Diagnostic)?.description == "\(file.path): image is 3x2 pixels; with resize none the model needs exactly 2x2 (or use resize crop)"
        }
        let twoChannels = ValueInfo(name: "data", type: TensorType(.float32, .nhwc(1, 2, 2, 2)))
        #expect { try InputFiles.readInput(file.path, for: twoChannels) } throws: {
            ($0 as? Diagnostic)?.description == "\(file.path): images need a square 1- or 3-channel input; the model takes 1x2x2x2 (use a .npy)"
        }
    }
}

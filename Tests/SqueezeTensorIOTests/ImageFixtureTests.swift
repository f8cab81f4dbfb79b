import Foundation
import SqueezeIR
import SqueezeTensorIO
import Testing

/// The committed images of Tests/Fixtures/images (written by Pillow through
/// `scripts/sample_photos.py --fixtures`, an encoder independent of this
/// code) and the file-level entry point `ImageInput`.
@Suite struct ImageFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images").path

    static func path(_ name: String) -> String { folder + "/" + name }

    @Test func pillowPNGsDecodeToTheSamePixelsAsTheirNetpbmTwins() throws {
        for (png, netpbm) in [("rgb32x24.png", "rgb32x24.ppm"), ("gray32x24.png", "gray32x24.pgm"),
                              ("palette32x24.png", "palette32x24.ppm")] {
            let fromPNG = try PNGFormat.read(path: Self.path(png))
            let fromNetpbm = try PNMFormat.read(path: Self.path(netpbm))
            #expect(fromPNG.width == 32 && fromPNG.height == 24, "\(png)")
            #expect(fromPNG == fromNetpbm, "\(png) vs \(netpbm)")
        }
    }

    @Test func greyFixtureIsGreyAndPaletteFixtureHasSixteenColours() throws {
        let grey = try PNGFormat.read(path: Self.path("gray32x24.png"))
        let isGrey = (0..<32 * 24).allSatisfy { (pixel: Int) -> Bool in
            let colour = grey.pixel(x: pixel % 32, y: pixel / 32)
            return colour[0] == colour[1] && colour[1] == colour[2]
        }
        #expect(isGrey)
        let indexed = try PNGFormat.read(path: Self.path("palette32x24.png"))
        let colours = Set((0..<32 * 24).map { indexed.pixel(x: $0 % 32, y: $0 / 32) })
        #expect(colours.count <= 16 && colours.count > 8)
    }

    /// The Python preprocessing of the script, run on the same pixels.
    @Test(arguments: [16, 8])
    func preprocessingMatchesThePythonScript(size: Int) throws {
        let expected = try NpyFormat.read(path: Self.path("rgb32x24-size\(size).npy"))
        let tensor = try ImageInput.loadTensor(path: Self.path("rgb32x24.png"), size: size)
        #expect(tensor.shape == expected.shape)
        let difference = zip(tensor.floats ?? [], expected.floats ?? []).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1e-6, "max abs difference \(difference)")
        #expect(try ImageInput.loadTensor(path: Self.path("rgb32x24.ppm"), size: size) == tensor)
    }

    @Test func loadsByExtensionIgnoringCase() throws {
        #expect(ImageInput.isImagePath("a/b.PNG"))
        #expect(ImageInput.isImagePath("x.pnm") && ImageInput.isImagePath("x.pgm") && ImageInput.isImagePath("x.ppm"))
        #expect(!ImageInput.isImagePath("x.npy") && !ImageInput.isImagePath("png") && !ImageInput.isImagePath("x.jpg"))
        try TestSupport.withTemporaryDirectory { folder in
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path("rgb32x24.ppm"))))
            try TestSupport.writeFile(bytes, to: folder + "/Photo.PNM")
            #expect(try ImageInput.readImage(path: folder + "/Photo.PNM") == PNMFormat.read(path: Self.path("rgb32x24.ppm")))
        }
    }

    @Test func refusesOtherExtensionsAndNamesTheFile() throws {
        let jpeg = TestSupport.error { _ = try ImageInput.loadTensor(path: "in/cat.jpg", size: 224) }
        #expect(jpeg?.description == "in/cat.jpg: cannot read '.jpg' files as an image (supported: .png, .ppm, .pgm, .pnm)")
        #expect(jpeg?.kind == .unsupported)
        let npy = TestSupport.error { _ = try ImageInput.readImage(path: "x.npy") }
        #expect(npy?.message.contains("'.npy' files") == true)
        let bare = TestSupport.error { _ = try ImageInput.readImage(path: "dir/photo") }
        #expect(bare?.message.contains("a file without an extension") == true)
    }

    @Test func reportsDecoderErrorsWithThePath() throws {
        try TestSupport.withTemporaryDirectory { folder in
            // A PPM under a .png name: the extension decides, the PNG decoder objects.
            try TestSupport.writeFile(Array("P6 1 1 255\n\u{0}\u{0}\u{0}".utf8), to: folder + "/wrong.png")
            let error = TestSupport.error { _ = try ImageInput.loadTensor(path: folder + "/wrong.png", size: 8) }
            #expect(error?.description == folder + "/wrong.png: not a PNG file (bad signature)")
            let size = TestSupport.error { _ = try ImageInput.loadTensor(path: Self.path("rgb32x24.png"), size: 0) }
            #expect(size?.location.file == Self.path("rgb32x24.png"))
            let missing = TestSupport.error { _ = try ImageInput.loadTensor(path: folder + "/none.ppm", size: 8) }
            #expect(missing?.description == folder + "/none.ppm: no such file")
        }
    }
}

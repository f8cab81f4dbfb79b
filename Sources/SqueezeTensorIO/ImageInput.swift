import Foundation
import SqueezeIR

/// Model inputs from image files, chosen by the file's extension
/// (case-insensitive): `.png` is decoded by `PNGFormat`, `.ppm`, `.pgm` and
/// `.pnm` by `PNMFormat`. NumPy `.npy` inputs are not handled here: the
/// caller reads them with `NpyFormat`.
public enum ImageInput {
    /// The extensions this type reads, lower case, without the dot.
    public static let fileExtensions = ["png", "ppm", "pgm", "pnm"]

    /// True when the path ends in one of `fileExtensions`.
    public static func isImagePath(_ path: String) -> Bool {
        fileExtensions.contains(fileExtension(of: path))
    }

    /// Reads and decodes an image file, by its extension.
    public static func readImage(path: String) throws(Diagnostic) -> RGBImage {
        switch fileExtension(of: path) {
        case "png":
            return try PNGFormat.read(path: path)
        case "ppm", "pgm", "pnm":
            return try PNMFormat.read(path: path)
        default:
            let shown = MessageText.printable(URL(fileURLWithPath: path).pathExtension, limit: 20)
            let what = shown.isEmpty ? "a file without an extension" : "'.\(shown)' files"
            throw .unsupported("cannot read \(what) as an image (supported: .png, .ppm, .pgm, .pnm)", file: path)
        }
    }

    /// The model input for an image file: decoded by its extension and
    /// preprocessed by `ImagePreprocessing(size:channels:preprocessing:)`,
    /// float32 NHWC `[1, size, size, channels]`. Errors name the file.
    public static func loadTensor(path: String, size: Int, channels: Int = 3,
                                  preprocessing: Preprocessing = .imageNet) throws(Diagnostic) -> NpyArray {
        do {
            let transform = try ImagePreprocessing(size: size, channels: channels, preprocessing: preprocessing)
            let image = try readImage(path: path)
            try transform.checkSize(of: image)
            return transform.tensor(from: image)
        } catch {
            throw error.inFile(path)
        }
    }

    private static func fileExtension(of path: String) -> String {
        URL(fileURLWithPath: path).pathExtension.lowercased()
    }
}

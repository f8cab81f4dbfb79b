import Foundation
import SqueezeIR

/// One named input of a data set: NHWC floats, normalised like the model's inputs.
public struct NamedInput: Sendable, Equatable {
    public var name: String
    public var values: [Float]

    public init(name: String, values: [Float]) {
        self.name = name
        self.values = values
    }
}

/// A folder of inputs (`--calibrate DIR`, `validate --input-dir DIR`): every
/// `.npy` / `.pb` (NCHW float32, normalised) and image file in it and in its
/// sub-folders (so a labelled set, one folder per class, calibrates as it
/// is), in path order so every use is deterministic. Hidden entries are
/// skipped; folders nest at most `maximumDepth` deep.
public enum InputFolder {
    public static let tensorExtensions = ["npy", "pb"]
    public static let maximumDepth = 8

    /// Whether `name` is a file the folder readers take.
    public static func isInputFile(_ name: String) -> Bool {
        let ext = (name as NSString).pathExtension.lowercased()
        return tensorExtensions.contains(ext) || InputFiles.imageExtensions.contains(ext)
    }

    /// Every input file of `directory`, read for `input` by
    /// `InputFiles.readInput` (images with `preprocessing`).
    public static func read(_ directory: String, for input: ValueInfo,
                            preprocessing: Preprocessing? = nil) throws(Diagnostic) -> [NamedInput] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .input("--calibrate needs a folder of inputs", file: directory)
        }
        var inputs: [NamedInput] = []
        for name in try files(in: directory, depth: 0) {
            let path = (directory as NSString).appendingPathComponent(name)
            inputs.append(NamedInput(name: name, values: try InputFiles.readInput(path, for: input, preprocessing: preprocessing)))
        }
        guard !inputs.isEmpty else {
            throw .input("no calibration inputs (.npy, .pb, " + InputFiles.imageExtensions.map { "." + $0 }.joined(separator: ", ") + ") in the folder",
                         file: directory)
        }
        return inputs
    }

    /// The input files under `directory`, as paths relative to it, sorted
    /// per folder (files and sub-folders by name).
    static func files(in directory: String, depth: Int) throws(Diagnostic) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw .input("cannot list the folder: \(error.localizedDescription)", file: directory)
        }
        var files: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                guard depth < maximumDepth else { throw .input("folders nest more than \(maximumDepth) deep", file: path) }
                files += try Self.files(in: path, depth: depth + 1).map { (name as NSString).appendingPathComponent($0) }
            } else if isInputFile(name) {
                files.append(name)
            }
        }
        return files
    }
}

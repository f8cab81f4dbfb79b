import Foundation
import SqueezeIR
import SqueezeQuant

/// The representative inputs of `--calibrate DIR`: every `.npy` / `.pb`
/// (NCHW float32, normalised) and image file in the folder, in name order,
/// so calibration is deterministic. Without a folder: seeded noise.
enum CalibrationInputs {
    static let noiseCount = 8
    static let tensorExtensions = ["npy", "pb"]

    static func load(_ directory: String?, for input: ValueInfo, quiet: Bool = false) throws(Diagnostic) -> [Calibrator.Input] {
        guard let directory else {
            if !quiet { Console.note("note: no --calibrate folder: calibrating on \(noiseCount) seeded noise inputs; pass representative images for real scales") }
            return (0..<noiseCount).map { Calibrator.Input(name: "noise\($0)", values: InputFiles.seeded(UInt64(1000 + $0), for: input)) }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .input("--calibrate needs a folder of inputs", file: directory)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw .input("cannot list the folder: \(error.localizedDescription)", file: directory)
        }
        var inputs: [Calibrator.Input] = []
        for name in names {
            let ext = (name as NSString).pathExtension.lowercased()
            let path = (directory as NSString).appendingPathComponent(name)
            if tensorExtensions.contains(ext) || InputFiles.imageExtensions.contains(ext) {
                inputs.append(Calibrator.Input(name: name, values: try InputFiles.readInput(path, for: input)))
            }
        }
        guard !inputs.isEmpty else {
            throw .input("no calibration inputs (.npy, .pb, " + InputFiles.imageExtensions.map { "." + $0 }.joined(separator: ", ") + ") in the folder",
                         file: directory)
        }
        return inputs
    }
}

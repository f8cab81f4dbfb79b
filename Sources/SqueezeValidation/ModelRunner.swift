import Foundation
import SqueezeCodegen
import SqueezeIR

/// What one run of the generated code produced.
public struct RunResult: Sendable {
    public var output: [Float]
    /// Every traced value (trace builds only).
    public var trace: [TraceRecord] = []
    /// Instructions for one inference (firmware only).
    public var instructions: Int?
    /// Stack high-water mark (firmware only).
    public var stackBytes: Int?
    /// Instructions per step, in order (firmware only).
    public var layers: [(name: String, instructions: Int)] = []

    public init(output: [Float]) {
        self.output = output
    }
}

/// Sizes of a linked firmware image.
public struct BuildInfo: Sendable, Codable, Equatable {
    /// Code plus const data (weights included).
    public var flashBytes: Int
    /// .data + .bss + arena + the harness's buffers (the stack is measured at run time).
    public var ramBytes: Int
    /// Flash and RAM by part (code, weights, other; data, bss, arena).
    public var sizes: FirmwareSizes?
    /// Each RAM region of the board: what it holds, the stack as reserved.
    public var ramRegions: [RegionUsage]?

    public init(flashBytes: Int, ramBytes: Int) {
        self.flashBytes = flashBytes
        self.ramBytes = ramBytes
    }

    public init(sizes: FirmwareSizes, ramRegions: [RegionUsage]? = nil) {
        self.init(flashBytes: sizes.flash, ramBytes: sizes.ram)
        self.sizes = sizes
        self.ramRegions = ramRegions
    }
}

/// Builds generated C for one target and runs it on inputs. The host runner
/// compiles with the host C compiler; the firmware runner cross-compiles and
/// runs under QEMU.
public protocol ModelRunner {
    var targetName: String { get }
    /// Compiles the generated files in `directory` (normal, or with SQ_TRACE).
    mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic) -> BuildInfo?
    /// Runs the last build on one NHWC input.
    func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> RunResult
}

extension GeneratedModel {
    public var isInt8: Bool { graph.quantization != nil }
    /// Bytes per input/output element.
    var elementBytes: Int { isInt8 ? 1 : 4 }
    /// Extra compiler defines for the harness (with `--row-input`: run the row entry point).
    var harnessDefines: [String] {
        var defines = isInt8 ? ["-DSQ_ELEM_T=int8_t"] : []
        if graph.inputType == .uint8 { defines.append("-DSQ_INPUT_T=uint8_t") }
        if inputRing != nil {
            let upper = prefix.uppercased()
            defines += ["-DSQ_RUN_ROWS=\(prefix)_run_rows", "-DSQ_INPUT_H=\(upper)_INPUT_H", "-DSQ_ROW_COUNT=\(upper)_INPUT_ROW_COUNT",
                        "-DSQ_RING_ROWS=\(upper)_INPUT_RING_ROWS"]
        }
        return defines
    }
    var inputCount: Int { graph.inputs[0].type.shape.elementCount }
    /// An input file for the harness: float32 or int8 codes, or with
    /// `--input-type uint8` the raw pixels (given as the reference's values:
    /// 0...255 for fp32, the int8 codes v - 128 for int8) as bytes.
    func inputFile(_ values: [Float]) -> Data {
        guard graph.inputType == .uint8 else { return FloatFile.encode(values, int8: isInt8) }
        let offset = isInt8 ? 128 : 0
        return Data(values.map { UInt8(clamping: Int($0.rounded()) + offset) })
    }
    /// The distinct names the generated code passes to `sq_profile` (at
    /// least 1): the size of the firmware harness's profile table.
    var profilePoints: Int {
        var names = Set<Substring>()
        let marker = "sq_profile(\""
        for file in files where file.name.hasSuffix(".c") {
            var rest = file.contents[...]
            while let start = rest.range(of: marker) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                names.insert(rest[..<end])
                rest = rest[end...]
            }
        }
        return max(1, names.count)
    }
    var outputCount: Int { graph.valueTypes[graph.outputs[0]]?.shape.elementCount ?? 0 }

    /// Writes the generated files into `directory`.
    public func write(to directory: URL) throws(Diagnostic) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in files {
                try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name))
            }
        } catch {
            throw .input("cannot write generated files: \(error.localizedDescription)", file: directory.path)
        }
    }
}

import ArgumentParser
import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeIR
import SqueezePipeline
import SqueezeReference
import SqueezeValidation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Generate C, build and run it on a target, and compare with the Swift reference.",
        discussion: """
            Passes when, for every input, max |generated - reference| <= 1e-5 x (max - min of the \
            reference output) (--tolerance); int8 must match the int8 reference byte for byte. On a \
            mismatch the code is rebuilt with per-layer tracing and the first layer whose output \
            differs is named. Exit status 0 only when it matches.
            """)

    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("Where to run: host (the host C compiler, $CC or cc), or a QEMU board: \(RunTarget.boardList) "
                               + "(mps3-an547-dtcm128: DTCM budget 128 KiB).", valueName: "target"))
    var target: RunTarget = .host

    @Option(help: "Number of seeded random inputs (ignored with --input).")
    var inputs: Int = 1

    @Option(help: "Input: a float32 tensor (.npy or ONNX TensorProto .pb, [1,3,H,W] NCHW, already normalised) or an image (.png, .ppm, .pgm, .pnm; preprocessed as the model says: docs/preprocessing.md).")
    var input: String?

    @Option(help: "Write the generated code's output for the (first) input as .npy.")
    var output: String?

    @Option(help: "Keep the generated sources and build in this folder.")
    var keep: String?

    @Option(help: "Tolerance: max abs error as a fraction of the reference output's range.")
    var tolerance: Double = 1e-5

    @Flag(help: "Print one JSON object; no progress output.")
    var json = false

    @Option(help: ArgumentHelp("With a board: the part's flash in bytes (e.g. 524288 for 512 KiB). Code + weights + other const data must fit, checked before linking.", valueName: "bytes"))
    var flashSize: Int?

    func validate() throws {
        if let flashSize {
            guard flashSize > 0 else { throw ValidationError("--flash-size must be positive") }
            guard target.isBoard else { throw ValidationError("--flash-size needs --target BOARD") }
        }
        guard inputs >= 1, inputs <= 1000 else { throw ValidationError("--inputs must be between 1 and 1000") }
        guard tolerance > 0 else { throw ValidationError("--tolerance must be positive") }
        guard target != .reference else { throw ValidationError("validate compares generated code with the reference: --target host or a board") }
    }

    @Option(name: .customLong("define"), help: "Extra C preprocessor definition for the generated code and harness, e.g. SQ_S8_NO_DSP (portable int8 kernels); repeatable.")
    var defines: [String] = []

    @Option(help: "Validate on every input in this folder (.npy, .pb, images), in name order; with --precision int8 also the fidelity report.")
    var inputDir: String?

    func run() throws {
        let target = try self.target.resolved()
        if case .board(let board) = target, board.qemuMachine == nil {
            throw Diagnostic.input("board \(board.name) names no QEMU machine (\"qemu\": {\"machine\": ...}): validate runs the firmware; "
                                   + "`squeezec firmware --board FILE` builds it")
        }
        var pipeline = try model.pipeline(quiet: json)
        let lowered = try pipeline.lowered()
        if case .board(let board) = target {
            // A board with the arena in several RAM regions: split it (RegionPlanner).
            pipeline.options.arenaRegions = FirmwareRunner(board: board).arenaRegions(for: lowered.graph)
        }
        let graph = lowered.reference.graph
        guard let info = graph.inputs.first, let outputName = graph.outputs.first else {
            throw Diagnostic.unsupported("validate needs a model with one input and one output")
        }
        var cases: [ValidationInput]
        if let inputDir {
            cases = try InputFolder.read(inputDir, for: info, preprocessing: graph.preprocessing).map { .init(name: $0.name, values: $0.values) }
        } else if let input {
            cases = [.init(name: input, values: try InputFiles.readInput(input, for: info, preprocessing: graph.preprocessing))]
        } else {
            cases = (1...inputs).map { .init(name: "seed \($0)", values: RawPixels.seeded(UInt64($0), for: info, type: graph.inputType)) }
        }
        // --input-type uint8: whole pixel values, as the generated C receives them.
        cases = cases.map { .init(name: $0.name, values: RawPixels.conformed($0.values, to: graph.inputType)) }
        let work = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-validate-\(UUID().uuidString)")
        if keep == nil { TemporaryPaths.shared.register(work) }
        defer {
            if keep == nil {
                try? FileManager.default.removeItem(at: work)
                TemporaryPaths.shared.unregister(work)
            }
        }

        let quiet = json
        let progress: (String) -> Void = { message in
            if !quiet { Console.note("[validate] \(message)") }
        }
        let options = CodegenOptions(prefix: "model", commandLine: CommandLine.recorded, toolVersion: SqueezeC.version, schedule: model.schedule)
        var board: Board?
        if case .board(let named) = target { board = flashSize.map(named.withFlashBudget) ?? named }
        progress("generating C for \(graph.name)")
        let generated = try pipeline.generated(from: lowered, codegen: options).model
        let reference = try ModelInterpreters.make(graph)
        let float: (any ModelInterpreter)? = lowered.precision == .int8 ? try ReferenceInterpreter(graph: lowered.float) : nil
        let report: ValidationReport
        let outputs: [[Float]]
        if let board {
            var runner = FirmwareRunner(board: board)
            runner.extraFlags = defines.map { "-D" + $0 }
            // Before anything is written: a model that cannot fit is refused with the numbers.
            try runner.checkFit(generated)
            var validator = Validator(runner: runner, tolerance: tolerance, progress: progress)
            (report, outputs) = try validator.validate(generated, reference: reference, float: float, inputs: cases, workDirectory: work)
        } else {
            var validator = Validator(runner: HostRunner(extraFlags: defines.map { "-D" + $0 }), tolerance: tolerance, progress: progress)
            (report, outputs) = try validator.validate(generated, reference: reference, float: float, inputs: cases, workDirectory: work)
        }
        // int8 outputs are codes: show and write real values.
        let real: [[Float]] = try outputs.map { (codes: [Float]) throws(Diagnostic) -> [Float] in try reference.decode(codes) }
        if let output, let first = real.first {
            try InputFiles.writeOutput(first, type: try graph.type(of: outputName), to: output)
        }
        if !json, let first = real.first {
            print("top-5 of the \(report.target) output for \(cases[0].name):")
            for (rank, entry) in TopK.best(first, count: 5).enumerated() {
                print(String(format: "  %d. class %4d  %12.6f", rank + 1, entry.index, entry.value))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            printText(report)
        }
        if !report.passed {
            var message = "validation failed on \(report.target): max relative error \(report.maxRelativeError) > \(report.tolerance)"
            if let differing = report.differingBytes { message = "validation failed on \(report.target): \(differing) output bytes differ from the int8 reference" }
            let nonFinite = report.inputs.map(\.error.nonFinite).reduce(0, +)
            if nonFinite > 0 {
                message = "validation failed on \(report.target): \(nonFinite) output value(s) are NaN or infinite (in the reference or the generated code)"
            }
            if let d = report.firstDivergence {
                message += "; first diverging layer '\(d.layer)' (value \(d.value), relative error \(d.error.relativeError))"
            }
            throw Diagnostic.input(message)
        }
    }

    /// "flash N bytes (code a, weights b, other c)".
    func flashText(_ report: ValidationReport) -> String {
        var text = "flash \(report.flashBytes ?? 0) bytes"
        if let code = report.flashCodeBytes, let weights = report.flashWeightsBytes, let other = report.flashOtherBytes {
            text += " (code \(code), weights \(weights), other \(other))"
        }
        return text
    }

    func printText(_ report: ValidationReport) {
        print("\(report.model) on \(report.target): arena \(report.arenaBytes) bytes, weights \(report.weightBytes) bytes")
        for input in report.inputs {
            print(String(format: "  %@: max abs error %.3g, range %.4g, relative %.3g, top-1 %d (reference %d)",
                         input.name, input.error.maxAbsError, input.error.range, input.error.relativeError,
                         input.generatedTop1, input.referenceTop1))
        }
        if let instructions = report.instructions {
            print("  instructions per inference \(instructions) (\(String(format: "%.2f", report.instructionsPerMAC ?? 0)) per MAC), "
                  + "\(flashText(report)), \(report.ramSummary ?? "RAM \(report.ramBytes ?? 0) bytes (stack \(report.stackBytes ?? 0))")")
            if let regions = report.ramRegions, !regions.isEmpty {
                print("  RAM regions: " + regions.map(\.summary).joined(separator: "; "))
            }
            for layer in report.layers ?? [] {
                let perMAC = layer.instructionsPerMAC.map { String(format: " (%.2f per MAC)", $0) } ?? ""
                print("    " + layer.name.padding(toLength: max(10, layer.name.count), withPad: " ", startingAt: 0)
                      + String(format: " %12d instructions", layer.instructions) + perMAC)
            }
        }
        if let differing = report.differingBytes {
            print("  int8: \(differing) output bytes differ from the Swift int8 reference")
        }
        if let f = report.fidelity {
            print(String(format: "  int8 vs fp32 over %d inputs: SQNR mean %.1f dB, min %.1f dB; top-1 agreement %.0f%%, top-5 agreement %.0f%%",
                         f.inputs.count, f.meanSQNR, f.minSQNR, f.top1Agreement * 100, f.top5Agreement * 100))
            for input in f.inputs {
                print(String(format: "    %@: SQNR %.1f dB, fp32 top-1 %d, int8 top-5 %@", input.name, input.sqnrDB, input.referenceTop1,
                             input.top5.map(String.init).joined(separator: " ")))
            }
        }
        if report.differingBytes != nil {
            print(report.passed ? "PASS (bit-identical to the int8 reference)" : "FAIL")
        } else {
            print(report.passed ? String(format: "PASS (tolerance %.0e of the output range)", report.tolerance) : "FAIL")
        }
    }
}

import ArgumentParser
import Foundation
import SqueezeCodegen
import SqueezeIR
import SqueezePipeline
import SqueezeValidation

struct FirmwareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware",
        abstract: "Generate C for a model and build it into a QEMU firmware image (ELF) for a board.",
        discussion: "Writes the generated sources, the board's startup, linker script and harness, and firmware.elf into the folder. "
            + "`squeezec validate MODEL --target BOARD` builds the same image, runs it under QEMU and checks it.")

    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("Board: \(Board.all.map(\.name).joined(separator: ", ")), or a board file (.json, docs/boards.md).", valueName: "board"))
    var board: String = "mps2-an386"

    @Option(name: .shortAndLong, help: "Output folder (created with its parents if missing; as for generate, only the files squeezec writes are replaced).")
    var output: String

    @Option(help: ArgumentHelp("The part's flash in bytes (e.g. 524288 for 512 KiB): code + weights + other const data must fit, checked before linking.", valueName: "bytes"))
    var flashSize: Int?

    func validate() throws {
        if let flashSize, flashSize <= 0 { throw ValidationError("--flash-size must be positive") }
        if output.isEmpty { throw ValidationError("the output folder must not be empty (use -o . for the current folder)") }
    }

    func run() throws {
        var board = try Board.resolve(board)
        if let flashSize { board = board.withFlashBudget(flashSize) }
        let options = CodegenOptions(prefix: "model", commandLine: CommandLine.recorded, toolVersion: SqueezeC.version, schedule: model.schedule)
        var pipeline = try model.pipeline()
        let lowered = try pipeline.lowered()
        // A board with the arena in several RAM regions: split it (RegionPlanner).
        pipeline.options.arenaRegions = FirmwareRunner(board: board).arenaRegions(for: lowered.graph)
        let generated = try pipeline.generated(from: lowered, codegen: options).model
        let graph = generated.graph
        var runner = FirmwareRunner(board: board)
        // Nothing is written before the model is known to fit (weights,
        // arena, harness buffers against the board's regions).
        try runner.checkFit(generated)
        // Built in a staging folder inside the output folder; its files are
        // moved into place only once the build succeeded (a model whose
        // compiled code does not fit leaves nothing behind).
        let folder = try OutputDirectory(output)
        let info: BuildInfo
        let result: OutputDirectory.Result
        do {
            try folder.stage(generated.files)
            guard let built = try runner.build(generated, in: folder.staging, trace: false) else {
                throw Diagnostic.internal("the firmware build reported no sizes")
            }
            info = built
            result = try folder.commit()
        } catch {
            folder.discard()
            throw error
        }
        OutputNotes.print(result, folder: output)
        let flash = info.sizes?.flashSummary ?? "flash \(info.flashBytes) bytes"
        print("built \(output)/firmware.elf for \(board.name): \(flash), "
              + (info.sizes?.ramSummary(stack: board.stackBytes, measured: false) ?? "RAM \(info.ramBytes) bytes plus stack"))
        if let regions = info.ramRegions, !regions.isEmpty { print("RAM regions: " + regions.map(\.summary).joined(separator: "; ")) }
        guard let machine = board.qemuMachine else {
            print("rebuild it: make -C \(output) (the folder's Makefile)")
            return
        }
        print("rebuild it: make -C \(output); run it under QEMU (-M \(machine), -icount): make -C \(output) run, with input.bin: "
              + "\(graph.inputs[0].type.shape.elementCount) "
              + (graph.inputType == .uint8 ? "raw pixel bytes 0..255 (--input-type uint8)"
                 : graph.quantization == nil ? "little-endian floats" : "int8 codes (MODEL_INPUT_SCALE, MODEL_INPUT_ZERO_POINT in model.h)")
              + ", NHWC")
    }
}

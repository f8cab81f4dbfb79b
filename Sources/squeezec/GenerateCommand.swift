import ArgumentParser
import Foundation
import SqueezeCodegen
import SqueezeIR
import SqueezePipeline

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate portable C99 for a model: header, model code, const weights, arena, kernels.")

    @OptionGroup var model: ModelOptions

    @Option(name: .shortAndLong, help: "Output folder (created with its parents if missing). Only the files squeezec writes are replaced (each in one rename); files of an earlier build listed in squeezec-manifest.txt that this one does not write are removed; other files are left alone.")
    var output: String

    @Option(help: "Prefix of the C API and file names.")
    var prefix: String = "model"

    func validate() throws {
        // Before the model is compiled (OutputDirectory refuses it too).
        if output.isEmpty { throw ValidationError("the output folder must not be empty (use -o . for the current folder)") }
    }

    func run() throws {
        let options = CodegenOptions(prefix: prefix, commandLine: CommandLine.recorded, toolVersion: SqueezeC.version, schedule: model.schedule)
        let generated = try model.pipeline().generated(codegen: options).model
        let result = try OutputDirectory.write(generated.files, to: output)
        OutputNotes.print(result, folder: output)
        print("wrote \(generated.files.count) files to \(output): arena \(generated.arenaBytes) bytes "
              + "(planner \(generated.plan.strategy), lower bound \(generated.plan.lowerBound)), weights \(generated.weightBytes) bytes")
        print("RAM \(generated.ramBytes) bytes (\(generated.ramTerms)), "
              + "stack at most \(RuntimeNeeds.stackBytes) bytes; C library: \(RuntimeNeeds.modelSymbols(generated.graph).joined(separator: ", "))")
        if generated.graph.inputType == .uint8 {
            print("input type uint8: \(options.prefix)_run takes \(generated.inputImageBytes) bytes of raw pixels 0..255; "
                  + "the normalisation is folded into the first convolution")
        }
        if let ring = generated.inputRing, model.rowInput {
            print("row input: \(options.prefix)_run_rows; the arena holds an input ring of \(ring.rows) rows (\(ring.bytes) bytes) "
                  + "instead of the \(generated.inputImageBytes)-byte input image")
        }
    }
}

extension CommandLine {
    /// The command line as typed, with the program name reduced to `squeezec`.
    static var recorded: String {
        (["squeezec"] + arguments.dropFirst()).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}

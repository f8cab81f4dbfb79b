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

    @Option(name: .shortAndLong, help: "Output folder (created or replaced atomically).")
    var output: String

    @Option(help: "Prefix of the C API and file names.")
    var prefix: String = "model"

    func run() throws {
        let options = CodegenOptions(prefix: prefix, commandLine: CommandLine.recorded, toolVersion: SqueezeC.version, schedule: model.schedule)
        let generated = try model.pipeline().generated(codegen: options).model
        try OutputDirectory.write(generated.files, to: output)
        print("wrote \(generated.files.count) files to \(output): arena \(generated.arenaBytes) bytes "
              + "(planner \(generated.plan.strategy), lower bound \(generated.plan.lowerBound)), weights \(generated.weightBytes) bytes")
        if let ring = generated.inputRing {
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

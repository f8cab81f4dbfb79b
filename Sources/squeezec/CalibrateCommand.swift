import ArgumentParser
import Foundation
import SqueezeIR
import SqueezePipeline

/// `squeezec calibrate MODEL [--calibrate DIR] [--calibration METHOD] -o FILE`:
/// calibrates once and writes the result (`QuantizationFile`, JSON), which
/// `--precision int8 --quantization FILE` loads in every other command.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate a model for int8 once and write the result as JSON (load it with --precision int8 --quantization FILE).")

    @OptionGroup var model: ModelOptions

    @Option(name: .shortAndLong, help: "The quantisation file to write (JSON).")
    var output: String

    func validate() throws {
        guard model.quantization == nil else { throw ValidationError("calibrate writes a quantisation file: drop --quantization") }
    }

    func run() throws {
        var options = try model.pipelineOptions()
        options.precision = .int8
        let pipeline = CompilePipeline(options: options) { line in Console.note(line) }
        let file = try pipeline.quantizationFile(try pipeline.fused())
        try file.write(to: output)
        print("wrote \(output): \(file.tensors.count) tensors of \((model.model as NSString).lastPathComponent) (input \(file.input.shape.map(String.init).joined(separator: "x"))), "
              + "calibration \(file.calibration.method) on \(file.calibration.inputs.count) inputs")
    }
}

import ArgumentParser
import Foundation
import SqueezeIR
import SqueezeEvaluation
import SqueezePipeline
import SqueezeReference
import SqueezeValidation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model in the Swift reference interpreter and print the top-5 classes.")

    @OptionGroup var model: ModelOptions

    @Option(help: "Input: a float32 tensor (.npy or ONNX TensorProto .pb, [1,3,H,W] NCHW, already normalised) or an image (.png, .ppm, .pgm, .pnm; preprocessed as the model says: docs/preprocessing.md).")
    var input: String?

    @Option(help: "Without --input: seed of a deterministic random input.")
    var inputSeed: UInt64 = 1

    @Option(help: "Write the output as a float32 .npy of shape [1,classes].")
    var output: String?

    @Option(help: "How many top classes to print.")
    var top: Int = 5

    func run() throws {
        let interpreted = try model.pipeline().interpreted()
        let graph = interpreted.graph
        guard let inputInfo = graph.inputs.first, graph.inputs.count == 1, let outputName = graph.outputs.first else {
            throw Diagnostic.unsupported("run needs a model with one input and one output")
        }
        let data = RawPixels.conformed(try input.map { (path: String) throws(Diagnostic) in try InputFiles.readInput(path, for: inputInfo, preprocessing: graph.preprocessing) }
            ?? RawPixels.seeded(inputSeed, for: inputInfo, type: graph.inputType), to: graph.inputType)
        let start = DispatchTime.now()
        // The fp32 or int8 reference, real values in and out.
        let result = try ModelInterpreters.make(graph).infer(data)
        var note = ""
        if interpreted.isInt8 {
            let float = try ReferenceInterpreter(graph: interpreted.float).infer(data)
            let fidelity = Fidelity(names: ["input"], reference: [float], compared: [result])
            note = String(format: ", int8 vs fp32: SQNR %.1f dB, fp32 top-1 %d", fidelity.minSQNR, fidelity.inputs[0].referenceTop1)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        if let output {
            try InputFiles.writeOutput(result, type: try graph.type(of: outputName), to: output)
        }
        print("\(graph.name): \(input ?? "seeded input \(inputSeed)") -> \(outputName) (\(result.count) values), "
              + String(format: "reference %.3f s", seconds) + note)
        for (rank, entry) in TopK.best(result, count: top).enumerated() {
            print(String(format: "%2d. class %4d  %12.6f", rank + 1, entry.index, entry.value))
        }
    }
}

import ArgumentParser
import Foundation
import SqueezeIR
import SqueezeReference
import SqueezeValidation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model in the Swift reference interpreter and print the top-5 classes.")

    @OptionGroup var model: ModelOptions

    @Option(help: "Input: a float32 tensor (.npy or ONNX TensorProto .pb, [1,3,H,W] NCHW, already normalised) or an image (.png, .ppm, .pgm, .pnm; resized, cropped and normalised as docs/cli.md says).")
    var input: String?

    @Option(help: "Without --input: seed of a deterministic random input.")
    var inputSeed: UInt64 = 1

    @Option(help: "Write the output as a float32 .npy of shape [1,classes].")
    var output: String?

    @Option(help: "How many top classes to print.")
    var top: Int = 5

    func run() throws {
        let (graph, floatGraph) = try model.loadBoth()
        guard let inputInfo = graph.inputs.first, graph.inputs.count == 1, let outputName = graph.outputs.first else {
            throw Diagnostic.unsupported("run needs a model with one input and one output")
        }
        let data = try input.map { (path: String) throws(Diagnostic) in try InputFiles.readInput(path, for: inputInfo) }
            ?? InputFiles.seeded(inputSeed, for: inputInfo)
        let start = DispatchTime.now()
        var result: [Float]
        var note = ""
        if graph.quantization != nil {
            let int8 = try Int8ReferenceInterpreter(graph: graph)
            result = try int8.dequantizeOutput(try int8.run(try int8.quantizeInput(data)))
            let float = try ReferenceInterpreter(graph: floatGraph).run(data)
            let fidelity = Fidelity(names: ["input"], float: [float], int8: [result])
            note = String(format: ", int8 vs fp32: SQNR %.1f dB, fp32 top-1 %d", fidelity.minSQNR, fidelity.inputs[0].floatTop1)
        } else {
            result = try ReferenceInterpreter(graph: graph).run(data)
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

/// Indices of the largest values; ties go to the lower index.
enum TopK {
    static func best(_ values: [Float], count: Int) -> [(index: Int, value: Float)] {
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        return order.prefix(max(count, 0)).map { ($0, values[$0]) }
    }
}

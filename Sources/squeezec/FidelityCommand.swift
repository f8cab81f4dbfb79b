import ArgumentParser
import Foundation
import SqueezeEvaluation
import SqueezeIR
import SqueezePipeline
import SqueezeQuant
import SqueezeValidation

/// `squeezec fidelity`: what post-training compression costs (docs/compression.md).
struct FidelityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract: "Compare a compressed model (--prune, --codebook, per-layer overrides) with the uncompressed same model on the Swift reference.",
        discussion: """
            Both models run on the same inputs: SQNR of the compressed model's logits against the uncompressed \
            model's (mean and min over the inputs), top-1 agreement (same class) and top-5 agreement (the \
            uncompressed top-1 class among the compressed top 5); with --data also the accuracy of both. fp32 \
            always; with --precision int8 also int8, each model calibrated the same way (--calibrate, \
            --calibration) or both from one --quantization file.
            """)

    @OptionGroup var model: ModelOptions

    @Option(help: "Number of seeded random inputs (without --input-dir and --data).")
    var inputs: Int = 8

    @Option(help: "Compare on every input in this folder (.npy, .pb, images), in name order.")
    var inputDir: String?

    @Option(help: "Labelled data (one sub-folder of inputs per class, as for eval): also the accuracy of both models.")
    var data: String?

    @Option(help: "Only the first N inputs of --input-dir or --data (--data interleaves the classes, so any N covers them evenly).")
    var limit: Int?

    @Flag(help: "Print one JSON object; no progress output.")
    var json = false

    func validate() throws {
        guard inputs >= 1, inputs <= 1000 else { throw ValidationError("--inputs must be between 1 and 1000") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard inputDir == nil || data == nil else { throw ValidationError("give --input-dir or --data, not both") }
    }

    func run() throws {
        let compression = try model.compression()
        guard !compression.isEmpty else {
            throw Diagnostic.usage("fidelity compares a compressed model with the uncompressed one: give --prune, --codebook, --prune-layer or --codebook-layer")
        }
        let quiet = json
        let note: (String) -> Void = { line in if !quiet { Console.note(line) } }
        let compressedPipeline = try model.pipeline(quiet: json)
        var denseOptions = compressedPipeline.options
        denseOptions.compression = CompressionOptions()
        let densePipeline = CompilePipeline(options: denseOptions, progress: compressedPipeline.progress)
        note("[fidelity] lowering the compressed model")
        let compressed = try compressedPipeline.lowered()
        note("[fidelity] lowering the uncompressed model")
        let dense = try densePipeline.lowered()

        let graph = compressed.reference.graph
        guard let info = graph.inputs.first, graph.inputs.count == 1, let outputName = graph.outputs.first, graph.outputs.count == 1 else {
            throw Diagnostic.unsupported("fidelity needs a model with one input and one output")
        }
        var cases: [CompressionFidelity.Input] = []
        var classes: [String] = []
        var source: String
        if let data {
            let dataset = try LabelledDataset(directory: data)
            try dataset.check(outputs: try graph.type(of: outputName).shape.elementCount)
            classes = dataset.classes
            for item in dataset.selection(limit: limit, shard: .whole) {
                cases.append(.init(name: item.name, values: try LabelledDataset.load(item, for: info, preprocessing: graph.preprocessing),
                                   label: item.label))
            }
            source = "labelled, \(data)"
        } else if let inputDir {
            let read = try InputFolder.read(inputDir, for: info, preprocessing: graph.preprocessing)
            cases = read.prefix(limit ?? read.count).map { .init(name: $0.name, values: $0.values) }
            source = inputDir
        } else {
            cases = (1...inputs).map { .init(name: "seed \($0)", values: RawPixels.seeded(UInt64($0), for: info, type: graph.inputType)) }
            source = "seeded noise"
        }
        if limit != nil, data != nil || inputDir != nil { source += ", first \(cases.count)" }
        // --input-type uint8: whole pixel values, as the generated C receives them.
        for index in cases.indices { cases[index].values = RawPixels.conformed(cases[index].values, to: graph.inputType) }
        if model.precision == .int8 {
            source += ", int8 " + (model.quantization.map { "from " + ($0 as NSString).lastPathComponent }
                                   ?? "calibrated \(model.calibrationMethod ?? "minmax") on " + (model.calibrate ?? "seeded noise"))
        }
        note("[fidelity] running \(cases.count) inputs")
        let rows = try CompressionFidelity(dense: dense, compressed: compressed).rows(cases, classes: classes)
        let name = (model.model as NSString).lastPathComponent
        let report = CompressionFidelityReport(model: name.lowercased().hasSuffix(".onnx") ? String(name.dropLast(5)) : name,
                                               compression: compression.summary, inputs: source, rows: rows)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text, terminator: "")
        }
    }
}

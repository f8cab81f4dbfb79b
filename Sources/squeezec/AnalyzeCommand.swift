import ArgumentParser
import SqueezeCodegen
import Foundation
import SqueezeAnalysis
import SqueezePipeline
import SqueezeQuant
import SqueezeValidation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Per-layer shapes, parameters, MACs and activation memory of a model.")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @Option(help: ArgumentHelp("Also plan for a board (\(Board.all.map(\.name).joined(separator: ", ")), or a board file): the arena split over its RAM regions as firmware and validate split it, and each region's use before code (weights, arena, stack, harness buffers).", valueName: "board"))
    var board: String?

    func run() throws {
        var pipeline = try model.pipeline(quiet: json)
        let lowered = try pipeline.lowered()
        // With --board: the arena split over its regions (as firmware does), and the fit before code.
        var fit: [RegionUsage] = []
        if let board {
            let runner = FirmwareRunner(board: try Board.resolve(board))
            pipeline.options.arenaRegions = runner.arenaRegions(for: lowered.graph)
            let generated = try pipeline.generated(from: lowered, codegen: CodegenOptions(prefix: "model", schedule: model.schedule)).model
            fit = runner.estimatedUsage(generated)
        }
        let graph = lowered.reference.graph
        // The plan generate emits, and the other schedule's beside it.
        let planned = try pipeline.plan(lowered)
        // (The other schedule unsplit: it is there for its size, not for the board.)
        var unsplit = pipeline
        unsplit.options.arenaRegions = []
        let comparison = try unsplit.plan(lowered, schedule: planned.schedule == .stream ? .layer : .stream)
        let report = try ModelAnalyzer.analyze(graph, memory: planned.memory, comparison: comparison.memory)
        // The weights as they would be stored compressed (docs/compression.md).
        var compression = WeightCompressionReport(lowered.graph)
        compression.setStorage(WeightStoragePlan.storedWeights(lowered.graph))
        if json {
            var text = try ReportFormatter.json(report)
            if let preprocessing = graph.preprocessing {
                let object: [String: Any] = ["mean": preprocessing.mean, "std": preprocessing.std, "scale": preprocessing.scale.value,
                                             "scale_text": preprocessing.scale.description, "channels": preprocessing.channels.rawValue,
                                             "resize": preprocessing.resize.rawValue, "formula": preprocessing.formula]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                if let close = text.lastIndex(of: "}") {
                    text.replaceSubrange(close...close, with: ",\n  \"preprocessing\" : " + String(decoding: data, as: UTF8.self) + "\n}")
                }
            }
            if graph.quantization != nil {
                // One more key: the calibration result.
                let rows = try JSONSerialization.data(withJSONObject: QuantizationTable.json(graph), options: [.sortedKeys])
                if let close = text.lastIndex(of: "}") {
                    text.replaceSubrange(close...close, with: ",\n  \"quantization\" : " + String(decoding: rows, as: UTF8.self) + "\n}")
                }
            }
            let options = pipeline.options.compression
            if !options.isEmpty, let close = text.lastIndex(of: "}") {
                // The post-training options the weights went through.
                let object = try JSONSerialization.data(withJSONObject: options.jsonObject, options: [.sortedKeys])
                text.replaceSubrange(close...close, with: ",\n  \"compression\" : " + String(decoding: object, as: UTF8.self) + "\n}")
            }
            if let board, !fit.isEmpty, let close = text.lastIndex(of: "}") {
                // --board: each region's use before code.
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let regions = String(decoding: try encoder.encode(fit), as: UTF8.self)
                let name = String(decoding: try encoder.encode(board), as: UTF8.self)
                text.replaceSubrange(close...close, with: ",\n  \"board\" : \(name),\n  \"board_regions\" : " + regions + "\n}")
            }
            if let ring = planned.memory.inputRing, let close = text.lastIndex(of: "}") {
                // --row-input: the input ring (part of the arena).
                text.replaceSubrange(close...close, with: ",\n  \"input_ring\" : {\"bytes\" : \(ring.bytes), \"rows\" : \(ring.rows)}\n}")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let close = text.lastIndex(of: "}") {
                let weights = String(decoding: try encoder.encode(compression), as: UTF8.self)
                text.replaceSubrange(close...close, with: ",\n  \"weight_compression\" : " + weights + "\n}")
            }
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        } else {
            var text = ReportFormatter.text(report)
            if let ring = planned.memory.inputRing, let chosen = text.range(of: "\nchosen: "),
               let end = text[chosen.upperBound...].firstIndex(of: "\n") {
                // With --row-input the arena includes the input ring; say what it replaces.
                let image = graph.inputs[0].type.byteCount
                text.insert(contentsOf: "\nrow input: input ring \(ring.rows) of \(graph.inputs[0].type.shape.h) rows, \(ring.bytes) bytes "
                            + "(in the arena above) instead of the \(image)-byte input image", at: end)
            }
            if let preprocessing = graph.preprocessing, let end = text.firstIndex(of: "\n") {
                // Right under the model line: what an image goes through.
                let shape = graph.inputs[0].type.shape
                let lines = preprocessing.steps(height: shape.h, width: shape.w).map { "  " + $0 + "\n" }.joined()
                text.insert(contentsOf: "\nimage preprocessing (docs/preprocessing.md):\n" + lines.dropLast(), at: end)
            }
            let options = pipeline.options.compression
            let applied = options.isEmpty ? "" : "post-training compression: \(options.summary) (docs/compression.md)\n"
            let fitText = fit.isEmpty ? "" : "\(board ?? "") before code (the firmware adds code and static data): "
                + fit.map { $0.summary + ($0.fits ? "" : " OVER") }.joined(separator: "; ") + "\n"
            print(text + QuantizationTable.text(graph) + "\n" + applied + fitText + compression.text, terminator: "")
        }
    }
}

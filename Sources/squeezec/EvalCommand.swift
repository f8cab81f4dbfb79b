import ArgumentParser
import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeIR
import SqueezePipeline
import SqueezeReference
import SqueezeValidation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a classifier's accuracy on a labelled data set (top-1, top-5, per class, confusions; int8: agreement with fp32).",
        discussion: """
            DIR holds one sub-folder per class (class index: the sorted folder names, or their order in \
            DIR/labels.txt) with .npy/.pb tensors (already preprocessed) or .png/.ppm/.pgm/.pnm images. \
            --shard K/N evaluates items i with i mod N = K; 'squeezec eval --merge A.json B.json ...' sums \
            the --json reports of the shards exactly (see docs/eval.md).
            """)

    @OptionGroup var model: ModelOptions

    @Option(help: "Labelled data: a folder with one sub-folder of inputs per class.")
    var data: String

    @Option(help: ArgumentHelp("What computes the outputs: reference (the Swift interpreter), host (the generated C, built once, one process per "
                               + "batch) or a QEMU board: \(RunTarget.boardList) (one firmware start per batch).", valueName: "target"))
    var target: RunTarget = .reference

    @Option(help: "Evaluate only the first N inputs of the set (the set interleaves the classes, so any N covers them evenly).")
    var limit: Int?

    @Option(help: "Evaluate the deterministic slice K/N: the inputs whose position i in the set has i mod N = K.")
    var shard: String?

    @Option(help: "Worker processes (host) or QEMU instances (boards) on this machine, on disjoint slices.")
    var jobs: Int = 1

    @Option(help: "Inputs per host process or QEMU start (default: all of a worker's inputs on host, 100 on a board).")
    var batch: Int?

    @Flag(help: "Print the report as one JSON object (counts, mergeable with --merge); no progress output.")
    var json = false

    @Option(help: "Write every input's prediction as TSV (path, label, predicted[, fp32 predicted]).")
    var predictions: String?

    @Option(help: "Keep the generated sources and build in this folder (host and boards).")
    var keep: String?

    @Option(parsing: .upToNextOption, help: "Merge the --json reports of disjoint shards (no MODEL and --data then): squeezec eval --merge A.json B.json ...")
    var merge: [String] = []

    func validate() throws {
        guard merge.isEmpty else { throw ValidationError("--merge takes no MODEL or model options: squeezec eval --merge A.json B.json ...") }
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let shard { _ = try Shard(parsing: shard) }
    }

    func run() throws {
        let target = try self.target.resolved()
        let dataset = try LabelledDataset(directory: data)
        let shard = try shard.map { (text: String) throws(Diagnostic) in try Shard(parsing: text) } ?? .whole
        let pipeline = try model.pipeline(quiet: json)
        let lowered = try pipeline.lowered()
        let graph = lowered.graph
        guard let info = graph.inputs.first, graph.inputs.count == 1, let outputName = graph.outputs.first, graph.outputs.count == 1 else {
            throw Diagnostic.unsupported("eval needs a model with one input and one output")
        }
        try dataset.check(outputs: try graph.type(of: outputName).shape.elementCount)
        let limited = min(limit ?? dataset.items.count, dataset.items.count)
        let items = dataset.selection(limit: limit, shard: shard)
        let reference = try ModelInterpreters.make(graph)
        let float: (any ModelInterpreter)? = lowered.precision == .int8 ? try ReferenceInterpreter(graph: lowered.float) : nil
        let quiet = json
        let progress: @Sendable (Int, Int) -> Void = { done, correct in
            if !quiet {
                Console.note(String(format: "[eval] %d/%d images, top-1 %.2f%%", done, items.count, 100 * Double(correct) / Double(max(done, 1))))
            }
        }

        var evaluator = DatasetEvaluator(reference: reference, float: float, input: info, preprocessing: graph.preprocessing, jobs: jobs, batchSize: batch ?? 100)
        let results: [DatasetEvaluator.Prediction]
        if target == .reference {
            results = try evaluator.predict(items, progress: progress)
        } else {
            let work = keep.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-eval-\(UUID().uuidString)")
            defer { if keep == nil { try? FileManager.default.removeItem(at: work) } }
            if !quiet { Console.note("[eval] generating C for \(graph.name)") }
            let options = CodegenOptions(prefix: "model", commandLine: CommandLine.recorded, toolVersion: SqueezeC.version, schedule: model.schedule)
            let generated = try pipeline.generated(from: lowered, codegen: options).model
            try generated.write(to: work)
            let runner: any BatchRunner
            switch target {
            case .reference:
                throw Diagnostic.internal("the reference target needs no generated code")
            case .host:
                var host = HostRunner()
                _ = try host.build(generated, in: work, trace: false)
                runner = host
                // One process per worker unless --batch says otherwise.
                evaluator.batchSize = batch ?? max(1, (items.count + jobs - 1) / jobs)
            case .boardFile:
                throw Diagnostic.internal("the board file was not read")
            case .board(let board):
                var firmware = FirmwareRunner(board: board)
                if !quiet { Console.note("[eval] building firmware for \(board.name)") }
                _ = try firmware.build(generated, in: work, trace: false)
                runner = firmware
            }
            results = try evaluator.predict(items, runner: runner, model: generated, directory: work, progress: progress)
        }

        var report = AccuracyReport(settings: settings(graph: graph, limit: limited), classes: dataset.classes, datasetSize: limited,
                                    shard: shard, int8: float != nil)
        DatasetEvaluator.record(results, into: &report)
        if let predictions { try write(results, to: predictions) }
        if json {
            print(try Self.encode(report))
        } else {
            print(Self.text(report, name: Self.displayName(report)))
        }
    }

    /// What decides the predictions: reports merge only when these are equal.
    func settings(graph: Graph, limit: Int) -> [String: String] {
        let m = model
        var s = ["model": (m.model as NSString).lastPathComponent, "graph": graph.name, "precision": m.precision.rawValue,
                 "target": target.description, "schedule": "\(m.schedule)", "limit": String(limit)]
        if !m.model.lowercased().hasSuffix(".onnx") {
            s["model_options"] = "input-size \(m.inputSize) classes \(m.classes) squeeze-ratio \(m.squeezeRatio) pct3x3 \(m.pct3x3) "
                + "base-e \(m.baseE) incr-e \(m.incrE) freq \(m.freq) bypass \(m.bypass) softmax \(m.softmax) seed \(m.seed)"
        }
        if let weights = m.weights { s["weights"] = (weights as NSString).lastPathComponent }
        if let compression = try? m.compression(), !compression.isEmpty { s["compression"] = compression.summary }
        if let preprocessing = graph.preprocessing { s["preprocessing"] = preprocessing.description }
        if m.precision == .int8 {
            if let file = m.quantization {
                s["quantization"] = (file as NSString).lastPathComponent
            } else {
                s["calibration"] = m.calibrationMethod ?? "minmax"
                s["calibrate"] = m.calibrate.map { ($0 as NSString).lastPathComponent } ?? "seeded noise"
            }
        }
        return s
    }

    func write(_ results: [DatasetEvaluator.Prediction], to path: String) throws {
        var text = "path\tlabel\tpredicted" + (results.first?.floatTop1 != nil ? "\tfp32_predicted" : "") + "\n"
        for p in results.sorted(by: { $0.item.name < $1.item.name }) {
            text += "\(p.item.name)\t\(p.item.label)\t\(p.top1)" + (p.floatTop1.map { "\t\($0)" } ?? "") + "\n"
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Diagnostic.input("cannot write the predictions: \(error.localizedDescription)", file: path)
        }
    }

    static func encode(_ report: AccuracyReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// The model's file name without .onnx (ONNX graph names are often generic), or the built-in name.
    static func displayName(_ r: AccuracyReport) -> String {
        let file = r.settings["model"] ?? "model"
        return file.lowercased().hasSuffix(".onnx") ? String(file.dropLast(5)) : file
    }

    /// The human-readable report.
    static func text(_ r: AccuracyReport, name: String) -> String {
        var lines: [String] = []
        let shards = r.isComplete ? "" : ", shards \(r.shards.map(String.init).joined(separator: ",")) of \(r.shardCount)"
        lines.append("\(name) (\(r.settings["precision"] ?? "?")) on \(r.settings["target"] ?? "?"): \(r.images) of \(r.datasetSize) images\(shards), \(r.classes.count) classes")
        lines.append(String(format: "  top-1 %.2f%% (%d/%d), top-5 %.2f%% (%d/%d)", 100 * r.top1, r.top1Correct, r.images, 100 * r.top5, r.top5Correct, r.images))
        if let a = r.agreement {
            lines.append(String(format: "  int8 vs fp32: same top-1 class on %.2f%% (%d/%d)", 100 * a.ratio, a.top1Same, a.compared))
        }
        lines.append("  per class:")
        let width = max(5, r.classes.map(\.count).max() ?? 0)
        for (i, className) in r.classes.enumerated() {
            let accuracy = r.confusion.accuracy(of: i).map { String(format: "%6.2f%%", 100 * $0) } ?? "     -"
            lines.append("    " + className.padding(toLength: width, withPad: " ", startingAt: 0)
                         + " \(accuracy) (\(r.confusion.correct(of: i))/\(r.confusion.total(of: i)))")
        }
        let confused = r.confusion.mostConfused(5)
        if confused.isEmpty {
            lines.append("  no confusions")
        } else {
            lines.append("  most confused (true -> predicted: images):")
            for pair in confused {
                lines.append("    \(r.classes[pair.truth]) -> \(r.classes[pair.predicted]): \(pair.count)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// `squeezec eval --merge A.json B.json ...`: parsed apart from `eval` (no MODEL).
struct EvalMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Merge the --json reports of disjoint shards of one evaluation.")

    @Option(parsing: .upToNextOption, help: "The shard reports (squeezec eval ... --shard K/N --json).")
    var merge: [String]

    @Flag(help: "Print the merged report as JSON.")
    var json = false

    func validate() throws {
        guard !merge.isEmpty else { throw ValidationError("--merge needs at least one report") }
    }

    func run() throws {
        var reports: [AccuracyReport] = []
        for path in merge {
            guard let data = FileManager.default.contents(atPath: path) else { throw Diagnostic.input("cannot read the report", file: path) }
            do {
                reports.append(try JSONDecoder().decode(AccuracyReport.self, from: data))
            } catch {
                throw Diagnostic.input("not an eval --json report", file: path)
            }
        }
        let merged = try AccuracyReport.merged(reports, names: merge)
        if json {
            print(try EvalCommand.encode(merged))
        } else {
            print(EvalCommand.text(merged, name: EvalCommand.displayName(merged)))
        }
    }

    /// Whether the command line is a merge (`eval` with `--merge`).
    static func isMerge(_ arguments: [String]) -> Bool {
        arguments.first == "eval" && arguments.contains("--merge")
    }
}

import SqueezeCodegen
import SqueezeEvaluation
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant

/// The compiler as typed stages:
///
///     load -> fuse -> lower(precision) -> plan -> generate
///     LoadedStage  FusedStage  LoweredStage  PlannedStage  GeneratedStage
///
/// Each stage is a value carrying what the later ones need; every command
/// runs a prefix (`dump` and `run` stop after loading for fp32, `analyze`
/// and `plan` after planning, `generate`, `firmware` and `validate` go to
/// the end). The fusion passes run in `fuse` and nowhere else.
public struct CompilePipeline {
    public var options: PipelineOptions
    /// Notes and calibration progress, one line each (the CLI prints them on
    /// stderr unless the output is JSON).
    public var progress: (String) -> Void

    public init(options: PipelineOptions, progress: @escaping (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
    }

    // MARK: stages

    /// The model without nodes no output depends on (`DeadNodeElimination`,
    /// reported as a note), its weights pruned and shared as the options say
    /// (`WeightCompressionPass`; an int8 build shares int8 codes), its `preprocessing` resolved: the command line's options
    /// over the model's own (ONNX metadata) or the standard one for its
    /// input channels; nil only when images cannot feed it and no option
    /// was given.
    public func load() throws(Diagnostic) -> LoadedStage {
        var graph = try ModelLoader.load(options.source.name, config: options.source.config, weights: options.source.weights)
        let dead = DeadNodeElimination.deadNodes(in: graph)
        if !dead.isEmpty {
            graph = try DeadNodeElimination().run(graph)
            let names = dead.prefix(5).map { MessageText.printable($0) }.joined(separator: ", ") + (dead.count > 5 ? ", ..." : "")
            progress("note: removed \(dead.count) node(s) whose output no graph output uses: \(names)")
        }
        if let imported = graph.importedQuantization, !options.compression.isEmpty {
            throw .usage("--prune/--codebook: the model is already quantised (\(imported.format)) and its int8 weights are used as they are; "
                         + "compress the float model instead")
        }
        graph.preprocessing = try preprocessing(of: graph)
        if options.inputType == .uint8 {
            try Self.checkInputType(options)
            if let imported = graph.importedQuantization {
                throw .usage("--input-type uint8: the model is already quantised (\(imported.format)); its first convolution's int8 weights "
                             + "cannot take the folded normalisation (use the float model)")
            }
            // Before compression: the folded conv1 weights are the ones pruned and shared.
            do {
                graph = try InputNormalisationFolding().run(graph)
            } catch {
                throw error.kind == .usage ? error : error.inFile(options.source.name)
            }
        }
        graph = try WeightCompressionPass(options: options.compression,
                                          domain: options.precision == .int8 ? .int8Codes : .float).run(graph)
        if let imported = graph.importedQuantization, options.precision == .fp32 {
            progress("note: the model is already quantised (\(imported.format)); fp32 runs its dequantised weights, "
                     + "--precision int8 runs its own int8 arithmetic")
        }
        return LoadedStage(graph: graph)
    }

    /// The options' preprocessing overrides over the graph's declared
    /// preprocessing (or the standard one), checked against its input;
    /// errors name the option (usage errors) or the model file.
    public func preprocessing(of graph: Graph) throws(Diagnostic) -> Preprocessing? {
        let overrides = options.preprocessing
        let shape = graph.inputs.first?.type.shape
        let channels = shape.map { $0.isActivation4D ? $0.c : 0 } ?? 0
        guard !overrides.isEmpty else { return graph.preprocessing ?? Preprocessing.standard(channels: channels) }
        guard let result = Preprocessing.resolved(overrides, over: graph.preprocessing, channels: channels) else {
            let option = overrides.fields.map(\.option).sorted().joined(separator: ", ")
            throw .usage("\(option): images need a model with 1 or 3 input channels; this one takes \(shape.map { "\($0)" } ?? "no input")")
        }
        let declared = graph.preprocessing != nil
        var blamesOption = false
        do {
            try result.check(channels: channels) { field in
                if overrides.fields.contains(field) { blamesOption = true; return field.option }
                return declared ? "metadata \(field.metadataKey)" : "the default \(field.rawValue)"
            }
        } catch {
            // A bad option is a usage error; the model's own numbers an input error.
            throw blamesOption ? .usage(error.message) : error.inFile(options.source.name)
        }
        return result
    }

    public func fuse(_ loaded: LoadedStage) throws(Diagnostic) -> FusedStage {
        FusedStage(loaded: loaded, graph: try options.passes.run(loaded.graph))
    }

    /// fp32: the fused graph as is. int8: calibrate the fused graph on the
    /// calibration inputs, then quantise it.
    public func lower(_ fused: FusedStage) throws(Diagnostic) -> LoweredStage {
        switch options.precision {
        case .fp32:
            return LoweredStage(fused: fused, precision: .fp32, graph: fused.graph)
        case .int8:
            // The int8 pre-flight: every node without int8 support, before calibration runs.
            do {
                try Int8Support.check(fused.graph)
            } catch {
                throw error.inFile(options.source.name)
            }
            if fused.graph.importedQuantization != nil {
                return LoweredStage(fused: fused, precision: .int8, graph: try quantizeImported(fused))
            }
            return LoweredStage(fused: fused, precision: .int8, graph: try quantize(fused.graph))
        }
    }

    /// Plans the lowered graph for `schedule` (default: the options'), with
    /// the options' planner unless one is given. `--row-input` applies to the
    /// options' schedule and to an explicit stream schedule.
    public func plan(_ lowered: LoweredStage, schedule: ScheduleKind? = nil,
                     planner: (any ArenaPlanner)? = nil) throws(Diagnostic) -> PlannedStage {
        // A raw uint8 input is converted as its rows are copied into the input ring (stream schedule).
        // An explicit layer schedule is planned for its size only (`analyze` compares the two).
        let kind = schedule ?? options.schedule
        let raw = lowered.graph.inputType == .uint8 && kind == .stream
        if lowered.graph.inputType == .uint8 && schedule == nil && kind == .layer {
            throw .usage(Self.layerRefusal)
        }
        return PlannedStage(lowered: lowered, memory: try PlannedMemory(fused: lowered.graph, kind: schedule ?? options.schedule,
                                                                 planner: planner ?? options.planner,
                                                                 scratch: KernelScratchProviders.forGraph(lowered.graph),
                                                                 rowInput: raw || (options.rowInput && (schedule == nil || schedule == .stream)),
                                                                 regions: options.arenaRegions))
    }

    public func generate(_ planned: PlannedStage, codegen: CodegenOptions) throws(Diagnostic) -> GeneratedStage {
        GeneratedStage(planned: planned, model: try CodeGenerator.generate(planned.memory, options: codegen))
    }

    // MARK: prefixes

    public func loaded() throws(Diagnostic) -> LoadedStage { try load() }

    public func fused() throws(Diagnostic) -> FusedStage { try fuse(try load()) }

    public func lowered() throws(Diagnostic) -> LoweredStage { try lower(try fused()) }

    public func planned() throws(Diagnostic) -> PlannedStage { try plan(try lowered()) }

    /// The whole pipeline. The model is checked for code generation before
    /// it is planned.
    public func generated(codegen: CodegenOptions) throws(Diagnostic) -> GeneratedStage {
        try generated(from: try lowered(), codegen: codegen)
    }

    /// Plan and generate from a lowered stage (`validate` also needs the lowered stage).
    public func generated(from lowered: LoweredStage, codegen: CodegenOptions) throws(Diagnostic) -> GeneratedStage {
        try CodeGenerator.check(lowered.graph, options: codegen)
        return try generate(try plan(lowered), codegen: codegen)
    }

    /// The model the Swift reference runs: fp32 needs only the loaded graph;
    /// int8 runs the pipeline up to lowering.
    public func interpreted() throws(Diagnostic) -> InterpretedModel {
        switch options.precision {
        case .fp32:
            let graph = try load().graph
            return InterpretedModel(graph: graph, float: graph)
        case .int8:
            return try lowered().reference
        }
    }

    // MARK: int8

    /// An already-quantised model: its own parameters and integer weights,
    /// no calibration (`--calibrate` and `--quantization` are refused).
    func quantizeImported(_ fused: FusedStage) throws(Diagnostic) -> Graph {
        guard let imported = fused.graph.importedQuantization else { throw .internal("the model is not quantised") }
        try refuseCalibration(imported)
        let given = try ImportedPoints.params(fused: fused.graph, source: fused.loaded.graph)
        return try Quantizer(given: given, calibration: CalibrationSummary(method: "imported \(imported.format)", inputs: []))
            .run(fused.graph)
    }

    func refuseCalibration(_ imported: ImportedQuantization) throws(Diagnostic) {
        if options.calibration.folder != nil || options.calibration.file != nil {
            let option = options.calibration.folder != nil ? "--calibrate" : "--quantization"
            throw .usage("\(option): the model is already quantised (\(imported.format)) and carries its own scales and zero points; "
                         + "drop \(option), or give the float model to calibrate it")
        }
    }

    /// The int8 graph: the quantizer over the calibration result (loaded or measured).
    func quantize(_ fused: Graph) throws(Diagnostic) -> Graph {
        let (ranges, summary) = try calibration(fused)
        do {
            return try Quantizer(ranges: ranges, calibration: summary).run(fused)
        } catch {
            // A refusal that depends on the calibrated ranges (e.g. a concat of differently scaled inputs) names the model file too.
            throw error.kind == .internal ? error : error.inFile(options.source.name)
        }
    }

    /// The calibrated ranges of the fused graph's quantisation points: from
    /// the options' quantisation file (checked against the graph), else
    /// measured on the calibration inputs.
    public func calibration(_ fused: Graph) throws(Diagnostic) -> (ranges: [String: ClosedRange<Float>], summary: CalibrationSummary) {
        if let imported = fused.importedQuantization {
            try refuseCalibration(imported)
            throw .usage("the model is already quantised (\(imported.format)): there is nothing to calibrate; give the float model")
        }
        if let path = options.calibration.file {
            guard options.calibration.folder == nil else {
                throw .usage("--quantization loads a calibration result: drop --calibrate (or drop --quantization to calibrate again)")
            }
            let file = try QuantizationFile.read(path)
            return (try file.ranges(for: fused, path: path), file.summary)
        }
        guard let method = CalibrationMethod(parsing: options.calibration.method) else {
            throw .usage("--calibration '\(options.calibration.method)' is not minmax, percentile, percentile:P (50 < P < 100) or mse")
        }
        let inputs = try calibrationInputs(for: fused.inputs[0], preprocessing: fused.preprocessing).map {
            Calibrator.Input(name: $0.name, values: RawPixels.conformed($0.values, to: fused.inputType))
        }
        let calibrator = Calibrator(method: method, progress: progress)
        let ranges = try calibrator.ranges(fused, inputs: inputs)
        return (ranges, CalibrationSummary(method: method.description, inputs: inputs.map(\.name)))
    }

    /// The calibration result of the fused stage as a file (`squeezec
    /// calibrate`), recording the compression options the weights went
    /// through. The graph is quantised once, so a result the quantizer
    /// rejects is never written.
    public func quantizationFile(_ fused: FusedStage) throws(Diagnostic) -> QuantizationFile {
        let (ranges, summary) = try calibration(fused.graph)
        _ = try Quantizer(ranges: ranges, calibration: summary).run(fused.graph)
        var file = try QuantizationFile(graph: fused.graph, ranges: ranges, calibration: summary)
        if !options.compression.isEmpty { file.calibration.compression = options.compression.summary }
        return file
    }

    /// The calibration folder's inputs, or seeded noise (with a note).
    func calibrationInputs(for input: ValueInfo, preprocessing: Preprocessing?) throws(Diagnostic) -> [Calibrator.Input] {
        guard let folder = options.calibration.folder else {
            let count = CalibrationOptions.noiseCount
            progress("note: no --calibrate folder: calibrating on \(count) seeded noise inputs; pass representative images for real scales")
            return (0..<count).map { Calibrator.Input(name: "noise\($0)", values: RawPixels.seeded(UInt64(1000 + $0), for: input, type: options.inputType)) }
        }
        return try InputFolder.read(folder, for: input, preprocessing: preprocessing).map { Calibrator.Input(name: $0.name, values: $0.values) }
    }
}

extension CompilePipeline {
    /// Compiles a graph that is already loaded (fp32, unfused) or lowered
    /// (int8, quantised after fusion) with the code generator's options:
    /// the library form of `generate`, for tests and tools.
    /// `rowInput`: as `--row-input`.
    public static func generate(_ graph: Graph, options codegen: CodegenOptions, rowInput: Bool = false) throws(Diagnostic) -> GeneratedModel {
        var options = PipelineOptions(source: ModelSource(name: graph.name), schedule: codegen.schedule, planner: codegen.planner)
        options.rowInput = rowInput
        let pipeline = CompilePipeline(options: options)
        // As `load` would: the graph's own preprocessing, else the standard one.
        var graph = graph
        graph.preprocessing = try pipeline.preprocessing(of: graph)
        let lowered: LoweredStage
        if graph.quantization != nil {
            // A quantised graph was fused before calibration (its quantisation points name fused nodes).
            let fused = FusedStage(loaded: LoadedStage(graph: graph), graph: graph)
            lowered = LoweredStage(fused: fused, precision: .int8, graph: graph)
        } else {
            lowered = try pipeline.lower(try pipeline.fuse(LoadedStage(graph: graph)))
        }
        return try pipeline.generated(from: lowered, codegen: codegen).model
    }
}

extension CompilePipeline {
    /// Why `--input-type uint8` and `--schedule layer` do not go together.
    public static let layerRefusal = "--input-type uint8 needs the stream schedule (it converts the raw rows as they enter the input ring; drop --schedule layer)"

    /// Usage errors of `--input-type uint8` that need no model.
    static func checkInputType(_ options: PipelineOptions) throws(Diagnostic) {
        if options.schedule == .layer { throw .usage(layerRefusal) }
    }
}


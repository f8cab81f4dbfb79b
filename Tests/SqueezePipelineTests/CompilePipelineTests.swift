import Foundation
import SqueezeAnalysis
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezePipeline
import SqueezeQuant
import Testing

/// Counts how often the fusion passes and the planner run.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

/// A pass that changes nothing and counts its runs.
struct CountingPass: GraphPass {
    let counter: Counter
    var name: String { "counting" }

    func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        counter.increment()
        return graph
    }
}

/// The search planner, counting its plans.
struct CountingPlanner: ArenaPlanner {
    let counter: Counter
    var name: String { "counting" }

    func plan(_ buffers: [BufferLifetime], alignment: Int) -> ArenaPlan {
        counter.increment()
        return SearchPlanner().plan(buffers, alignment: alignment)
    }

    func plan(_ buffers: [BufferLifetime], allowances: [OverlapAllowance], alignment: Int) -> ArenaPlan {
        counter.increment()
        return SearchPlanner().plan(buffers, allowances: allowances, alignment: alignment)
    }
}

@Suite struct CompilePipelineTests {
    static let config = SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)

    struct Counted {
        var pipeline: CompilePipeline
        var passes: Counter
        var plans: Counter
        var box: Lines
        var notes: [String] { box.lines }
    }

    final class Lines: @unchecked Sendable {
        var lines: [String] = []
    }

    static func counted(_ precision: Precision = .fp32, schedule: ScheduleKind = .stream) -> Counted {
        let passes = Counter(), plans = Counter(), box = Lines()
        let options = PipelineOptions(
            source: ModelSource(name: "squeezenet1.1", config: config), precision: precision, schedule: schedule,
            planner: CountingPlanner(counter: plans), passes: PassPipeline(passes: PassPipeline.standard + [CountingPass(counter: passes)]))
        let pipeline = CompilePipeline(options: options) { box.lines.append($0) }
        return Counted(pipeline: pipeline, passes: passes, plans: plans, box: box)
    }

    @Test(arguments: [Precision.fp32, .int8])
    func theWholePipelineFusesOnceAndPlansOnce(precision: Precision) throws {
        let c = Self.counted(precision)
        let generated = try c.pipeline.generated(codegen: CodegenOptions(prefix: "net"))
        #expect(c.passes.count == 1)
        #expect(c.plans.count == 1)
        #expect(generated.model.plan == generated.planned.plan)
        #expect((generated.model.graph.quantization != nil) == (precision == .int8))
    }

    @Test func analyzeAndGenerateTakeTheirArenaFromOnePlan() throws {
        let c = Self.counted()
        let lowered = try c.pipeline.lowered()
        let planned = try c.pipeline.plan(lowered)
        let layer = try c.pipeline.plan(lowered, schedule: .layer)
        let report = try ModelAnalyzer.analyze(lowered.reference.graph, memory: planned.memory, comparison: layer.memory)
        let generated = try c.pipeline.generate(planned, codegen: CodegenOptions(prefix: "net"))
        #expect(c.passes.count == 1)
        #expect(c.plans.count == 2)
        #expect(report.peakRAMBytes == generated.model.arenaBytes)
        #expect(report.peakRAMBytes == planned.plan.arenaBytes)
        #expect(report.streamArenaBytes == planned.plan.arenaBytes)
        #expect(report.layerArenaBytes == layer.plan.arenaBytes)
        #expect(report.lowerBoundBytes == generated.model.plan.lowerBound)
        // The same figures as a pipeline run straight to the end.
        let again = try Self.counted().pipeline.generated(codegen: CodegenOptions(prefix: "net"))
        #expect(again.model.arenaBytes == report.peakRAMBytes)
    }

    @Test func analyzeRefusesTwoPlansOfOneSchedule() throws {
        let c = Self.counted()
        let planned = try c.pipeline.planned()
        #expect(throws: Diagnostic.self) {
            try ModelAnalyzer.analyze(planned.lowered.reference.graph, memory: planned.memory, comparison: planned.memory)
        }
    }

    @Test func stagesCarryWhatLaterStagesNeed() throws {
        let c = Self.counted()
        let loaded = try c.pipeline.load()
        #expect(loaded.graph.nodes.contains { $0.op.name == "relu" })
        let fused = try c.pipeline.fuse(loaded)
        #expect(!fused.graph.nodes.contains { $0.op.name == "relu" })
        #expect(fused.graph.nodes.count < loaded.graph.nodes.count)
        let lowered = try c.pipeline.lower(fused)
        #expect(lowered.precision == .fp32 && lowered.graph == fused.graph && lowered.float == fused.graph)
        // fp32: the reference runs the graph as loaded.
        #expect(lowered.reference.graph == loaded.graph && !lowered.reference.isInt8)
        let planned = try c.pipeline.plan(lowered, schedule: .layer)
        #expect(planned.schedule == .layer && planned.memory.stream == nil)
        let generated = try c.pipeline.generate(planned, codegen: CodegenOptions(prefix: "net"))
        #expect(generated.model.scheduleKind == .layer)
        #expect(generated.model.files.map(\.name).contains("net.c"))
    }

    @Test func int8LoweringCalibratesTheFusedGraphAndReportsProgress() throws {
        let c = Self.counted(.int8)
        let lowered = try c.pipeline.lowered()
        let q = try #require(lowered.graph.quantization)
        #expect(q.calibration.method == "minmax")
        #expect(q.calibration.inputs == (0..<CalibrationOptions.noiseCount).map { "noise\($0)" })
        #expect(lowered.float.quantization == nil && lowered.float == lowered.fused.graph)
        #expect(lowered.reference.isInt8 && lowered.reference.float == lowered.float)
        #expect(c.notes.first?.hasPrefix("note: no --calibrate folder") == true)
        #expect(c.notes.dropFirst().allSatisfy { $0.hasPrefix("calibrating (pass 1/1)") })
        #expect(c.notes.count == 1 + CalibrationOptions.noiseCount)
    }

    @Test func anUnknownCalibrationMethodIsAUsageError() throws {
        var c = Self.counted(.int8)
        c.pipeline.options.calibration.method = "median"
        #expect { try c.pipeline.lowered() } throws: { ($0 as? Diagnostic)?.kind == .usage }
    }

    /// `squeezec calibrate` then `--quantization FILE`: the same int8 graph
    /// and the same generated C as calibrating directly, without calibrating.
    @Test(arguments: ["minmax", "mse"])
    func aLoadedCalibrationGivesTheSameCAsCalibrating(method: String) throws {
        var direct = Self.counted(.int8)
        direct.pipeline.options.calibration.method = method
        let file = try direct.pipeline.quantizationFile(try direct.pipeline.fused())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-q-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)
        let codegen = CodegenOptions(prefix: "net")
        let calibrated = try direct.pipeline.generated(codegen: codegen)

        var loaded = Self.counted(.int8)
        loaded.pipeline.options.calibration.file = path
        let generated = try loaded.pipeline.generated(codegen: codegen)
        #expect(!loaded.notes.contains { $0.hasPrefix("calibrating") || $0.hasPrefix("note: no --calibrate") })
        #expect(generated.model.graph.quantization == calibrated.model.graph.quantization)
        #expect(generated.model.files == calibrated.model.files)
        #expect(generated.model.graph.quantization?.calibration.method == file.calibration.method)
    }

    @Test func aQuantizationFileWithACalibrationFolderIsAUsageError() throws {
        var c = Self.counted(.int8)
        c.pipeline.options.calibration.file = "q.json"
        c.pipeline.options.calibration.folder = "Samples"
        #expect { try c.pipeline.lowered() } throws: { ($0 as? Diagnostic)?.kind == .usage }
    }

    @Test func interpretingAnFP32ModelStopsAfterLoading() throws {
        let c = Self.counted()
        let model = try c.pipeline.interpreted()
        #expect(c.passes.count == 0 && c.plans.count == 0)
        #expect(model.graph == (try c.pipeline.load().graph))
        let int8 = Self.counted(.int8)
        let quantised = try int8.pipeline.interpreted()
        #expect(int8.passes.count == 1 && int8.plans.count == 0)
        #expect(quantised.isInt8)
    }

    @Test func aBadPrefixStopsBeforePlanning() throws {
        let c = Self.counted()
        #expect { try c.pipeline.generated(codegen: CodegenOptions(prefix: "1net")) } throws: { ($0 as? Diagnostic)?.kind == .usage }
        #expect(c.plans.count == 0)
    }

    @Test func aLoadedOrQuantisedGraphCompilesInOneCall() throws {
        let graph = try SqueezeNetBuilder.build(Self.config).graph
        let direct = try CompilePipeline.generate(graph, options: CodegenOptions(prefix: "net"))
        let staged = try Self.counted().pipeline.generated(codegen: CodegenOptions(prefix: "net"))
        #expect(direct.files == staged.model.files)
        let int8 = try Self.counted(.int8).pipeline.lowered().graph
        let quantised = try CompilePipeline.generate(int8, options: CodegenOptions(prefix: "net", schedule: .layer))
        #expect(quantised.graph.quantization != nil && quantised.scheduleKind == .layer)
    }
}

/// `--prune` and `--codebook` reach every stage through the loaded graph.
@Suite struct CompressionPipelineTests {
    static let config = SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10)

    static func pipeline(_ precision: Precision, _ compression: CompressionOptions) -> CompilePipeline {
        CompilePipeline(options: PipelineOptions(source: ModelSource(name: "squeezenet1.1", config: config), precision: precision,
                                                 compression: compression))
    }

    @Test func theLoadedWeightsArePrunedAndShared() throws {
        let dense = try Self.pipeline(.fp32, CompressionOptions()).loaded().graph
        let compressed = try Self.pipeline(.fp32, CompressionOptions(sparsity: 0.66, codebookBits: 4)).loaded().graph
        let weight = try #require(compressed.constants["fire2/squeeze1x1.weight"] ?? compressed.constants.first { $0.value.shape.rank == 4 }?.value)
        let values = try #require(weight.floats)
        #expect(Set(values.filter { $0 != 0 }).count <= 16)
        #expect(values.count { $0 == 0 } == MagnitudePruning.prunedCount(values.count, sparsity: 0.66))
        #expect(dense.constants != compressed.constants)
        // The reference runs them too.
        #expect(try Self.pipeline(.fp32, CompressionOptions(codebookBits: 3)).interpreted().graph.constants
            == (try Self.pipeline(.fp32, CompressionOptions(codebookBits: 3)).loaded().graph.constants))
    }

    @Test func int8WeightsKeepTheSharingPerChannel() throws {
        let lowered = try Self.pipeline(.int8, CompressionOptions(codebookBits: 4)).lowered().graph
        let report = WeightCompressionReport(lowered)
        #expect(report.precision == "int8")
        #expect(report.layers.count == 26)
        for layer in report.layers {
            // No zeros: a codebook of the layer's codes (per-channel scales make them more than 16 in some layers).
            #expect(layer.format.hasPrefix("codebook"), "\(layer.name) \(layer.format)")
            #expect(layer.compressedBytes < layer.denseBytes, "\(layer.name) \(layer.format)")
        }
        let dense = WeightCompressionReport(try Self.pipeline(.int8, CompressionOptions()).lowered().graph)
        #expect(dense.compressedBytes <= dense.denseBytes)
        #expect(report.compressedBytes * 4 < dense.denseBytes * 3)
        #expect(report.denseBytes == dense.denseBytes)
    }

    @Test func theQuantisationFileRecordsTheCompression() throws {
        let options = CompressionOptions(codebookBits: 4, layerSparsity: ["conv1": 0.5])
        let compressed = Self.pipeline(.int8, options)
        let file = try compressed.quantizationFile(try compressed.fused())
        #expect(file.calibration.compression == "codebook 4, prune-layer conv1=0.5")
        let text = String(decoding: try file.json(), as: UTF8.self)
        #expect(text.contains("\"compression\" : \"codebook 4, prune-layer conv1=0.5\""))
        let dense = Self.pipeline(.int8, CompressionOptions())
        let plain = try dense.quantizationFile(try dense.fused())
        let plainText = String(decoding: try plain.json(), as: UTF8.self)
        #expect(plain.calibration.compression == nil && !plainText.contains("compression"))
    }

    @Test func badOptionsAreUsageErrors() {
        #expect(throws: Diagnostic.self) { try Self.pipeline(.fp32, CompressionOptions(sparsity: 1)).loaded() }
        #expect(throws: Diagnostic.self) { try Self.pipeline(.fp32, CompressionOptions(codebookBits: 9)).loaded() }
    }
}

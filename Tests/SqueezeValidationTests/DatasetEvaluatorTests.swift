import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeFrontend
import SqueezeIR
import SqueezePipeline
import SqueezeReference
import SqueezeTensorIO
import Testing
@testable import SqueezeValidation

/// `squeezec eval`'s driver on the trained digits fixture: the Swift
/// reference, the host C (batch harness, one process) and firmware on
/// mps2-an386 (one QEMU start per batch) predict what onnxruntime predicts.
@Suite(.serialized) struct DatasetEvaluatorTests {
    static func setUp(perClass: Int) throws -> (data: URL, set: LabelledDataset, graph: Graph) {
        let data = try DigitsData.write(perClass: perClass)
        let set = try LabelledDataset(directory: data.path)
        let graph = try ModelLoader.load(DigitsData.model, config: SqueezeNetConfig(version: .v1_1))
        return (data, set, graph)
    }

    static func expectOnnxruntime(_ predictions: [DatasetEvaluator.Prediction], count: Int) throws {
        let expected = try DigitsData.onnxruntimeTop1()
        #expect(predictions.count == count)
        for p in predictions {
            #expect(p.top1 == expected[p.item.name], "\(p.item.name)")
        }
    }

    @Test func referenceAndHostPredictWhatOnnxruntimePredicts() throws {
        let (data, set, graph) = try Self.setUp(perClass: 4)
        defer { try? FileManager.default.removeItem(at: data) }
        let items = set.selection(limit: nil, shard: .whole)
        let evaluator = DatasetEvaluator(reference: try ReferenceInterpreter(graph: graph), float: nil, input: graph.inputs[0], batchSize: 7)
        let reference = try evaluator.predict(items)
        try Self.expectOnnxruntime(reference, count: 40)

        let model = try CompilePipeline.generate(graph, options: CodegenOptions(prefix: "model"))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try model.write(to: work)
        var host = HostRunner()
        _ = try host.build(model, in: work, trace: false)
        // Two workers, one process each; then one batch of all 40.
        var two = evaluator
        two.jobs = 2
        two.batchSize = 20
        let calls = Counter()
        let hostTwo = try two.predict(items, runner: host, model: model, directory: work) { _, _ in calls.add() }
        #expect(calls.value == 2)
        two.jobs = 1
        two.batchSize = 40
        let hostOne = try two.predict(items, runner: host, model: model, directory: work)
        try Self.expectOnnxruntime(hostTwo, count: 40)
        #expect(hostTwo.map(\.top1) == reference.map(\.top1))
        #expect(hostOne.map(\.output) == hostTwo.map(\.output))
        for (h, r) in zip(hostOne, reference) {
            #expect(ErrorStats(actual: h.output, expected: r.output).within(1e-5), "\(h.item.name)")
        }
        var report = AccuracyReport(settings: [:], classes: set.classes, datasetSize: 40, shard: .whole, int8: false)
        DatasetEvaluator.record(hostOne, into: &report)
        #expect(report.images == 40 && report.top1Correct >= 38)
        // A batch file shorter than its count is an error, not a half-read output.
        let url = try host.batchInput(in: work, slot: 9)
        try FloatFile.write([Float](repeating: 0, count: model.inputCount * 2), to: url)
        do {
            _ = try host.runBatch(count: 3, model: model, in: work, slot: 9)
            Issue.record("a short batch was accepted")
        } catch {
            #expect(error.message.contains("must hold exactly 3 x \(model.inputCount) values"), "\(error)")
        }
    }

    @Test func firmwareOneQEMUStartPerBatch() throws {
        let (data, set, graph) = try Self.setUp(perClass: 1)
        defer { try? FileManager.default.removeItem(at: data) }
        let items = set.selection(limit: 6, shard: .whole)
        let model = try CompilePipeline.generate(graph, options: CodegenOptions(prefix: "model"))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try model.write(to: work)
        var firmware = FirmwareRunner(board: .an386)
        _ = try firmware.build(model, in: work, trace: false)
        let evaluator = DatasetEvaluator(reference: try ReferenceInterpreter(graph: graph), float: nil, input: graph.inputs[0],
                                         jobs: 2, batchSize: 3)
        let calls = Counter()
        let predictions = try evaluator.predict(items, runner: firmware, model: model, directory: work) { _, _ in calls.add() }
        #expect(calls.value == 2, "one QEMU start per batch of 3")
        try Self.expectOnnxruntime(predictions, count: 6)
        let reference = try DatasetEvaluator(reference: try ReferenceInterpreter(graph: graph), float: nil, input: graph.inputs[0]).predict(items)
        for (f, r) in zip(predictions, reference) {
            #expect(ErrorStats(actual: f.output, expected: r.output).within(1e-5), "\(f.item.name)")
        }
        // The single-input path of the same harness still works.
        let encoded = try LabelledDataset.load(items[0], for: graph.inputs[0])
        let single = try firmware.run(encoded, model: model, in: work)
        #expect(single.output == predictions[0].output)
        #expect(single.instructions != nil)
    }

    /// int8 (a built-in seeded model at 64x64: the int8 global average of the
    /// 32x32 digits model is another change's work) counts agreement with fp32.
    @Test func int8CountsAgreementWithFloat() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-noise-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for c in 0..<10 {
            let dir = root.appendingPathComponent("c\(c)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let nhwc = InputFiles.seeded(UInt64(c + 1), for: ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 64, 64, 3))))
            try NpyFormat.write(NpyArray(shape: [1, 3, 64, 64], floats: Layout.nhwcToNCHW(nhwc, n: 1, c: 3, h: 64, w: 64)),
                                to: dir.appendingPathComponent("a.npy").path)
        }
        let set = try LabelledDataset(directory: root.path)
        let config = SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)
        let pipeline = CompilePipeline(options: PipelineOptions(source: ModelSource(name: "squeezenet1.1", config: config), precision: .int8))
        let lowered = try pipeline.lowered()
        let float = try ReferenceInterpreter(graph: lowered.float)
        let evaluator = DatasetEvaluator(reference: try ModelInterpreters.make(lowered.graph), float: float,
                                         input: lowered.graph.inputs[0], jobs: 2, batchSize: 3)
        let predictions = try evaluator.predict(set.items)
        for p in predictions {
            let values = try LabelledDataset.load(p.item, for: lowered.graph.inputs[0])
            #expect(p.floatTop1 == TopK.argmax(try float.infer(values)))
        }
        var report = AccuracyReport(settings: [:], classes: set.classes, datasetSize: 10, shard: .whole, int8: true)
        DatasetEvaluator.record(predictions, into: &report)
        let agreement = try #require(report.agreement)
        #expect(agreement.compared == 10)
        #expect(agreement.top1Same == predictions.filter { $0.top1 == $0.floatTop1 }.count)
    }

    @Test func aBadInputNamesItsFile() throws {
        let (data, _, graph) = try Self.setUp(perClass: 1)
        defer { try? FileManager.default.removeItem(at: data) }
        try Data("not numpy".utf8).write(to: data.appendingPathComponent("5").appendingPathComponent("zz.npy"))
        let set = try LabelledDataset(directory: data.path)
        let evaluator = DatasetEvaluator(reference: try ReferenceInterpreter(graph: graph), float: nil, input: graph.inputs[0], jobs: 2)
        do {
            _ = try evaluator.predict(set.items)
            Issue.record("a corrupt .npy was accepted")
        } catch {
            #expect(error.description.contains("zz.npy"))
        }
    }
}

/// Counts progress calls (they arrive one at a time).
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}

import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeIR
import SqueezeReference

/// `squeezec eval`'s driver: runs a model over items of a labelled set and
/// counts its accuracy (`AccuracyReport`).
///
/// Without a runner the Swift reference gives the outputs; with one (host C
/// or firmware under QEMU, built once beforehand) the items go through it in
/// batches, one process or QEMU start per batch. `jobs` workers (threads
/// here; each drives its own harness process or QEMU instance) take disjoint
/// slices: item k of the selection goes to worker k % jobs. For int8 the
/// fp32 reference runs on the same inputs for the agreement count. The
/// result does not depend on `jobs` or `batchSize`.
public struct DatasetEvaluator: Sendable {
    /// One input's result.
    public struct Prediction: Sendable, Equatable {
        public var item: LabelledDataset.Item
        /// The model's output, real values.
        public var output: [Float]
        /// int8: the fp32 reference's top-1 class on the same input.
        public var floatTop1: Int?

        public var top1: Int { TopK.argmax(output) }
    }

    /// The model's Swift reference (fp32, or int8: encodes inputs, decodes outputs).
    public var reference: any ModelInterpreter
    /// int8: the fp32 reference of the graph it was quantised from.
    public var float: (any ModelInterpreter)?
    public var input: ValueInfo
    /// How image files become inputs (the model's; nil: the standard one).
    public var preprocessing: Preprocessing?
    public var jobs: Int
    /// Inputs per process / QEMU start.
    public var batchSize: Int

    public init(reference: any ModelInterpreter, float: (any ModelInterpreter)?, input: ValueInfo, preprocessing: Preprocessing? = nil,
                jobs: Int = 1, batchSize: Int = 100) {
        self.reference = reference
        self.float = float
        self.input = input
        self.preprocessing = preprocessing
        self.jobs = max(1, jobs)
        self.batchSize = max(1, batchSize)
    }

    /// Predictions for `items`, in their order. `progress(done, correct)`
    /// after every batch (from any worker, one call at a time).
    public func predict(_ items: [LabelledDataset.Item], runner: (any BatchRunner)? = nil, model: GeneratedModel? = nil,
                        directory: URL? = nil,
                        progress: @escaping @Sendable (_ done: Int, _ correct: Int) -> Void = { _, _ in }) throws(Diagnostic) -> [Prediction] {
        if runner != nil, model == nil || directory == nil { throw .internal("a batch runner needs the generated model and its build folder") }
        let state = SharedState(count: items.count)
        let workers = min(jobs, max(items.count, 1))
        // One thread per worker (not concurrentPerform, which runs at most
        // one per core): each mostly waits on its own process or QEMU.
        let group = DispatchGroup()
        for worker in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                let slice = Array(stride(from: worker, to: items.count, by: workers))
                var start = 0
                while start < slice.count, !state.failed {
                    let batch = Array(slice[start..<min(start + batchSize, slice.count)])
                    start += batch.count
                    do {
                        let results = try run(batch.map { items[$0] }, runner: runner, model: model, directory: directory, slot: worker)
                        state.store(zip(batch, results).map { ($0, $1) }, progress: progress)
                    } catch {
                        state.fail(error)
                    }
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        if let error = state.error { throw error }
        return state.predictions.map { $0! }
    }

    /// One batch of one worker.
    func run(_ batch: [LabelledDataset.Item], runner: (any BatchRunner)?, model: GeneratedModel?, directory: URL?,
             slot: Int) throws(Diagnostic) -> [Prediction] {
        var floatTop1: [Int?] = []
        var outputs: [[Float]] = []
        var handle: FileHandle?
        if let runner, let directory {
            let url = try runner.batchInput(in: directory, slot: slot)
            guard FileManager.default.createFile(atPath: url.path, contents: nil), let opened = FileHandle(forWritingAtPath: url.path) else {
                throw .input("cannot create the batch input file", file: url.path)
            }
            handle = opened
        }
        defer { try? handle?.close() }
        let int8 = reference.elementType == .int8
        for item in batch {
            // --input-type uint8: whole pixel values, as the generated C receives them.
            let values = RawPixels.conformed(try LabelledDataset.load(item, for: input, preprocessing: preprocessing), to: reference.graph.inputType)
            floatTop1.append(try float.map { (f: any ModelInterpreter) throws(Diagnostic) -> Int in TopK.argmax(try f.infer(values)) })
            let encoded = try reference.encode(values)
            if let handle {
                do {
                    try handle.write(contentsOf: model?.inputFile(encoded) ?? FloatFile.encode(encoded, int8: int8))
                } catch {
                    throw .input("cannot write the batch input file: \(error.localizedDescription)")
                }
            } else {
                outputs.append(try reference.run(encoded: encoded))
            }
        }
        if let runner, let model, let directory {
            try? handle?.close()
            handle = nil
            outputs = try runner.runBatch(count: batch.count, model: model, in: directory, slot: slot)
        }
        var predictions: [Prediction] = []
        for (i, item) in batch.enumerated() {
            predictions.append(Prediction(item: item, output: try reference.decode(outputs[i]), floatTop1: floatTop1[i]))
        }
        return predictions
    }

    /// Counts `predictions` into `report`.
    public static func record(_ predictions: [Prediction], into report: inout AccuracyReport) {
        for p in predictions {
            report.record(label: p.item.label, output: p.output, floatTop1: p.floatTop1)
        }
    }
}

/// The workers' shared results (one lock).
private final class SharedState: @unchecked Sendable {
    private let lock = NSLock()
    var predictions: [DatasetEvaluator.Prediction?]
    private(set) var error: Diagnostic?
    private var done = 0
    private var correct = 0

    init(count: Int) {
        predictions = Array(repeating: nil, count: count)
    }

    var failed: Bool { lock.withLock { error != nil } }

    func store(_ results: [(Int, DatasetEvaluator.Prediction)], progress: (Int, Int) -> Void) {
        lock.withLock {
            for (index, prediction) in results {
                predictions[index] = prediction
                done += 1
                if prediction.top1 == prediction.item.label { correct += 1 }
            }
            progress(done, correct)
        }
    }

    func fail(_ error: Error) {
        lock.withLock {
            if self.error == nil { self.error = (error as? Diagnostic) ?? .internal("\(error)") }
        }
    }
}

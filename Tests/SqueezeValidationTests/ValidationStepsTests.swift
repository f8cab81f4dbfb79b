import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeReference
import Testing
@testable import SqueezeValidation

/// A runner that builds nothing and answers with the Swift reference's
/// output, optionally changed, and fixed firmware-like figures.
struct ScriptedRunner: ModelRunner {
    var reference: any ModelInterpreter
    /// Added to the first output value of the inputs with these indices (in call order).
    var spoil: Set<Int> = []
    var targetName: String { "scripted" }
    var builds: [Bool] = []
    private let calls = CallCount()

    final class CallCount: @unchecked Sendable { var value = 0 }

    init(reference: any ModelInterpreter, spoil: Set<Int> = []) {
        self.reference = reference
        self.spoil = spoil
    }

    mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic) -> BuildInfo? {
        builds.append(trace)
        return BuildInfo(flashBytes: 1000, ramBytes: 200)
    }

    func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> RunResult {
        let index = calls.value
        calls.value += 1
        var result = RunResult(output: try reference.run(encoded: input))
        if spoil.contains(index) { result.output[0] += 1 }
        result.instructions = 5000
        result.stackBytes = 64
        result.layers = [(name: model.graph.nodes[0].name, instructions: 4000), (name: "unknown", instructions: 1000)]
        return result
    }
}

@Suite struct ValidationStepsTests {
    static func setUp() throws -> (model: GeneratedModel, reference: any ModelInterpreter, inputs: [ValidationInput]) {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10)).graph
        let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "model"))
        let inputs = HostValidationTests.inputs(graph, count: 3)
        return (model, try ModelInterpreters.make(graph), inputs)
    }

    @Test func comparisonRecordsEveryInputAndTheFirstFailure() throws {
        let (model, reference, inputs) = try Self.setUp()
        let runner = ScriptedRunner(reference: reference, spoil: [1, 2])
        var lines: [String] = []
        let c = try OutputComparison.run(runner, model: model, reference: reference, inputs: inputs, directory: URL(fileURLWithPath: "/"),
                                         tolerance: 1e-5) { lines.append($0) }
        #expect(c.results.map(\.name) == ["seed 1", "seed 2", "seed 3"])
        #expect(c.results[0].error.differing == 0 && c.results[1].error.differing == 1)
        #expect(c.firstFailure?.name == "seed 2")
        #expect(c.outputs.count == 3 && c.firstRun?.instructions == 5000)
        #expect(c.results[0].referenceTop1 == c.results[0].generatedTop1)
        #expect(lines == ["running input 1/3 (seed 1) on scripted", "running input 2/3 (seed 2) on scripted",
                          "running input 3/3 (seed 3) on scripted"])
    }

    @Test func streamedTraceRowsAreReassembled() {
        let records = [TraceRecord(name: "a", row: 1, values: [3, 4]), TraceRecord(name: "a", row: 0, values: [1, 2]),
                       TraceRecord(name: "b@7", values: [9]), TraceRecord(name: "c", row: 5, values: [0, 0]),
                       TraceRecord(name: "a", row: 2, values: [5, 6])]
        let whole = DivergenceSearch.assemble(records, sizes: ["a": 6, "b@7": 1, "c": 4])
        #expect(whole["a"] == [1, 2, 3, 4, 5, 6])
        // Names are data: an '@' in a layer's name is not a row.
        #expect(whole["b@7"] == [9])
        // A row past the value's end is dropped.
        #expect(whole["c"] == nil)
    }

    /// The harnesses' trace format: name, row (-1 for a whole value), count, elements.
    @Test func traceFileRecordsCarryTheirRow() throws {
        func u32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        func record(_ name: String, row: Int32, _ values: [Float]) -> [UInt8] {
            u32(UInt32(name.utf8.count)) + Array(name.utf8) + u32(UInt32(bitPattern: row)) + u32(UInt32(values.count))
                + values.flatMap { u32($0.bitPattern) }
        }
        let bytes = record("fire2@x", row: -1, [1.5, -2]) + record("conv1", row: 3, [0.25])
        let records = try TraceFile.parse(bytes, file: "trace.bin")
        #expect(records == [TraceRecord(name: "fire2@x", values: [1.5, -2]), TraceRecord(name: "conv1", row: 3, values: [0.25])])
        #expect(throws: Diagnostic.self) { try TraceFile.parse(Array(bytes.dropLast()), file: "trace.bin") }
    }

    @Test func performanceFromBuildAndFirstRun() throws {
        let (model, _, _) = try Self.setUp()
        var report = ValidationReport(passed: true, target: "t", model: "m", tolerance: 0, maxAbsError: 0, maxRelativeError: 0,
                                      arenaBytes: 0, weightBytes: 0, inputs: [], firstDivergence: nil)
        var run = RunResult(output: [])
        run.instructions = 1000
        run.stackBytes = 32
        run.layers = [(name: model.graph.nodes[0].name, instructions: 600)]
        PerformanceSummary(build: BuildInfo(flashBytes: 10, ramBytes: 20), run: run).apply(to: &report, graph: model.graph)
        let macs = CostModel.totalMACs(model.graph)
        #expect(report.flashBytes == 10 && report.ramBytes == 52 && report.stackBytes == 32)
        #expect(report.instructions == 1000 && report.macs == macs)
        #expect(report.instructionsPerMAC == 1000 / Double(macs))
        #expect(report.layers?.first?.macs == CostModel.macs(of: model.graph.nodes[0], in: model.graph))
        // The host: no build sizes, no counts.
        var host = report
        host.flashBytes = nil
        host.instructions = nil
        PerformanceSummary(build: nil, run: RunResult(output: [])).apply(to: &host, graph: model.graph)
        #expect(host.flashBytes == nil && host.instructions == nil)
    }

    @Test func theDriverPassesCleanRunsAndPinsASpoiledOne() throws {
        let (model, reference, inputs) = try Self.setUp()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-steps-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var clean = Validator(runner: ScriptedRunner(reference: reference))
        let ok = try clean.validate(model, reference: reference, inputs: inputs, workDirectory: work).report
        #expect(ok.passed && ok.firstDivergence == nil && ok.precision == "fp32" && ok.fidelity == nil)
        #expect(clean.runner.builds == [false])
        #expect(ok.instructions == 5000 && ok.flashBytes == 1000 && ok.ramBytes == 264)
        #expect(ok.arenaBytes == model.arenaBytes && ok.weightBytes == model.weightBytes)

        // Spoil the first run: the output differs; the traced rebuild runs
        // cleanly here, so no layer is blamed.
        var spoiled = Validator(runner: ScriptedRunner(reference: reference, spoil: [0]))
        let bad = try spoiled.validate(model, reference: reference, inputs: inputs, workDirectory: work).report
        #expect(!bad.passed && bad.inputs[0].error.differing == 1)
        #expect(spoiled.runner.builds == [false, true])
    }
}

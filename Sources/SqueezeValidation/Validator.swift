import Foundation
import SqueezeCodegen
import SqueezeIR
import SqueezePipeline
import SqueezeReference

/// One input of a validation run.
public struct ValidationInput: Sendable {
    public var name: String
    /// NHWC.
    public var values: [Float]

    public init(name: String, values: [Float]) {
        self.name = name
        self.values = values
    }
}

/// The validation driver: build the generated code for a target, run it on
/// the inputs and compare with the Swift reference (`OutputComparison`); on
/// a mismatch, rebuild with per-layer tracing and name the first layer that
/// diverges (`DivergenceSearch`); for int8, the fidelity against fp32
/// (`FidelityCheck`); on firmware, sizes and instruction counts
/// (`PerformanceSummary`).
public struct Validator<Runner: ModelRunner> {
    public typealias Input = ValidationInput

    public var runner: Runner
    /// Max |generated - reference| allowed, relative to the reference output's range.
    public var tolerance: Double
    public var progress: (String) -> Void

    public static var defaultTolerance: Double { 1e-5 }

    public init(runner: Runner, tolerance: Double = Validator.defaultTolerance, progress: @escaping (String) -> Void = { _ in }) {
        self.runner = runner
        self.tolerance = tolerance
        self.progress = progress
    }

    /// Validates generated code against `reference` (the model's Swift
    /// reference, fp32 or int8). For int8, `float` (the fp32 reference of
    /// the graph it was quantised from) adds the fidelity report; outputs
    /// are then compared exactly. Returns the report and the generated
    /// code's outputs (in the model's encoding), one per input.
    public mutating func validate(_ model: GeneratedModel, reference: any ModelInterpreter, float: (any ModelInterpreter)? = nil,
                                  inputs: [Input], workDirectory: URL) throws(Diagnostic) -> (report: ValidationReport, outputs: [[Float]]) {
        try model.write(to: workDirectory)
        progress("building for \(runner.targetName)")
        let build = try runner.build(model, in: workDirectory, trace: false)
        let isInt8 = reference.elementType == .int8
        // int8 outputs must be identical: tolerance 0 for this run only.
        let tolerance = isInt8 ? 0 : self.tolerance

        let comparison = try OutputComparison.run(runner, model: model, reference: reference, inputs: inputs, directory: workDirectory,
                                                  tolerance: tolerance, progress: progress)
        var divergence: ValidationReport.Divergence?
        if let failing = comparison.firstFailure {
            progress("output differs: rebuilding with per-layer tracing")
            divergence = try DivergenceSearch.first(&runner, model: model, input: failing, directory: workDirectory, tolerance: tolerance)
        }
        let results = comparison.results
        var report = ValidationReport(
            passed: comparison.firstFailure == nil && !results.isEmpty, target: runner.targetName, model: reference.graph.name,
            tolerance: tolerance,
            maxAbsError: results.map(\.error.maxAbsError).max() ?? 0,
            maxRelativeError: results.map(\.error.relativeError).max() ?? 0,
            arenaBytes: model.arenaBytes, weightBytes: model.weightBytes, inputs: results, firstDivergence: divergence)
        if isInt8 {
            report.precision = "int8"
            report.differingBytes = results.map(\.error.differing).reduce(0, +)
            if let float {
                progress("fidelity: fp32 reference on \(inputs.count) inputs")
                report.fidelity = try FidelityCheck.measure(int8: reference, float: float, inputs: inputs, outputs: comparison.outputs)
            }
        }
        PerformanceSummary(build: build, run: comparison.firstRun).apply(to: &report, graph: model.graph)
        return (report, comparison.outputs)
    }

    /// Generates C for `graph` (loaded fp32, or int8 as quantised) and
    /// validates it against the graph's reference; `floatGraph` is the fp32
    /// graph an int8 graph was quantised from.
    public mutating func validate(_ graph: Graph, inputs: [Input], options: CodegenOptions, workDirectory: URL,
                                  floatGraph: Graph? = nil) throws(Diagnostic) -> (report: ValidationReport, outputs: [[Float]]) {
        progress("generating C for \(graph.name)")
        let model = try CompilePipeline.generate(graph, options: options)
        let reference = try ModelInterpreters.make(graph)
        var float: ReferenceInterpreter?
        if let floatGraph, graph.quantization != nil { float = try ReferenceInterpreter(graph: floatGraph) }
        return try validate(model, reference: reference, float: float, inputs: inputs, workDirectory: workDirectory)
    }
}

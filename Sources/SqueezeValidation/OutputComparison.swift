import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeIR
import SqueezeReference

/// Validation step: run every input on the target and on the Swift
/// reference, and compare the outputs (in the model's encoding: floats, or
/// int8 codes compared exactly).
struct OutputComparison {
    var results: [ValidationReport.InputResult] = []
    /// The generated code's outputs, one per input.
    var outputs: [[Float]] = []
    /// The first input whose output is off by more than the tolerance.
    var firstFailure: ValidationInput?
    /// The first run (firmware: instructions, stack, per-layer counts).
    var firstRun: RunResult?

    static func run<Runner: ModelRunner>(_ runner: Runner, model: GeneratedModel, reference: any ModelInterpreter,
                                         inputs: [ValidationInput], directory: URL, tolerance: Double,
                                         progress: (String) -> Void) throws(Diagnostic) -> OutputComparison {
        var comparison = OutputComparison()
        for (i, input) in inputs.enumerated() {
            progress("running input \(i + 1)/\(inputs.count) (\(input.name)) on \(runner.targetName)")
            let encoded = try reference.encode(input.values)
            let result = try runner.run(encoded, model: model, in: directory)
            if comparison.firstRun == nil { comparison.firstRun = result }
            let generated = result.output
            let expected = try reference.run(encoded: encoded)
            let stats = ErrorStats(actual: generated, expected: expected)
            comparison.results.append(.init(name: input.name, error: stats, referenceTop1: TopK.argmax(expected),
                                            generatedTop1: TopK.argmax(generated)))
            comparison.outputs.append(generated)
            if !stats.within(tolerance) && comparison.firstFailure == nil { comparison.firstFailure = input }
        }
        return comparison
    }
}

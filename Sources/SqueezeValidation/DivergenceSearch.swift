import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeIR
import SqueezeReference

/// Validation step after a mismatch: rebuild with per-layer tracing, run the
/// failing input, and name the first layer (in graph order) whose output is
/// off, against the reference's trace of the generated (fused) graph.
enum DivergenceSearch {
    static func first<Runner: ModelRunner>(_ runner: inout Runner, model: GeneratedModel, input: ValidationInput, directory: URL,
                                           tolerance: Double) throws(Diagnostic) -> ValidationReport.Divergence? {
        _ = try runner.build(model, in: directory, trace: true)
        let reference = try ModelInterpreters.make(model.graph)
        let encoded = try reference.encode(input.values)
        let trace = try runner.run(encoded, model: model, in: directory).trace
        let expected = try reference.trace(encoded: encoded)
        let values = assemble(trace, sizes: expected.mapValues(\.count))
        for node in model.graph.nodes {
            guard let actual = values[node.output], let reference = expected[node.output], reference.count == actual.count else { continue }
            let stats = ErrorStats(actual: actual, expected: reference)
            if !stats.within(tolerance) {
                return .init(layer: node.name, value: node.output, error: stats)
            }
        }
        return nil
    }

    /// Whole values from trace records; streamed values arrive one row at a
    /// time (records with a row) and are put back together.
    static func assemble(_ records: [TraceRecord], sizes: [String: Int]) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for record in records {
            guard let row = record.row else {
                result[record.name] = record.values
                continue
            }
            let name = record.name
            guard let size = sizes[name], (row + 1) * record.values.count <= size else { continue }
            var whole = result[name] ?? [Float](repeating: .nan, count: size)
            whole.replaceSubrange((row * record.values.count)..<((row + 1) * record.values.count), with: record.values)
            result[name] = whole
        }
        return result
    }
}

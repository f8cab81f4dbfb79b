import Foundation
import SqueezeCodegen
import SqueezeIR
import SqueezeReference

/// generate -> build for a target -> run on inputs -> compare with the Swift
/// reference; on a mismatch, rebuild with per-layer tracing and name the
/// first layer that diverges.
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

    /// Returns the report and the generated code's outputs, one per input.
    /// For an int8 graph, `floatGraph` (the fp32 graph it was quantised
    /// from) adds the fidelity report; outputs are then compared exactly.
    public mutating func validate(_ graph: Graph, inputs: [Input], options: CodegenOptions, workDirectory: URL,
                                  floatGraph: Graph? = nil) throws(Diagnostic) -> (report: ValidationReport, outputs: [[Float]]) {
        progress("generating C for \(graph.name)")
        let model = try CodeGenerator.generate(graph, options: options)
        try model.write(to: workDirectory)
        progress("building for \(runner.targetName)")
        let build = try runner.build(model, in: workDirectory, trace: false)
        let reference = try Reference(graph)
        // int8 outputs must be identical: tolerance 0 for this run only.
        let tolerance = reference.isInt8 ? 0 : self.tolerance
        var measured: RunResult?

        var results: [ValidationReport.InputResult] = []
        var outputs: [[Float]] = []
        var firstFailure: Input?
        for (i, input) in inputs.enumerated() {
            progress("running input \(i + 1)/\(inputs.count) (\(input.name)) on \(runner.targetName)")
            let codes = try reference.prepare(input.values)
            let result = try runner.run(codes, model: model, in: workDirectory)
            if measured == nil { measured = result }
            let generated = result.output
            let expected = try reference.run(codes)
            let stats = ErrorStats(actual: generated, expected: expected)
            results.append(.init(name: input.name, error: stats, referenceTop1: Self.argmax(expected), generatedTop1: Self.argmax(generated)))
            outputs.append(generated)
            if !stats.within(tolerance) && firstFailure == nil { firstFailure = input }
        }

        var divergence: ValidationReport.Divergence?
        if let failing = firstFailure {
            progress("output differs: rebuilding with per-layer tracing")
            divergence = try firstDivergence(model, failing, workDirectory, tolerance: tolerance)
        }
        var report = ValidationReport(
            passed: firstFailure == nil && !results.isEmpty, target: runner.targetName, model: graph.name, tolerance: tolerance,
            maxAbsError: results.map(\.error.maxAbsError).max() ?? 0,
            maxRelativeError: results.map(\.error.relativeError).max() ?? 0,
            arenaBytes: model.arenaBytes, weightBytes: model.weightBytes, inputs: results, firstDivergence: divergence)
        if let int8 = reference.int8 {
            report.precision = "int8"
            report.differingBytes = results.map(\.error.differing).reduce(0, +)
            if let floatGraph {
                progress("fidelity: fp32 reference on \(inputs.count) inputs")
                let fp32 = try ReferenceInterpreter(graph: floatGraph)
                var float: [[Float]] = []
                var dequantised: [[Float]] = []
                for (input, output) in zip(inputs, outputs) {
                    float.append(try fp32.run(input.values))
                    dequantised.append(try int8.dequantizeOutput(output.map { Int8(clamping: Int($0)) }))
                }
                report.fidelity = Fidelity(names: inputs.map(\.name), float: float, int8: dequantised)
            }
        }
        if let build {
            report.flashBytes = build.flashBytes
            report.ramBytes = build.ramBytes + (measured?.stackBytes ?? 0)
        }
        if let measured, let instructions = measured.instructions {
            let macs = CostModel.totalMACs(model.graph)
            report.instructions = instructions
            report.macs = macs
            report.instructionsPerMAC = Double(instructions) / Double(max(macs, 1))
            report.stackBytes = measured.stackBytes
            report.layers = measured.layers.map { layer in
                let macs = model.graph.node(named: layer.name).map { CostModel.macs(of: $0, in: model.graph) }
                let perMAC = macs.flatMap { $0 > 0 ? Double(layer.instructions) / Double($0) : nil }
                return .init(name: layer.name, instructions: layer.instructions, macs: macs, instructionsPerMAC: perMAC)
            }
        }
        return (report, outputs)
    }

    mutating func firstDivergence(_ model: GeneratedModel, _ input: Input, _ directory: URL,
                                  tolerance: Double) throws(Diagnostic) -> ValidationReport.Divergence? {
        _ = try runner.build(model, in: directory, trace: true)
        let reference = try Reference(model.graph)
        let codes = try reference.prepare(input.values)
        let trace = try runner.run(codes, model: model, in: directory).trace
        let expected = try reference.capture(codes)
        let values = Self.assemble(trace, sizes: expected.mapValues(\.count))
        // In graph order: the first node whose output is off is where it went wrong.
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
    /// time as "name@row" and are put back together.
    static func assemble(_ records: [(name: String, values: [Float])], sizes: [String: Int]) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for record in records {
            guard let at = record.name.lastIndex(of: "@"), let row = Int(record.name[record.name.index(after: at)...]) else {
                result[record.name] = record.values
                continue
            }
            let name = String(record.name[..<at])
            guard let size = sizes[name], (row + 1) * record.values.count <= size else { continue }
            var whole = result[name] ?? [Float](repeating: .nan, count: size)
            whole.replaceSubrange((row * record.values.count)..<((row + 1) * record.values.count), with: record.values)
            result[name] = whole
        }
        return result
    }

    static func argmax(_ values: [Float]) -> Int {
        values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) } ?? 0
    }
}

/// The Swift reference a validation compares with: fp32, or the int8
/// reference on quantised inputs (int8 codes travel as exact Floats).
struct Reference {
    let float: ReferenceInterpreter?
    let int8: Int8ReferenceInterpreter?

    init(_ graph: Graph) throws(Diagnostic) {
        if graph.quantization != nil {
            float = nil
            int8 = try Int8ReferenceInterpreter(graph: graph)
        } else {
            float = try ReferenceInterpreter(graph: graph)
            int8 = nil
        }
    }

    var isInt8: Bool { int8 != nil }

    /// What the generated code takes: the floats, or their int8 codes.
    func prepare(_ input: [Float]) throws(Diagnostic) -> [Float] {
        guard let int8 else { return input }
        return try int8.quantizeInput(input).map(Float.init)
    }

    func run(_ input: [Float]) throws(Diagnostic) -> [Float] {
        if let int8 { return try int8.run(input.map { Int8(clamping: Int($0)) }).map(Float.init) }
        return try float!.run(input)
    }

    func capture(_ input: [Float]) throws(Diagnostic) -> [String: [Float]] {
        if let int8 { return try int8.runCapturingAll(input.map { Int8(clamping: Int($0)) }).mapValues { $0.map(Float.init) } }
        return try float!.runCapturingAll(input)
    }
}

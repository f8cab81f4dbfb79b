import SqueezeIR

/// A Swift reference for a one-input, one-output model, whatever its
/// precision: what `validate` compares generated code with and what `eval`
/// runs over a data set.
///
/// Values travel as `[Float]` in the model's own encoding: real values for
/// fp32, int8 codes (exact as Floats) for int8. `encode` and `decode` convert
/// from and to real values; `infer` does both around `run`.
public protocol ModelInterpreter: Sendable {
    /// The graph being run.
    var graph: Graph { get }
    /// The element type of its activations (`.float32` or `.int8`).
    var elementType: ElementType { get }
    /// A real NHWC input in the model's encoding (what the generated code takes).
    func encode(_ input: [Float]) throws(Diagnostic) -> [Float]
    /// An output in the model's encoding as real values.
    func decode(_ output: [Float]) throws(Diagnostic) -> [Float]
    /// Runs an encoded input; returns the encoded output.
    func run(encoded input: [Float]) throws(Diagnostic) -> [Float]
    /// Runs an encoded input and returns every value by name (the input and
    /// every node output), encoded: the trace generated code is compared with.
    func trace(encoded input: [Float]) throws(Diagnostic) -> [String: [Float]]
}

extension ModelInterpreter {
    /// Real input in, real output out.
    public func infer(_ input: [Float]) throws(Diagnostic) -> [Float] {
        try decode(try run(encoded: try encode(input)))
    }
}

/// The reference for a graph: int8 for a quantised graph, fp32 otherwise.
public enum ModelInterpreters {
    public static func make(_ graph: Graph) throws(Diagnostic) -> any ModelInterpreter {
        if graph.quantization != nil { return try Int8ReferenceInterpreter(graph: graph) }
        return try ReferenceInterpreter(graph: graph)
    }
}

extension ReferenceInterpreter: ModelInterpreter {
    public var elementType: ElementType { .float32 }
    public func encode(_ input: [Float]) throws(Diagnostic) -> [Float] { input }
    public func decode(_ output: [Float]) throws(Diagnostic) -> [Float] { output }
    public func run(encoded input: [Float]) throws(Diagnostic) -> [Float] { try run(input) }
    public func trace(encoded input: [Float]) throws(Diagnostic) -> [String: [Float]] { try runCapturingAll(input) }
}

extension Int8ReferenceInterpreter: ModelInterpreter {
    public var elementType: ElementType { .int8 }

    public func encode(_ input: [Float]) throws(Diagnostic) -> [Float] {
        try quantizeInput(input).map(Float.init)
    }

    public func decode(_ output: [Float]) throws(Diagnostic) -> [Float] {
        try dequantizeOutput(Self.codes(output))
    }

    public func run(encoded input: [Float]) throws(Diagnostic) -> [Float] {
        try run(Self.codes(input)).map(Float.init)
    }

    public func trace(encoded input: [Float]) throws(Diagnostic) -> [String: [Float]] {
        try runCapturingAll(Self.codes(input)).mapValues { $0.map(Float.init) }
    }

    /// Codes carried as Floats back to int8 (saturating, as the generated code's harness reads them).
    static func codes(_ values: [Float]) -> [Int8] {
        values.map { Int8(clamping: Int($0)) }
    }
}

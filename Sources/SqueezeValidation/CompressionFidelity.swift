import SqueezeEvaluation
import SqueezeIR
import SqueezePipeline
import SqueezeReference

/// `squeezec fidelity`'s driver: the compressed and the uncompressed
/// lowering of one model run on the Swift reference over the same inputs.
/// Always an fp32 row (the loaded graphs for fp32, the fused fp32 graphs the
/// int8 models were quantised from for int8: the same values); for int8 also
/// the int8 row (each model's own int8 reference, outputs dequantised).
public struct CompressionFidelity: Sendable {
    /// One input, already read and preprocessed; `label` on labelled data.
    public struct Input: Sendable {
        public var name: String
        public var values: [Float]
        public var label: Int?

        public init(name: String, values: [Float], label: Int? = nil) {
            self.name = name
            self.values = values
            self.label = label
        }
    }

    public var dense: LoweredStage
    public var compressed: LoweredStage

    public init(dense: LoweredStage, compressed: LoweredStage) {
        self.dense = dense
        self.compressed = compressed
    }

    /// The rows (fp32, then int8 when lowered to int8). `classes`: the class
    /// names when every input is labelled.
    public func rows(_ inputs: [Input], classes: [String]) throws(Diagnostic) -> [CompressionFidelityReport.Row] {
        guard dense.precision == compressed.precision else { throw .internal("fidelity compares two lowerings of one precision") }
        let labels: [Int]? = inputs.allSatisfy { $0.label != nil } && !inputs.isEmpty ? inputs.map { $0.label! } : nil
        let names = inputs.map(\.name)
        var models: [(precision: String, dense: any ModelInterpreter, compressed: any ModelInterpreter)] = [
            ("fp32", try ReferenceInterpreter(graph: dense.reference.float), try ReferenceInterpreter(graph: compressed.reference.float)),
        ]
        if dense.precision == .int8 {
            models.append(("int8", try ModelInterpreters.make(dense.graph), try ModelInterpreters.make(compressed.graph)))
        }
        var rows: [CompressionFidelityReport.Row] = []
        for model in models {
            var denseOutputs: [[Float]] = []
            var compressedOutputs: [[Float]] = []
            for input in inputs {
                denseOutputs.append(try model.dense.infer(input.values))
                compressedOutputs.append(try model.compressed.infer(input.values))
            }
            rows.append(CompressionFidelityReport.Row(precision: model.precision, names: names, dense: denseOutputs,
                                                      compressed: compressedOutputs, labels: labels, classes: classes))
        }
        return rows
    }
}

import Foundation

/// How close a model's outputs are to a reference model's on the same
/// inputs: the int8 model (dequantised) against its fp32 graph (`validate`,
/// `run`), or a compressed model against the uncompressed one (`fidelity`).
///
/// - SQNR: 10 log10(sum ref^2 / sum (ref - x)^2) over the logits of one
///   input, in dB (higher is better; 99 means identical);
/// - top-1 agreement: the share of inputs whose arg max is the same;
/// - top-5 agreement: the share of inputs whose reference top-1 class is
///   among the compared model's five largest outputs.
/// Classes are ranked by `TopK` (ties to the lower class index).
public struct Fidelity: Sendable, Codable, Equatable {
    public struct PerInput: Sendable, Codable, Equatable {
        public var name: String
        public var sqnrDB: Double
        /// The reference model's top-1 class.
        public var referenceTop1: Int
        /// The compared model's five best classes.
        public var top5: [Int]

        enum CodingKeys: String, CodingKey {
            case name
            case sqnrDB = "sqnr_db"
            case referenceTop1 = "reference_top1"
            case top5
        }
    }

    public var inputs: [PerInput]
    public var meanSQNR: Double
    public var minSQNR: Double
    public var top1Agreement: Double
    public var top5Agreement: Double

    enum CodingKeys: String, CodingKey {
        case inputs
        case meanSQNR = "mean_sqnr_db"
        case minSQNR = "min_sqnr_db"
        case top1Agreement = "top1_agreement"
        case top5Agreement = "top5_agreement"
    }

    /// `reference[i]` and `compared[i]`: the two models' outputs (real values) for input `names[i]`.
    public init(names: [String], reference: [[Float]], compared: [[Float]]) {
        precondition(names.count == reference.count && reference.count == compared.count, "fidelity: one output per input")
        inputs = zip(names, zip(reference, compared)).map { name, pair in
            PerInput(name: name, sqnrDB: Self.sqnr(pair.0, pair.1), referenceTop1: TopK.argmax(pair.0), top5: TopK.indices(pair.1, 5))
        }
        let count = Double(max(inputs.count, 1))
        meanSQNR = inputs.map(\.sqnrDB).reduce(0, +) / count
        minSQNR = inputs.map(\.sqnrDB).min() ?? 0
        top1Agreement = Double(inputs.filter { $0.top5.first == $0.referenceTop1 }.count) / count
        top5Agreement = Double(inputs.filter { $0.top5.contains($0.referenceTop1) }.count) / count
    }

    /// Signal-to-quantisation-noise ratio of `x` against `reference`, in dB (99 when identical).
    public static func sqnr(_ reference: [Float], _ x: [Float]) -> Double {
        var signal = 0.0, noise = 0.0
        for (r, v) in zip(reference, x) {
            signal += Double(r) * Double(r)
            noise += (Double(r) - Double(v)) * (Double(r) - Double(v))
        }
        if noise == 0 { return 99 }
        return min(10 * log10(signal / noise), 99)
    }
}

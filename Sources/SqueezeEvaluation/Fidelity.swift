import Foundation

/// How close the int8 model's outputs (dequantised) are to the fp32
/// reference's, over a set of inputs.
///
/// - SQNR: 10 log10(sum fp32^2 / sum (fp32 - int8)^2) over the logits of one
///   input, in dB (higher is better; 99 means identical);
/// - top-1 agreement: the share of inputs whose arg max is the same;
/// - top-5 agreement: the share of inputs whose fp32 top-1 class is among
///   the int8 model's five largest outputs.
/// Classes are ranked by `TopK` (ties to the lower class index).
public struct Fidelity: Sendable, Codable, Equatable {
    public struct PerInput: Sendable, Codable, Equatable {
        public var name: String
        public var sqnrDB: Double
        public var floatTop1: Int
        public var int8Top5: [Int]

        enum CodingKeys: String, CodingKey {
            case name
            case sqnrDB = "sqnr_db"
            case floatTop1 = "fp32_top1"
            case int8Top5 = "int8_top5"
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

    public init(names: [String], float: [[Float]], int8: [[Float]]) {
        precondition(names.count == float.count && float.count == int8.count, "fidelity: one output per input")
        inputs = zip(names, zip(float, int8)).map { name, pair in
            PerInput(name: name, sqnrDB: Self.sqnr(pair.0, pair.1), floatTop1: TopK.argmax(pair.0), int8Top5: TopK.indices(pair.1, 5))
        }
        let count = Double(max(inputs.count, 1))
        meanSQNR = inputs.map(\.sqnrDB).reduce(0, +) / count
        minSQNR = inputs.map(\.sqnrDB).min() ?? 0
        top1Agreement = Double(inputs.filter { $0.int8Top5.first == $0.floatTop1 }.count) / count
        top5Agreement = Double(inputs.filter { $0.int8Top5.contains($0.floatTop1) }.count) / count
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

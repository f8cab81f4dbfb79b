import Foundation
import SqueezeIR

/// A calibration result on disk (`squeezec calibrate -o FILE`, loaded with
/// `--quantization FILE`): the calibrated range of every quantisation point
/// of the fused graph (`Calibrator.points`, in that order), the calibration
/// summary and, as a check, each point's scale and zero point. Loading it and
/// running `Quantizer` gives exactly the quantisation calibrating gave: the
/// ranges are stored exactly (each Float as the Double it equals), and
/// everything else the quantizer derives from them and the weights.
///
///     {"format": "squeezec-quantization", "version": 1, "model": "squeezenet1.1",
///      "input": {"name": "input", "shape": [1, 224, 224, 3]},
///      "calibration": {"method": "minmax", "inputs": ["a.png"], "compression": "codebook 4"},
///      "tensors": [{"name": "input", "min": -2.1, "max": 2.6, "scale": 0.0184, "zero_point": -14}, ...]}
public struct QuantizationFile: Sendable, Equatable, Codable {
    public struct Input: Sendable, Equatable, Codable {
        public var name: String
        /// NHWC.
        public var shape: [Int]
    }

    public struct Calibration: Sendable, Equatable, Codable {
        public var method: String
        public var inputs: [String]
        /// How image inputs were preprocessed (`Preprocessing.description`;
        /// absent when the graph declares none). Checked on loading: ranges
        /// calibrated on differently normalised images would be wrong.
        public var preprocessing: String?
        /// The post-training compression the calibrated weights went
        /// through (`CompressionOptions.summary`; absent when none).
        /// Informative only, not checked on loading: `squeezec fidelity`
        /// quantises the compressed and the uncompressed model with one file.
        public var compression: String?
    }

    public struct TensorEntry: Sendable, Equatable, Codable {
        public var name: String
        public var min: Float
        public var max: Float
        public var scale: Float
        public var zeroPoint: Int32

        enum CodingKeys: String, CodingKey {
            case name, min, max, scale
            case zeroPoint = "zero_point"
        }

        init(name: String, min: Float, max: Float, scale: Float, zeroPoint: Int32) {
            self.name = name
            self.min = min
            self.max = max
            self.scale = scale
            self.zeroPoint = zeroPoint
        }

        // Floats go through Double: every Float is exactly a Double, and the
        // Double's shortest decimal reads back to that Double, so the Float
        // survives the round trip bit for bit.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            min = Float(try c.decode(Double.self, forKey: .min))
            max = Float(try c.decode(Double.self, forKey: .max))
            scale = Float(try c.decode(Double.self, forKey: .scale))
            zeroPoint = try c.decode(Int32.self, forKey: .zeroPoint)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(Double(min), forKey: .min)
            try c.encode(Double(max), forKey: .max)
            try c.encode(Double(scale), forKey: .scale)
            try c.encode(zeroPoint, forKey: .zeroPoint)
        }
    }

    public static let formatName = "squeezec-quantization"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// The graph's name (informative; the check is on input and tensors).
    public var model: String
    public var input: Input
    public var calibration: Calibration
    public var tensors: [TensorEntry]

    /// The calibration result of `graph` (the fused fp32 graph) as a file.
    public init(graph: Graph, ranges: [String: ClosedRange<Float>], calibration: CalibrationSummary) throws(Diagnostic) {
        format = Self.formatName
        version = Self.currentVersion
        model = graph.name
        guard let first = graph.inputs.first else { throw .unsupported("int8 needs a graph with one input") }
        let s = first.type.shape
        input = Input(name: first.name, shape: [s.n, s.h, s.w, s.c])
        self.calibration = Calibration(method: calibration.method, inputs: calibration.inputs,
                                       preprocessing: graph.preprocessing?.description)
        var tensors: [TensorEntry] = []
        for point in Calibrator.points(of: graph) {
            guard let range = ranges[point] else { throw .internal("no calibrated range for '\(point)'") }
            let p = Quantizer.activationParams(range)
            tensors.append(TensorEntry(name: point, min: range.lowerBound, max: range.upperBound, scale: p.scale, zeroPoint: p.zeroPoint))
        }
        self.tensors = tensors
    }

    public var summary: CalibrationSummary { CalibrationSummary(method: calibration.method, inputs: calibration.inputs) }

    /// The ranges for `graph` (the fused fp32 graph), after checking that the
    /// file was written for it: same input shape, the same quantisation
    /// points in the same order, and every stored scale and zero point what
    /// its range gives. `path` names the file in the errors.
    public func ranges(for graph: Graph, path: String) throws(Diagnostic) -> [String: ClosedRange<Float>] {
        guard let first = graph.inputs.first else { throw .unsupported("int8 needs a graph with one input") }
        let s = first.type.shape
        guard input.shape == [s.n, s.h, s.w, s.c] else {
            throw .input("tensor '\(input.name)': calibrated for input shape \(input.shape), the model's is \([s.n, s.h, s.w, s.c]) "
                         + "(NHWC)", file: path)
        }
        if let stored = calibration.preprocessing, let current = graph.preprocessing?.description, stored != current {
            throw .input("calibrated on images preprocessed as '\(stored)', the model's preprocessing is '\(current)'", file: path)
        }
        let points = Calibrator.points(of: graph)
        let known = Set(points)
        if let extra = tensors.first(where: { !known.contains($0.name) }) {
            throw .input("tensor '\(extra.name)' is not a quantisation point of model '\(graph.name)' (\(tensors.count) tensors in "
                         + "the file, \(points.count) in the model)", file: path)
        }
        let stored = Set(tensors.map(\.name))
        if let missing = points.first(where: { !stored.contains($0) }) {
            throw .input("tensor '\(missing)' of model '\(graph.name)' is missing (\(tensors.count) tensors in the file, "
                         + "\(points.count) in the model)", file: path)
        }
        guard tensors.map(\.name) == points else {
            let i = Array(zip(tensors.map(\.name), points)).firstIndex { $0.0 != $0.1 } ?? min(tensors.count, points.count)
            let name = i < tensors.count ? tensors[i].name : points[min(i, points.count - 1)]
            throw .input("tensor '\(name)': the file has \(tensors.count) tensors in another order than the model's \(points.count) "
                         + "quantisation points", file: path)
        }
        var result: [String: ClosedRange<Float>] = [:]
        for t in tensors {
            guard t.min.isFinite, t.max.isFinite, t.min <= 0, t.max >= 0 else {
                throw .input("tensor '\(t.name)': range [\(t.min), \(t.max)] must be finite and include 0", file: path)
            }
            let range = t.min...t.max
            let p = Quantizer.activationParams(range)
            guard p.scale == t.scale, p.zeroPoint == t.zeroPoint else {
                throw .input("tensor '\(t.name)': scale \(t.scale) zero point \(t.zeroPoint) do not follow from its range "
                             + "[\(t.min), \(t.max)] (scale \(p.scale) zero point \(p.zeroPoint))", file: path)
            }
            result[t.name] = range
        }
        return result
    }

    // MARK: JSON

    public func json() throws(Diagnostic) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch {
            throw .internal("cannot encode the quantisation file: \(error)")
        }
    }

    public func write(to path: String) throws(Diagnostic) {
        let data = try json() + Data("\n".utf8)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .input("cannot write the quantisation file: \(error.localizedDescription)", file: path)
        }
    }

    /// Reads and checks the format and version (not the model: `ranges(for:path:)`).
    public static func read(_ path: String) throws(Diagnostic) -> QuantizationFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .input("cannot read the quantisation file", file: path)
        }
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw .input("not a JSON quantisation file (write one with 'squeezec calibrate')", file: path)
        }
        guard header.format == formatName else {
            throw .input("not a squeezec quantisation file (format '\(header.format ?? "none")', expected '\(formatName)')", file: path)
        }
        guard header.version == currentVersion else {
            throw .input("quantisation file version \(header.version.map(String.init) ?? "none") is not supported (this squeezec "
                         + "reads version \(currentVersion))", file: path)
        }
        do {
            return try JSONDecoder().decode(QuantizationFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .input("missing '\(key.stringValue)' at \(Self.codingPath(context.codingPath))", file: path)
        } catch let DecodingError.typeMismatch(_, context) {
            throw .input("wrong type at \(Self.codingPath(context.codingPath))", file: path)
        } catch let DecodingError.valueNotFound(_, context) {
            throw .input("missing value at \(Self.codingPath(context.codingPath))", file: path)
        } catch {
            throw .input("malformed quantisation file", file: path)
        }
    }

    private static func codingPath(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}

import SqueezeIR
import SqueezeReference

/// Measures the real range of every quantisation point of a fused fp32
/// graph by running the fp32 reference on representative inputs.
///
/// Deterministic: inputs are used in the order given, sequentially; the
/// histogram pass (percentile, mse) re-runs them in the same order.
public struct Calibrator {
    public struct Input: Sendable {
        public var name: String
        /// NHWC floats, normalised like the model's inputs.
        public var values: [Float]

        public init(name: String, values: [Float]) {
            self.name = name
            self.values = values
        }
    }

    public var method: CalibrationMethod
    /// Called with one line per input and pass ("pass 1/2: 3/16 cat.png").
    public var progress: (String) -> Void

    public init(method: CalibrationMethod = .minMax, progress: @escaping (String) -> Void = { _ in }) {
        self.method = method
        self.progress = progress
    }

    /// The points whose ranges set quantisation parameters (see `Quantizer`).
    public static func points(of graph: Graph) -> [String] {
        var result = [graph.inputs[0].name]
        for node in graph.nodes {
            switch node.op {
            case .conv2d(let a):
                if !a.activation.isClamp { result.append(Quantization.activationPoint(node.name)) }
                result.append(a.pool == nil ? node.output : Quantization.convPoint(node.name))
                if a.pool == .globalAverage { result.append(node.output) }
            case .fire(let a):
                result.append(Quantization.squeezePoint(node.name))
                result.append(a.pool == nil ? node.output : Quantization.convPoint(node.name))
            case .globalAvgPool, .add, .concat:
                result.append(node.output)
            case .relu, .maxPool, .avgPool, .dropout, .flatten, .softmax:
                break
            case .activation, .affine:
                result.append(node.output)
            case .pad:
                break
            }
        }
        return result
    }

    /// The calibrated range of every point (each includes 0).
    public func ranges(_ graph: Graph, inputs: [Input]) throws(Diagnostic) -> [String: ClosedRange<Float>] {
        guard !inputs.isEmpty else { throw .usage("calibration needs at least one input") }
        let reference = try ReferenceInterpreter(graph: graph)
        let points = Set(Self.points(of: graph))
        let passes = method.needsHistogram ? 2 : 1

        let observed = MinMaxBox()
        for (i, input) in inputs.enumerated() {
            progress("calibrating (pass 1/\(passes)): \(i + 1)/\(inputs.count) \(input.name)")
            _ = try reference.runObserving(input.values) { name, values in
                guard points.contains(name) else { return }
                observed.add(name, values)
            }
        }
        var ranges: [String: (Double, Double)] = [:]
        for (name, range) in observed.ranges { ranges[name] = (min(Double(range.0), 0), max(Double(range.1), 0)) }
        if passes == 2 {
            let histograms = HistogramBox(ranges)
            for (i, input) in inputs.enumerated() {
                progress("calibrating (pass 2/2): \(i + 1)/\(inputs.count) \(input.name)")
                _ = try reference.runObserving(input.values) { name, values in
                    guard points.contains(name) else { return }
                    histograms.add(name, values)
                }
            }
            for (name, histogram) in histograms.histograms {
                switch method {
                case .percentile(let p): ranges[name] = histogram.percentileRange(p)
                case .mse: ranges[name] = histogram.mseRange()
                case .minMax: break
                }
            }
        }
        var result: [String: ClosedRange<Float>] = [:]
        for (name, (lo, hi)) in ranges {
            guard lo.isFinite, hi.isFinite else {
                throw .input("calibration saw a non-finite value at '\(name)'; check the calibration inputs")
            }
            result[name] = Float(lo)...Float(hi)
        }
        for point in points where result[point] == nil {
            throw .internal("calibration saw no values for '\(point)'")
        }
        return result
    }
}

/// Running minimum and maximum per point (filled by the observer callback).
private final class MinMaxBox {
    var ranges: [String: (Float, Float)] = [:]

    func add(_ name: String, _ values: [Float]) {
        var (lo, hi) = ranges[name] ?? (Float.infinity, -Float.infinity)
        for v in values {
            if v.isNaN { lo = .nan; hi = .nan; break }
            lo = min(lo, v)
            hi = max(hi, v)
        }
        ranges[name] = (lo, hi)
    }
}

private final class HistogramBox {
    var histograms: [String: Histogram] = [:]

    init(_ ranges: [String: (Double, Double)]) {
        for (name, (lo, hi)) in ranges { histograms[name] = Histogram(lower: lo, upper: hi) }
    }

    func add(_ name: String, _ values: [Float]) {
        histograms[name]?.add(values)
    }
}

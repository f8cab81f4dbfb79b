import Foundation
import SqueezeIR

/// The calibration result as `analyze` prints it: every quantisation point
/// with its calibrated range, scale and zero point, and per convolution the
/// weight-scale span and requantisation shifts.
enum QuantizationTable {
    static func text(_ graph: Graph) -> String {
        guard let q = graph.quantization else { return "" }
        var out = "\nint8 quantisation (calibration \(q.calibration.method) on \(q.calibration.inputs.count) inputs: "
            + q.calibration.inputs.prefix(6).joined(separator: ", ") + (q.calibration.inputs.count > 6 ? ", ..." : "") + ")\n"
        out += pad("value", 30) + pad("calibrated min", 16, right: true) + pad("max", 12, right: true) + pad("scale", 14, right: true)
            + pad("zero point", 12, right: true) + "\n"
        for name in points(graph) {
            guard let p = q.values[name] else { continue }
            let range = q.ranges[name].map { (String(format: "%.5g", Double($0.lowerBound)), String(format: "%.5g", Double($0.upperBound))) }
                ?? ("(as input)", "")
            out += pad(name, 30) + pad(range.0, 16, right: true) + pad(range.1, 12, right: true)
                + pad(String(format: "%.7g", Double(p.scale)), 14, right: true) + pad("\(p.zeroPoint)", 12, right: true) + "\n"
        }
        out += pad("convolution weight", 30) + pad("w scale min", 16, right: true) + pad("max", 12, right: true)
            + pad("shift min..max", 16, right: true) + "\n"
        for (name, c) in q.convolutions.sorted(by: { $0.key < $1.key }) {
            out += pad(name, 30) + pad(String(format: "%.5g", Double(c.weightScales.min() ?? 0)), 16, right: true)
                + pad(String(format: "%.5g", Double(c.weightScales.max() ?? 0)), 12, right: true)
                + pad("\(c.shifts.min() ?? 0)..\(c.shifts.max() ?? 0)", 16, right: true) + "\n"
        }
        return out
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(width - text.count, 1))
        return right ? fill + text : text + fill
    }

    /// Points in execution order.
    static func points(_ graph: Graph) -> [String] {
        var result = [graph.inputs[0].name]
        for node in graph.nodes {
            result += [Quantization.squeezePoint(node.name), Quantization.convPoint(node.name), node.output]
        }
        return result
    }

    /// JSON-ready rows.
    static func json(_ graph: Graph) -> [[String: Any]] {
        guard let q = graph.quantization else { return [] }
        return points(graph).compactMap { name in
            guard let p = q.values[name] else { return nil }
            return ["value": name, "scale": Double(p.scale), "zero_point": Int(p.zeroPoint),
                    "min": Double(q.ranges[name]?.lowerBound ?? 0), "max": Double(q.ranges[name]?.upperBound ?? 0)]
        }
    }
}

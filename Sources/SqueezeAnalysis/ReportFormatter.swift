import Foundation

/// Renders a `ModelReport` as a terminal table or as JSON.
public enum ReportFormatter {
    public static func json(_ report: ModelReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    public static func text(_ report: ModelReport) -> String {
        var table = TextTable(columns: [
            .init("layer"), .init("op"), .init("output (NHWC)"),
            .init("params", right: true), .init("MACs", right: true), .init("out bytes", right: true),
        ])
        for layer in report.layers {
            table.add([layer.name, layer.op, layer.shape.map(String.init).joined(separator: "x"),
                       grouped(layer.params), grouped(layer.macs), grouped(layer.activationBytes)])
        }
        var lines = ["model \(report.model): input \(shape(report.input)) (NHWC), output \(shape(report.output))", ""]
        lines += table.render()
        lines.append("")
        lines.append("parameters      \(grouped(report.params)) (\(mebibytes(report.weightBytes)) of weights)")
        lines.append("MACs            \(grouped(report.macs)) (\(millions(report.macs)); convolutions only)")
        lines.append("naive schedule  \(mebibytes(report.naiveActivationBytes)) of activations "
                     + "(every layer writes a new buffer; peak at \(report.naivePeakLayer))")
        lines.append("layer schedule  \(mebibytes(report.layerArenaBytes)) arena (fused steps, whole maps between them)")
        lines.append("stream schedule \(mebibytes(report.streamArenaBytes)) arena (rows through rings; nothing stored whole)")
        lines.append("chosen: \(report.scheduleKind), \(grouped(report.peakRAMBytes)) bytes (planner \(report.planner), lower bound "
                     + "\(grouped(report.lowerBoundBytes))): "
                     + String(format: "%.1fx less than the naive schedule", Double(report.naiveActivationBytes) / Double(max(report.peakRAMBytes, 1))))
        lines.append("")
        lines.append("Fused schedule (what `generate` emits; input and output are the caller's buffers):")
        var steps = TextTable(columns: [
            .init("step"), .init("op"), .init("output (NHWC)"), .init("scratch", right: true), .init("MACs", right: true), .init("layers"),
        ])
        for step in report.schedule {
            steps.add([step.name, step.op, shape(step.shape), grouped(step.scratchBytes), grouped(step.macs),
                       step.layers.count == 1 ? step.layers[0] : "\(step.layers.first!) .. \(step.layers.last!) (\(step.layers.count))"])
        }
        lines += steps.render()
        if !report.fireModules.isEmpty {
            lines.append("")
            lines.append("Fire modules beside a 3x3 convolution with the same channels (weights only):")
            var fires = TextTable(columns: [
                .init("module"), .init("in", right: true), .init("squeeze", right: true), .init("expand 1x1+3x3"),
                .init("fire weights", right: true), .init("3x3 conv weights", right: true), .init("saved", right: true),
            ])
            for fire in report.fireModules {
                fires.add([fire.name, "\(fire.inChannels)", "\(fire.squeeze)", "\(fire.expand1x1)+\(fire.expand3x3)",
                           grouped(fire.weights), grouped(fire.conv3x3Weights),
                           String(format: "%.2f%%", fire.reduction * 100)])
            }
            lines += fires.render()
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func shape(_ dims: [Int]) -> String {
        dims.map(String.init).joined(separator: "x")
    }

    /// 1234567 -> "1,234,567".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func millions(_ value: Int) -> String {
        String(format: "%.1f M", Double(value) / 1e6)
    }

    public static func mebibytes(_ bytes: Int) -> String {
        if bytes < 1024 * 1024 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.2f MiB", Double(bytes) / 1_048_576)
    }
}

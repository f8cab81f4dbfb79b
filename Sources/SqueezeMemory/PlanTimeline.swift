/// Pictures of an arena plan over time: which buffer holds which addresses at
/// every step. Output is deterministic (fixed colours and number formats), so
/// it can be committed and diffed.
public enum PlanTimeline {
    // MARK: Text

    /// A terminal chart: one row per step with the bytes live and an address
    /// map of the arena (a letter per buffer, `.` free), then a table of the
    /// buffers with key, offset, size and live steps. `width` is the line
    /// width the address map is fitted to.
    public static func text(_ plan: ArenaPlan, _ buffers: [BufferLifetime], stepNames: [String], width: Int = 80) -> String {
        let layout = Layout(plan, buffers, stepNames: stepNames)
        let keyed = layout.buffers
        var key: [String: Character] = [:]
        for (i, buffer) in keyed.enumerated() { key[buffer.name] = keyCharacter(i) }

        var lines: [String] = []
        let bound = plan.arenaBytes <= plan.lowerBound ? "reached"
            : "the arena is \(grouped(plan.arenaBytes - plan.lowerBound)) bytes, "
                + "\(percent(plan.arenaBytes - plan.lowerBound, of: plan.lowerBound)), above it"
        lines.append("arena (planner '\(plan.strategy)'): \(grouped(plan.arenaBytes)) bytes = \(kib(plan.arenaBytes)) KiB")
        lines.append("lower bound: \(grouped(plan.lowerBound)) bytes (\(bound))")
        if layout.steps > 0 {
            lines.append("peak: \(grouped(layout.live[layout.peakStep])) bytes live at step \(layout.peakStep)"
                         + (layout.name(layout.peakStep).isEmpty ? "" : " (\(layout.name(layout.peakStep)))"))
        }

        let nameWidth = min(max(4, (0..<layout.steps).map { layout.name($0).count }.max() ?? 4), 24)
        let stepWidth = max(4, String(max(layout.steps - 1, 0)).count)
        let liveWidth = max(8, kib(layout.live.max() ?? 0).count)
        let prefixWidth = stepWidth + 2 + nameWidth + 2 + liveWidth + 2
        let peakMark = " <- peak"
        let columns = max(10, width - prefixWidth - 2 - peakMark.count)
        let span = max(plan.arenaBytes, layout.top, 1)
        lines.append("")
        let perColumn = ceilDiv(span, columns)
        lines.append("address map: a row per step, a column per "
                     + (perColumn < 10 * 1024 ? "\(grouped(perColumn)) bytes" : "\(kib(perColumn)) KiB") + " from offset 0;")
        lines.append("letters are buffers (key below), '.' is free")
        let axisRight = "\(kib(span)) KiB"
        let axis = "0" + String(repeating: " ", count: max(1, columns - 1 - axisRight.count)) + axisRight
        lines.append(pad("step", stepWidth, right: true) + "  " + pad("node", nameWidth) + "  "
                     + pad("live KiB", liveWidth, right: true) + "   " + axis)
        for step in 0..<layout.steps {
            var row = ""
            for column in 0..<columns {
                let lo = span * column / columns
                let hi = max(span * (column + 1) / columns, lo + 1)
                var best: (covered: Int, key: Character)?
                for buffer in keyed where buffer.isLive(at: step) && buffer.bytes > 0 {
                    let offset = plan.offset(of: buffer.id) ?? 0
                    let covered = min(hi, offset + buffer.bytes) - max(lo, offset)
                    if covered > 0, best == nil || covered > best!.covered { best = (covered, key[buffer.name]!) }
                }
                row.append(best?.key ?? ".")
            }
            lines.append(pad(String(step), stepWidth, right: true) + "  " + pad(clip(layout.name(step), nameWidth), nameWidth) + "  "
                         + pad(kib(layout.live[step]), liveWidth, right: true) + "  |" + row + "|"
                         + (step == layout.peakStep ? peakMark : ""))
        }

        lines.append("")
        let bufferNameWidth = max(6, keyed.map(\.name.count).max() ?? 6)
        lines.append("key  " + pad("buffer", bufferNameWidth) + "  " + pad("offset", 11, right: true) + "  "
                     + pad("bytes", 11, right: true) + "  " + pad("KiB", 9, right: true) + "  steps")
        for (i, buffer) in keyed.enumerated() {
            let steps = buffer.firstUse == buffer.lastUse ? "\(buffer.firstUse)" : "\(buffer.firstUse)-\(buffer.lastUse)"
            lines.append(pad(String(keyCharacter(i)), 3) + "  " + pad(buffer.name, bufferNameWidth) + "  "
                         + pad(grouped(plan.offset(of: buffer.id) ?? 0), 11, right: true) + "  "
                         + pad(grouped(buffer.bytes), 11, right: true) + "  " + pad(kib(buffer.bytes), 9, right: true) + "  " + steps)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: SVG

    /// A standalone SVG 1.1 picture: x is the execution step (labelled with
    /// `stepNames`), y the arena offset in KiB (0 at the bottom); one
    /// rectangle per buffer over its live steps and its addresses, labelled
    /// where the label fits and with a tooltip always; lines at the arena size
    /// and the lower bound; the step with the most live bytes highlighted.
    public static func svg(_ plan: ArenaPlan, _ buffers: [BufferLifetime], stepNames: [String], title: String) -> String {
        let layout = Layout(plan, buffers, stepNames: stepNames)
        let steps = max(layout.steps, 1)
        let longestLabel = min((0..<layout.steps).map { layout.name($0).count }.max() ?? 0, 32)
        let plotWidth = Double(min(max(steps * 48, 640), 1600))
        let plotHeight = 520.0
        let left = 96.0, right = 180.0, top = 80.0
        let bottom = 48.0 + Double(longestLabel) * 4.6
        let width = left + plotWidth + right
        let height = top + plotHeight + bottom
        let span = Double(max(plan.arenaBytes, layout.top, 1))
        let stepWidth = plotWidth / Double(steps)
        func x(_ step: Int) -> Double { left + Double(step) * stepWidth }
        func y(_ offset: Int) -> Double { top + plotHeight - Double(offset) / span * plotHeight }

        var out: [String] = []
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>")
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(fixed(width, 0))\" "
                   + "height=\"\(fixed(height, 0))\" viewBox=\"0 0 \(fixed(width, 0)) \(fixed(height, 0))\" "
                   + "font-family=\"Helvetica, Arial, sans-serif\">")
        out.append("<title>\(escape(title))</title>")
        out.append("<rect x=\"0\" y=\"0\" width=\"\(fixed(width, 0))\" height=\"\(fixed(height, 0))\" fill=\"#ffffff\"/>")
        out.append(text(left, 24, escape(title), size: 16, weight: "bold"))
        let bound = plan.arenaBytes <= plan.lowerBound ? "reaches the lower bound"
            : "\(percent(plan.arenaBytes, of: plan.lowerBound)) of the lower bound"
        out.append(text(left, 46, escape("planner \(plan.strategy): arena \(grouped(plan.arenaBytes)) bytes (\(kib(plan.arenaBytes)) KiB), "
                                         + "lower bound \(grouped(plan.lowerBound)) bytes; \(bound)"), size: 12, fill: "#444444"))

        // Peak step, behind everything.
        if layout.steps > 0 {
            let px = x(layout.peakStep)
            out.append("<rect x=\"\(fixed(px))\" y=\"\(fixed(top))\" width=\"\(fixed(stepWidth))\" height=\"\(fixed(plotHeight))\" "
                       + "fill=\"#fff1b8\"><title>\(escape("peak: \(grouped(layout.live[layout.peakStep])) bytes live at step \(layout.peakStep) \(layout.name(layout.peakStep))"))</title></rect>")
        }
        // Grid and y axis (KiB).
        let ticks = tickStep(span / 1024 / 6)
        var tickIndex = 0
        while Double(tickIndex) * ticks.step * 1024 <= span + 0.5 {
            let tick = Double(tickIndex) * ticks.step
            let ty = top + plotHeight - tick * 1024 / span * plotHeight
            out.append(line(left, ty, left + plotWidth, ty, stroke: "#e4e4e4"))
            out.append(text(left - 8, ty + 4, grouped(tick, decimals: ticks.decimals), size: 11, anchor: "end", fill: "#333333"))
            tickIndex += 1
        }
        for step in 0...steps {
            out.append(line(x(step), top, x(step), top + plotHeight, stroke: "#f0f0f0"))
        }
        out.append(text(22, top + plotHeight / 2, "arena offset (KiB)", size: 12, anchor: "middle", fill: "#333333",
                        transform: "rotate(-90 22 \(fixed(top + plotHeight / 2)))"))

        // Buffers: rectangles first, labels after the lines so nothing hides them.
        struct Box {
            var buffer: BufferLifetime
            var x, y, width, height: Double
            var tip: String
        }
        var boxes: [Box] = []
        for buffer in layout.buffers where buffer.bytes > 0 {
            let offset = plan.offset(of: buffer.id) ?? 0
            let bx = x(buffer.firstUse), bw = Double(buffer.lastUse + 1 - buffer.firstUse) * stepWidth
            let by = y(offset + buffer.bytes), bh = max(y(offset) - by, 0.5)
            let steps = buffer.firstUse == buffer.lastUse ? "step \(buffer.firstUse)" : "steps \(buffer.firstUse)-\(buffer.lastUse)"
            let tip = "\(buffer.name): \(grouped(buffer.bytes)) bytes (\(kib(buffer.bytes)) KiB) at offset \(grouped(offset)), \(steps)"
            boxes.append(Box(buffer: buffer, x: bx, y: by, width: bw, height: bh, tip: tip))
            out.append("<g><title>\(escape(tip))</title><rect x=\"\(fixed(bx))\" y=\"\(fixed(by))\" width=\"\(fixed(bw))\" "
                       + "height=\"\(fixed(bh))\" fill=\"\(colour(buffer.name))\" stroke=\"#3a3a3a\" stroke-width=\"0.75\"/></g>")
        }

        // Arena size and lower bound.
        let arenaY = y(plan.arenaBytes), boundY = y(plan.lowerBound)
        out.append(line(left, arenaY, left + plotWidth, arenaY, stroke: "#b3261e", width: 1.5))
        out.append(line(left, boundY, left + plotWidth, boundY, stroke: "#1f4fb3", width: 1.5, dash: "6 4"))
        let labelX = left + plotWidth + 8
        if plan.arenaBytes == plan.lowerBound {
            out.append(text(labelX, arenaY + 4, "arena = lower bound", size: 11, fill: "#b3261e"))
            out.append(text(labelX, arenaY + 18, "\(kib(plan.arenaBytes)) KiB", size: 11, fill: "#b3261e"))
        } else {
            var boundLabelY = boundY + 4
            if abs(boundLabelY - (arenaY + 4)) < 14 { boundLabelY = arenaY + 4 + 14 }
            out.append(text(labelX, arenaY + 4, "arena \(kib(plan.arenaBytes)) KiB", size: 11, fill: "#b3261e"))
            out.append(text(labelX, boundLabelY, "lower bound \(kib(plan.lowerBound)) KiB", size: 11, fill: "#1f4fb3"))
        }
        // The peak step: outlined over the buffers, named above the plot.
        if layout.steps > 0 {
            let px = x(layout.peakStep)
            out.append("<rect x=\"\(fixed(px))\" y=\"\(fixed(top))\" width=\"\(fixed(stepWidth))\" height=\"\(fixed(plotHeight))\" "
                       + "fill=\"none\" stroke=\"#d08700\" stroke-width=\"2.5\" stroke-dasharray=\"8 4\"/>")
            out.append(text(px + stepWidth / 2, top - 8, escape("peak \(kib(layout.live[layout.peakStep])) KiB live"), size: 11,
                            anchor: "middle", fill: "#8a5a00", weight: "bold"))
        }

        // Labels: name and size across, else the name alone, else the same
        // turned upright, in the normal and then a smaller font.
        for box in boxes {
            let name = escape(box.buffer.name), size = "\(kib(box.buffer.bytes)) KiB"
            let (cx, cy) = (box.x + box.width / 2, box.y + box.height / 2)
            var labels: [String] = []
            for (font, small) in [(11.0, 10.0), (9.0, 8.0)] where labels.isEmpty {
                let nameWidth = textWidth(box.buffer.name, size: font), sizeWidth = textWidth(size, size: small)
                let both = max(nameWidth, sizeWidth) + 6, lines = font + small + 8
                let upright = "rotate(-90 \(fixed(cx)) \(fixed(cy)))"
                if box.width >= both, box.height >= lines {
                    labels = [text(cx, cy - 2, name, size: font, anchor: "middle"),
                              text(cx, cy + small + 1, size, size: small, anchor: "middle", fill: "#333333")]
                } else if box.width >= nameWidth + 6, box.height >= font + 3 {
                    labels = [text(cx, cy + font * 0.35, name, size: font, anchor: "middle")]
                } else if box.height >= both, box.width >= lines {
                    labels = [text(cx, cy - 2, name, size: font, anchor: "middle", transform: upright),
                              text(cx, cy + small + 1, size, size: small, anchor: "middle", fill: "#333333", transform: upright)]
                } else if box.height >= nameWidth + 6, box.width >= font + 3 {
                    labels = [text(cx + font * 0.35, cy, name, size: font, anchor: "middle",
                                   transform: "rotate(-90 \(fixed(cx + font * 0.35)) \(fixed(cy)))")]
                }
            }
            if !labels.isEmpty {
                out.append("<g><title>\(escape(box.tip))</title>" + labels.joined() + "</g>")
            }
        }

        // Plot frame and x axis (steps).
        out.append("<rect x=\"\(fixed(left))\" y=\"\(fixed(top))\" width=\"\(fixed(plotWidth))\" height=\"\(fixed(plotHeight))\" "
                   + "fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>")
        for step in 0..<layout.steps {
            let cx = x(step) + stepWidth / 2, ly = top + plotHeight + 14
            let label = clip(layout.name(step).isEmpty ? String(step) : layout.name(step), 32)
            let isPeak = step == layout.peakStep
            out.append(text(cx, ly, escape(label), size: 11, anchor: "end", fill: isPeak ? "#8a5a00" : "#333333",
                            weight: isPeak ? "bold" : nil, transform: "rotate(-45 \(fixed(cx)) \(fixed(ly)))"))
        }
        out.append(text(left + plotWidth / 2, height - 10, "execution step", size: 12, anchor: "middle", fill: "#333333"))
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Shared layout

    struct Layout {
        /// Buffers in reading order: by first step, then name.
        var buffers: [BufferLifetime]
        var stepNames: [String]
        var steps: Int
        /// Arena bytes in use at each step: the union of the live buffers'
        /// address ranges, so buffers overlapping in place count once.
        var live: [Int]
        var peakStep: Int
        /// The highest end offset of any buffer.
        var top: Int

        init(_ plan: ArenaPlan, _ buffers: [BufferLifetime], stepNames: [String]) {
            self.buffers = buffers.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
            self.stepNames = stepNames
            steps = max(stepNames.count, (buffers.map(\.lastUse).max() ?? -1) + 1)
            var ranges = [[(Int, Int)]](repeating: [], count: steps)
            for buffer in buffers where buffer.lastUse >= 0 && buffer.bytes > 0 {
                let start = plan.offset(of: buffer.id) ?? 0
                for step in max(buffer.firstUse, 0)...buffer.lastUse { ranges[step].append((start, start + buffer.bytes)) }
            }
            live = ranges.map { step in
                var used = 0
                var end = Int.min
                for (a, b) in step.sorted(by: { $0.0 < $1.0 }) {
                    used += max(0, b - max(a, end))
                    end = max(end, b)
                }
                return used
            }
            var peak = 0
            for step in live.indices where live[step] > live[peak] { peak = step }
            peakStep = peak
            top = buffers.map { (plan.offset(of: $0.id) ?? 0) + $0.bytes }.max() ?? 0
        }

        func name(_ step: Int) -> String {
            step < stepNames.count ? stepNames[step] : ""
        }
    }

    // MARK: Formatting

    static let keys = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func keyCharacter(_ index: Int) -> Character {
        index < keys.count ? keys[index] : "#"
    }

    /// 1234567 -> "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// A non-negative value with a fixed number of decimals and grouped thousands.
    static func grouped(_ value: Double, decimals: Int) -> String {
        let text = fixed(value, decimals)
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = grouped(Int(parts[0]) ?? 0)
        return parts.count == 2 ? whole + "." + parts[1] : whole
    }

    /// Bytes as KiB with one decimal, thousands grouped: 2333760 -> "2,279.1".
    static func kib(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 512) / 1024
        return "\(grouped(tenths / 10)).\(tenths % 10)"
    }

    static func percent(_ value: Int, of base: Int) -> String {
        guard base > 0 else { return "-" }
        return fixed(Double(value) * 100 / Double(base), 1) + "%"
    }

    /// `value` rounded half away from zero to `decimals` digits, without exponent.
    static func fixed(_ value: Double, _ decimals: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        var digits = String(scaled)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (value < 0 && scaled != 0 ? "-" : "") + digits
    }

    /// A round tick step (1, 2 or 5 times a power of ten) at least `minimum`, and the decimals it needs.
    static func tickStep(_ minimum: Double) -> (step: Double, decimals: Int) {
        guard minimum > 0 else { return (1, 0) }
        var exponent = 0
        var power = 1.0
        while power > minimum, exponent > -9 {
            power /= 10
            exponent -= 1
        }
        while power * 10 <= minimum {
            power *= 10
            exponent += 1
        }
        for factor in [1.0, 2.0, 5.0] where power * factor >= minimum {
            return (power * factor, max(-exponent, 0))
        }
        return (power * 10, max(-(exponent + 1), 0))
    }

    static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// At most `width` characters, keeping the end (where names differ) after a '~'.
    static func clip(_ text: String, _ width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        return "~" + String(text.suffix(width - 1))
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Rough width of Helvetica text: enough to decide whether a label fits.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.58
    }

    static func text(_ x: Double, _ y: Double, _ content: String, size: Double, anchor: String = "start",
                     fill: String = "#111111", weight: String? = nil, transform: String? = nil) -> String {
        var attributes = "x=\"\(fixed(x))\" y=\"\(fixed(y))\" font-size=\"\(fixed(size, 0))\" fill=\"\(fill)\""
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let transform { attributes += " transform=\"\(transform)\"" }
        return "<text \(attributes)>\(content)</text>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                     dash: String? = nil) -> String {
        var attributes = "x1=\"\(fixed(x1))\" y1=\"\(fixed(y1))\" x2=\"\(fixed(x2))\" y2=\"\(fixed(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(fixed(width, 2))\""
        if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
        return "<line \(attributes)/>"
    }

    /// A light colour fixed by the name (FNV-1a), as `#rrggbb`.
    static func colour(_ name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hue = Double(hash % 360)
        let saturation = 0.45 + Double((hash >> 16) % 25) / 100
        let lightness = 0.70 + Double((hash >> 32) % 10) / 100
        // HSL to RGB.
        let chroma = (1 - abs(2 * lightness - 1)) * saturation
        let h = hue / 60
        let secondary = chroma * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double)
        switch Int(h) {
        case 0: (r, g, b) = (chroma, secondary, 0)
        case 1: (r, g, b) = (secondary, chroma, 0)
        case 2: (r, g, b) = (0, chroma, secondary)
        case 3: (r, g, b) = (0, secondary, chroma)
        case 4: (r, g, b) = (secondary, 0, chroma)
        default: (r, g, b) = (chroma, 0, secondary)
        }
        let m = lightness - chroma / 2
        let hex = Array("0123456789abcdef")
        var out = "#"
        for channel in [r, g, b] {
            let v = min(max(Int(((channel + m) * 255).rounded()), 0), 255)
            out.append(hex[v / 16])
            out.append(hex[v % 16])
        }
        return out
    }
}

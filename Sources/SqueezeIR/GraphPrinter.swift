/// A stable textual form of a graph, for `squeezec dump` and golden tests.
///
///     graph squeezenet1.1
///     input %data : float32[1x224x224x3]
///     const conv1.weight : float32[64x3x3x3] fnv=0x1234abcd
///     %conv1 = conv2d(%data; conv1.weight, conv1.bias) out=64 kernel=3 stride=2 pad=0 : float32[1x111x111x64]
///     output %prob
public enum GraphPrinter {
    public static func print(_ graph: Graph, fingerprints: Bool = true) -> String {
        var lines: [String] = ["graph \(graph.name)"]
        for input in graph.inputs {
            lines.append("input %\(input.name) : \(input.type)")
        }
        for name in graph.constants.keys.sorted() {
            let constant = graph.constants[name]!
            var line = "const \(name) : \(constant.type)"
            if fingerprints { line += " fnv=" + hex(fingerprint(constant.storage)) }
            lines.append(line)
        }
        for node in graph.nodes {
            var line = "%\(node.output) = \(node.op.name)("
            line += node.inputs.map { "%" + $0 }.joined(separator: ", ")
            if !node.parameters.isEmpty { line += "; " + node.parameters.joined(separator: ", ") }
            line += ")"
            let attributes = attributeText(node.op)
            if !attributes.isEmpty { line += " " + attributes }
            if node.name != node.output { line += " name=\(node.name)" }
            if let type = graph.valueTypes[node.output] { line += " : \(type)" }
            lines.append(line)
        }
        for output in graph.outputs { lines.append("output %\(output)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func attributeText(_ op: Op) -> String {
        switch op {
        case .conv2d(let a):
            return convText(a) + poolText(a.pool)
        case .fire(let a):
            var text = "squeeze={\(convText(a.squeeze))} expand1x1={\(convText(a.expand1x1))} expand3x3={\(convText(a.expand3x3))}"
            if !a.expand1x1First { text += " expand3x3_first" }
            return text + poolText(a.pool)
        case .maxPool(let a), .avgPool(let a):
            var text = "kernel=\(a.kernel) stride=\(a.stride) pad=\(a.padding)"
            if a.ceilMode { text += " ceil" }
            if case .avgPool = op, a.countIncludePad { text += " count_include_pad" }
            return text
        case .dropout(let ratio):
            return "ratio=\(ratio)"
        case .relu, .globalAvgPool, .concat, .add, .flatten, .softmax:
            return ""
        case .activation(let a):
            return a.parameterText
        case .affine(let channels):
            return "channels=\(channels)"
        case .pad(let p, let value):
            return "pad=\(p)" + (value == 0 ? "" : " value=\(value)")
        }
    }

    static func convText(_ a: Conv2DAttributes) -> String {
        var text = "out=\(a.outChannels) kernel=\(a.kernel) stride=\(a.stride) pad=\(a.padding)"
        if !a.hasBias { text += " nobias" }
        if a.groups != 1 { text += " groups=\(a.groups)" }
        if a.activation != .none { text += " \(a.activation.name)" + (a.activation.parameterText.isEmpty ? "" : "(\(a.activation.parameterText))") }
        return text
    }

    static func poolText(_ pool: FusedPool?) -> String {
        switch pool {
        case nil: ""
        case .max(let p): " maxpool={kernel=\(p.kernel) stride=\(p.stride) pad=\(p.padding)\(p.ceilMode ? " ceil" : "")}"
        case .globalAverage: " global_avgpool"
        }
    }

    /// FNV-1a over the little-endian bytes of the data.
    public static func fingerprint(_ storage: TensorStorage) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        func mix(_ byte: UInt8) {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        switch storage {
        case .float32(let values):
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { $0.forEach(mix) } }
        case .int8(let values):
            for v in values { mix(UInt8(bitPattern: v)) }
        case .int32(let values):
            for v in values { withUnsafeBytes(of: v.littleEndian) { $0.forEach(mix) } }
        }
        return hash
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

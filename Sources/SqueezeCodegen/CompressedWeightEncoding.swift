import SqueezeIR
import SqueezeQuant

/// Compressed convolution weights (`CompressedLayout`, Templates/sq_decode.h)
/// over a dense encoding: the layers the plan names are stored as a table,
/// packed indices, a bitmask, raw values and block offsets, in the dense
/// encoding's packed order; every other array (biases, requantisation
/// tables) and every other layer is the dense encoding's.
public struct CompressedWeightEncoding: WeightEncoding {
    let dense: any WeightEncoding
    let plan: WeightStoragePlan
    let quantized: Bool

    public init(dense: any WeightEncoding, plan: WeightStoragePlan, quantized: Bool) {
        self.dense = dense
        self.plan = plan
        self.quantized = quantized
    }

    public func layoutDescription(totalBytes: Int) -> [String] {
        var lines = dense.layoutDescription(totalBytes: totalBytes)
        guard !plan.isEmpty else { return lines }
        lines += ["",
                  "\(plan.layers.count) convolution(s) are stored compressed (sq_decode.h, docs/compression.md):",
                  "t_: codebook table, i_: packed indices, k_: bitmask of the stored elements,",
                  "v_: stored raw values, f_: stored elements before each block of output channels."]
        for (name, layout) in plan.layers.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(CPrinter.safe(name)): \(layout.format.weightFormat), \(layout.block) channels per block, "
                         + "\(layout.bytes) bytes (dense \(layout.denseBytes))")
        }
        return lines
    }

    public func encodeConvolution(weight: String, bias: String?, in graph: Graph) throws(Diagnostic) -> [EncodedArray] {
        let arrays = try dense.encodeConvolution(weight: weight, bias: bias, in: graph)
        guard let layout = plan.layers[weight] else { return arrays }
        let tensor = try tensor(weight, graph)
        let d = tensor.shape.dims
        var compressed: [EncodedArray]
        if quantized {
            guard case .int8(let codes) = tensor.storage else { throw .internal("weight '\(weight)' must be an int8 OHWI tensor") }
            let packed = PairedInt8WeightEncoding.pack(codes, cout: d[0], kh: d[1], kw: d[2], cin: d[3])
            let parts = Self.encode(real: codes, packed: packed, layout: layout)
            compressed = try Self.arrays(parts, key: weight, valueType: "int8_t", valueBytes: 1) { values, out throws(Diagnostic) in
                IntegerLiteral.appendArrayBody(values.map(Int.init), perLine: 16, to: &out)
            }
        } else {
            guard let values = tensor.floats else { throw .internal("weight '\(weight)' must be a float32 OHWI tensor") }
            let packed = BlockedWeightEncoding.pack(values, cout: d[0], kh: d[1], kw: d[2], cin: d[3]).map(\.bitPattern)
            let parts = Self.encode(real: values.map(\.bitPattern), packed: packed, layout: layout)
            compressed = try Self.arrays(parts, key: weight, valueType: "float", valueBytes: 4) { values, out throws(Diagnostic) in
                try FloatLiteral.appendArrayBody(values.map(Float.init(bitPattern:)), to: &out)
            }
        }
        return compressed + arrays.filter { $0.role != "weights" }
    }

    /// The parts of one compressed layer.
    struct Parts<V: WeightValue> {
        var table: [V] = []
        var indices: [UInt8] = []
        var mask: [UInt8] = []
        var values: [V] = []
        var first: [Int] = []
    }

    /// `packed` (the dense layout, padding included) in `layout`'s format;
    /// tables from the `real` weights (padding elements of a codebook layer
    /// get index 0: the kernels never use them).
    static func encode<V: WeightValue>(real: [V], packed: [V], layout: CompressedLayout) -> Parts<V> {
        var parts = Parts<V>()
        func table(_ distinct: [V], bits: Int) -> [V: Int] {
            parts.table = distinct + [V](repeating: distinct.first ?? V.zero, count: (1 << bits) - distinct.count)
            var position: [V: Int] = [:]
            for (i, v) in distinct.enumerated() { position[v] = i }
            return position
        }
        switch layout.format {
        case .codebook(let bits):
            let position = table(Array(Set(real)).sorted(), bits: bits)
            parts.indices = PackedIndices.pack(packed.map { position[$0] ?? 0 }, bits: bits)
        case .sparse(let bits):
            var mask: [Int] = []
            mask.reserveCapacity(packed.count)
            var stored: [V] = []
            for (i, v) in packed.enumerated() {
                if i % layout.blockLength == 0 { parts.first.append(stored.count) }
                mask.append(v == V.zero ? 0 : 1)
                if v != V.zero { stored.append(v) }
            }
            parts.mask = PackedIndices.pack(mask, bits: 1)
            if let bits {
                let position = table(Array(Set(real.filter { $0 != V.zero })).sorted(), bits: bits)
                // + 4 zero bytes: the decoder loads 32 bits at a time.
                parts.indices = PackedIndices.pack(stored.map { position[$0]! }, bits: bits) + [0, 0, 0, 0]
            } else {
                // A C array has at least one element.
                parts.values = stored.isEmpty ? [V.zero] : stored
            }
        }
        return parts
    }

    static func arrays<V: WeightValue>(_ parts: Parts<V>, key: String, valueType: String, valueBytes: Int,
                                       literals: ([V], inout String) throws(Diagnostic) -> Void) throws(Diagnostic) -> [EncodedArray] {
        var result: [EncodedArray] = []
        func bytes(_ values: [UInt8], tag: String, role: String) {
            var body = ""
            IntegerLiteral.appendArrayBody(values.map(Int.init), perLine: 16, to: &body)
            result.append(EncodedArray(tag: tag, key: key + "." + role, role: role, cType: "uint8_t", elementBytes: 1,
                                       count: values.count, body: body))
        }
        func values(_ values: [V], tag: String, role: String) throws(Diagnostic) {
            var body = ""
            try literals(values, &body)
            result.append(EncodedArray(tag: tag, key: key + "." + role, role: role, cType: valueType, elementBytes: valueBytes,
                                       count: values.count, body: body))
        }
        if !parts.table.isEmpty { try values(parts.table, tag: "t", role: "table") }
        if !parts.indices.isEmpty { bytes(parts.indices, tag: "i", role: "indices") }
        if !parts.mask.isEmpty { bytes(parts.mask, tag: "k", role: "mask") }
        if !parts.values.isEmpty { try values(parts.values, tag: "v", role: "values") }
        if !parts.first.isEmpty {
            var body = ""
            IntegerLiteral.appendArrayBody(parts.first, perLine: 8, to: &body)
            result.append(EncodedArray(tag: "f", key: key + ".first", role: "first", cType: "uint32_t", elementBytes: 4,
                                       count: parts.first.count, body: body))
        }
        return result
    }
}

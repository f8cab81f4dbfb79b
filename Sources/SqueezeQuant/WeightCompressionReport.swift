import Foundation
import SqueezeIR

/// `analyze`'s compression table: for each convolution weight of a
/// (loaded or lowered) graph, the lossless format `WeightCompression`
/// picks, its bits per weight and bytes dense vs compressed, and the
/// totals. fp32 weights are compared by their bits, int8 weights by their
/// per-channel codes. Biases and int8 requantisation tables stay dense:
/// `otherBytes` counts them (fp32: the bias constants; int8: an int32 bias,
/// multiplier and shift per output channel, as the generated C stores
/// them). Dense bytes are the weights' own; the int8 C's paired layout
/// may pad a few more (conv1: 64 bytes).
public struct WeightCompressionReport: Sendable, Codable, Hashable {
    public struct Layer: Sendable, Codable, Hashable {
        public var name: String
        public var weights: Int
        public var distinct: Int
        public var zeros: Int
        public var format: String
        public var bitsPerWeight: Double
        public var denseBytes: Int
        public var compressedBytes: Int
        /// How the generated C stores the layer (the formats its kernels
        /// decode, `--weight-format`), and its bytes there, padding included;
        /// nil until `setStorage`.
        public var cFormat: String?
        public var cBytes: Int?

        enum CodingKeys: String, CodingKey {
            case name, weights, distinct, zeros, format
            case bitsPerWeight = "bits_per_weight"
            case denseBytes = "dense_bytes"
            case compressedBytes = "compressed_bytes"
            case cFormat = "c_format"
            case cBytes = "c_bytes"
        }
    }

    public var precision: String
    public var layers: [Layer]
    public var denseBytes: Int
    public var compressedBytes: Int
    /// Parameter constants other than convolution weights (biases), dense.
    public var otherBytes: Int
    /// The conv weights as the generated C stores them (after `setStorage`).
    public var cBytes: Int?

    enum CodingKeys: String, CodingKey {
        case precision, layers
        case denseBytes = "dense_bytes"
        case compressedBytes = "compressed_bytes"
        case otherBytes = "other_bytes"
        case cBytes = "c_bytes"
    }

    /// Records how the generated C stores each layer: (format, bytes) by weight name.
    public mutating func setStorage(_ storage: [String: (format: String, bytes: Int)]) {
        for i in layers.indices {
            guard let stored = storage[layers[i].name] else { continue }
            layers[i].cFormat = stored.format
            layers[i].cBytes = stored.bytes
        }
        cBytes = layers.reduce(0) { $0 + ($1.cBytes ?? 0) }
    }

    public init(_ graph: Graph) {
        var layers: [Layer] = []
        var other = 0
        precision = graph.quantization != nil ? "int8" : "fp32"
        // Node order, each constant once.
        var seen = Set<String>()
        for node in graph.nodes {
            for name in node.parameters where seen.insert(name).inserted {
                guard let tensor = graph.constants[name] else { continue }
                let int8 = graph.quantization != nil
                // int8: the float bias is folded into the int32 bias and multiplier and the int8 shift of each output channel.
                guard tensor.shape.rank == 4 else { if !int8 { other += tensor.type.byteCount }; continue }
                let channels = tensor.shape.dims[0]
                if int8 { other += 9 * channels }
                switch tensor.storage {
                case .float32(let v):
                    layers.append(Self.layer(name, v.map(\.bitPattern), channels: channels))
                case .int8(let v):
                    layers.append(Self.layer(name, v, channels: channels))
                case .int32:
                    other += tensor.type.byteCount
                }
            }
        }
        self.layers = layers
        denseBytes = layers.reduce(0) { $0 + $1.denseBytes }
        compressedBytes = layers.reduce(0) { $0 + $1.compressedBytes }
        otherBytes = other
    }

    static func layer<V: WeightValue>(_ name: String, _ values: [V], channels: Int) -> Layer {
        // Dense always encodes, so the best exists.
        let best = WeightCompression.best(values, channels: channels)!
        return Layer(name: name, weights: values.count, distinct: Set(values).count, zeros: values.reduce(0) { $0 + ($1 == V.zero ? 1 : 0) },
                     format: best.format.description, bitsPerWeight: best.bitsPerWeight,
                     denseBytes: values.count * V.byteWidth, compressedBytes: best.byteCount)
    }

    /// The table `analyze` prints.
    public var text: String {
        var lines = ["weights (\(precision), lossless formats; docs/compression.md):"]
        let stored = cBytes != nil
        let header = ["layer", "weights", "distinct", "zeros", "format", "bits/w", "dense B", "compressed B"] + (stored ? ["in C", "C bytes"] : [])
        var rows = layers.map { l in
            [l.name, "\(l.weights)", "\(l.distinct)", "\(l.zeros)", l.format, String(format: "%.2f", l.bitsPerWeight),
             "\(l.denseBytes)", "\(l.compressedBytes)"] + (stored ? [l.cFormat ?? "?", "\(l.cBytes ?? 0)"] : [])
        }
        rows.append(["total", "\(layers.reduce(0) { $0 + $1.weights })", "", "", "", "", "\(denseBytes)", "\(compressedBytes)"]
                    + (stored ? ["", "\(cBytes ?? 0)"] : []))
        let widths = header.indices.map { c in (rows + [header]).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c == 0 || c == 4 || c == 8 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.append("  " + line(header))
        lines += rows.map { "  " + line($0) }
        lines.append("  other parameters (biases\(precision == "int8" ? ", requantisation" : ""), dense): \(otherBytes) bytes; conv weights + other: \(denseBytes + otherBytes) dense, \(compressedBytes + otherBytes) compressed")
        return lines.joined(separator: "\n") + "\n"
    }
}

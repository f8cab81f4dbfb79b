import SqueezeIR
import SqueezeMemory
import SqueezeQuant

/// The weight storage of a generated model: which convolutions are stored
/// compressed and how (`CompressedLayout`), decided from the weight values
/// alone (lossless: the kernels decode exactly the dense layout's values).
///
/// Per layer the candidates are the formats the kernels decode: a codebook
/// of the layer's distinct values (one table per layer: per-channel tables
/// are not decoded, see `WeightCompression` for the evidence), a bitmask of
/// the zeros with the others raw, or both. The smallest wins if it takes at
/// most 3/4 of the dense bytes (`savingLimit`); otherwise, and always under
/// `WeightStoragePolicy.dense`, the layer stays dense.
///
/// Blocks: as many output channels as fit in the decode budget (8 KiB or
/// `Graph.decodeScratchBytes`, including the decoders' tables of up to 1,536 bytes), at least
/// one pair (int8) or block of four (fp32), all of them when they fit.
public struct WeightStoragePlan: Sendable {
    public private(set) var layers: [String: CompressedLayout] = [:]

    public static let savingLimit = 0.75
    /// The decoders' tables ahead of the decoded block (sq_decode.h): the
    /// set-bit positions of every mask byte (built once per inference, when
    /// a layer is sparse) and the code pairs of an int8 4-bit codebook
    /// (built per call).
    public static let positionBytes = 1024
    public static let pairBytes = 512

    /// Byte offsets in the decode scratch: the pair table and the decoded block.
    public private(set) var pairsOffset = 0
    public private(set) var dataOffset = 0
    /// Whether a layer is sparse (the run function builds the position table).
    public var needsPositions: Bool {
        layers.values.contains { if case .sparse = $0.format { true } else { false } }
    }
    /// The default decode budgets (`Graph.decodeScratchBytes` overrides).
    public static let int8DecodeBudget = 8192
    public static let fp32DecodeBudget = 8192

    /// The decode budget of `graph`: its own, else the precision's default.
    public static func decodeBudget(of graph: Graph) -> Int {
        graph.decodeScratchBytes ?? (graph.quantization != nil ? int8DecodeBudget : fp32DecodeBudget)
    }

    public var isEmpty: Bool { layers.isEmpty }

    /// No layer compressed.
    public init() {}

    /// The plan of a lowered graph (fp32, or int8 codes when quantised).
    public init(graph: Graph) {
        guard graph.weightStorage == .auto else { return }
        let quantized = graph.quantization != nil
        let budget = Self.decodeBudget(of: graph)
        var weights: [(String, Tensor)] = []
        // Grouped convolutions' weights stay dense (the grouped kernels do not decode).
        var seen = GroupedConvolution.weights(in: graph)
        for node in graph.nodes {
            for name in node.parameters where !seen.contains(name) {
                seen.insert(name)
                guard let tensor = graph.constants[name], tensor.shape.rank == 4 else { continue }
                weights.append((name, tensor))
            }
        }
        // The formats first (with the largest work area), then the work area
        // they need, then the blocks that fit beside it.
        for (name, tensor) in weights {
            if let layout = Self.layout(tensor, quantized: quantized, name: name, workBytes: Self.positionBytes + Self.pairBytes,
                                      budget: budget) {
                layers[name] = layout
            }
        }
        let pairs = quantized && layers.values.contains { $0.format == .codebook(bits: 4) }
        pairsOffset = needsPositions ? Self.positionBytes : 0
        dataOffset = pairsOffset + (pairs ? Self.pairBytes : 0)
        for (name, tensor) in weights where layers[name] != nil {
            layers[name] = Self.layout(tensor, quantized: quantized, name: name, workBytes: dataOffset, budget: budget)
        }
    }

    /// The compressed layout of one OHWI weight tensor, or nil (dense).
    /// (A tensor of the wrong element type stays dense: the dense encoding reports it.)
    static func layout(_ tensor: Tensor, quantized: Bool, name: String, workBytes: Int, budget: Int) -> CompressedLayout? {
        let d = tensor.shape.dims
        let (cout, k) = (d[0], d[1] * d[2] * d[3])
        guard cout > 0, k > 0 else { return nil }
        let elementBytes: Int
        let block: Int, blockLength: Int, length: Int
        let distinct: Int, zeros: Int
        if quantized {
            guard case .int8(let codes) = tensor.storage else { return nil }
            elementBytes = 1
            let k4 = PairedInt8WeightEncoding.paddedK(kh: d[1], kw: d[2], cin: d[3])
            let channels = (cout + 1) / 2 * 2
            block = min(channels, max(2, (budget - workBytes) / k4 / 2 * 2))
            blockLength = block * k4
            length = PairedInt8WeightEncoding.packedCount(cout: cout, kh: d[1], kw: d[2], cin: d[3])
            distinct = Set(codes).count
            zeros = codes.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        } else {
            guard let values = tensor.floats else { return nil }
            elementBytes = 4
            let channels = (cout + 3) / 4 * 4
            block = min(channels, max(4, (budget - workBytes) / (4 * k) / 4 * 4))
            blockLength = block * k
            length = BlockedWeightEncoding.packedCount(cout: cout, kh: d[1], kw: d[2], cin: d[3])
            distinct = Set(values.map(\.bitPattern)).count
            zeros = values.reduce(0) { $0 + ($1.bitPattern == 0 ? 1 : 0) }
        }
        // Bit offsets of the decoders are 32-bit.
        guard length <= Int(Int32.max) / 8 else { return nil }
        let dense = length * elementBytes
        let blocks = (length + blockLength - 1) / blockLength
        let stored = cout * k - zeros
        let mask = (length + 7) / 8
        var candidates: [(CompressedLayout.Format, Int)] = []
        if let bits = WeightCompression.bits(for: distinct) {
            candidates.append((.codebook(bits: bits), (1 << bits) * elementBytes + (length * bits + 7) / 8))
        }
        if zeros > 0 {
            candidates.append((.sparse(bits: nil), mask + stored * elementBytes + 4 * blocks))
            if stored > 0, let bits = WeightCompression.bits(for: distinct - 1) {
                candidates.append((.sparse(bits: bits), mask + (1 << bits) * elementBytes + (stored * bits + 7) / 8 + 4 + 4 * blocks))
            }
        }
        guard let best = candidates.min(by: { $0.1 < $1.1 }), Double(best.1) <= savingLimit * Double(dense) else { return nil }
        return CompressedLayout(format: best.0, block: block, blockLength: blockLength, length: length,
                                decodedBytes: workBytes + blockLength * elementBytes, bytes: best.1, denseBytes: dense)
    }
}

extension WeightStoragePlan {
    /// The decode scratch of a stage's compressed convolutions (one buffer
    /// of `library`'s kernels, shared by all stages and live for the whole
    /// inference, as large as the largest block), or nil.
    public func decodeScratch(for stage: StreamStage, library: String) -> ScratchRequest? {
        let bytes = stage.parameters.compactMap { layers[$0]?.decodedBytes }.max()
        guard let bytes else { return nil }
        return ScratchRequest(id: .kernelScratch(KernelScratchKind(library: library, role: .decodedWeights)), bytes: bytes,
                              alignment: 8, lifetime: .inference)
    }
}

extension WeightStoragePlan {
    /// Every conv weight of `graph` as the generated C stores it: its
    /// format (`dense` or the compressed one) and bytes, padding included.
    public static func storedWeights(_ graph: Graph) -> [String: (format: String, bytes: Int)] {
        let plan = WeightStoragePlan(graph: graph)
        var result: [String: (format: String, bytes: Int)] = [:]
        for (name, tensor) in graph.constants where tensor.shape.rank == 4 {
            if let layout = plan.layers[name] {
                result[name] = (layout.format.weightFormat.description, layout.bytes)
                continue
            }
            let d = tensor.shape.dims
            result[name] = graph.quantization != nil
                ? ("dense", PairedInt8WeightEncoding.packedCount(cout: d[0], kh: d[1], kw: d[2], cin: d[3]))
                : ("dense", 4 * BlockedWeightEncoding.packedCount(cout: d[0], kh: d[1], kw: d[2], cin: d[3]))
        }
        return result
    }
}

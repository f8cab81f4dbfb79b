import SqueezeIR

/// Post-training weight compression (`--prune`, `--codebook`): applied to
/// the loaded model's convolution weights before anything else runs.
public struct CompressionOptions: Sendable, Hashable {
    /// Fraction of each layer's weights pruned by magnitude, in [0, 1).
    public var sparsity: Double?
    /// Shared values per layer: 2^bits, bits in 2...8.
    public var codebookBits: Int?
    /// How the generated C stores the weights (`--weight-format`).
    public var storage: WeightStoragePolicy

    public init(sparsity: Double? = nil, codebookBits: Int? = nil, storage: WeightStoragePolicy = .auto) {
        self.sparsity = sparsity
        self.codebookBits = codebookBits
        self.storage = storage
    }

    /// No pruning and no sharing (the storage policy changes no weight).
    public var isEmpty: Bool { sparsity == nil && codebookBits == nil }

    public static let bitRange = 2...8

    /// Usage errors naming the option.
    public func check() throws(Diagnostic) {
        if let sparsity, !(sparsity >= 0 && sparsity < 1) {
            throw .usage("--prune \(sparsity): the sparsity is a fraction in [0, 1) (0.66 zeroes two thirds of each layer)")
        }
        if let codebookBits, !Self.bitRange.contains(codebookBits) {
            throw .usage("--codebook \(codebookBits): bits per shared weight must be 2...8")
        }
    }
}

import Foundation
import SqueezeIR

/// Post-training weight compression (`--prune`, `--codebook` and their
/// per-layer overrides `--prune-layer NAME=S`, `--codebook-layer NAME=BITS`):
/// applied to the loaded model's convolution weights before anything else
/// runs. A layer override replaces the global setting for that layer and
/// applies without it too; layer names are resolved against the graph by
/// `WeightCompressionPass` (a conv layer's node name, as `analyze` prints it,
/// or its weight's name).
public struct CompressionOptions: Sendable, Hashable {
    /// Fraction of each layer's weights pruned by magnitude, in [0, 1).
    public var sparsity: Double?
    /// Shared values per layer: 2^bits, bits in 2...8.
    public var codebookBits: Int?
    /// Per-layer sparsity by layer name, over `sparsity` (0: not pruned).
    public var layerSparsity: [String: Double]
    /// Per-layer bits by layer name, over `codebookBits`; a nil value leaves
    /// the layer unshared (`NAME=none`).
    public var layerCodebookBits: [String: Int?]
    /// How the generated C stores the weights (`--weight-format`).
    public var storage: WeightStoragePolicy
    /// The most RAM the decode buffer of the compressed layers may take
    /// (`--decode-scratch`; nil: the default, 16 KiB fp32, 8 KiB int8).
    public var decodeScratch: Int?

    public init(sparsity: Double? = nil, codebookBits: Int? = nil, layerSparsity: [String: Double] = [:],
                layerCodebookBits: [String: Int?] = [:], storage: WeightStoragePolicy = .auto, decodeScratch: Int? = nil) {
        self.sparsity = sparsity
        self.codebookBits = codebookBits
        self.layerSparsity = layerSparsity
        self.layerCodebookBits = layerCodebookBits
        self.storage = storage
        self.decodeScratch = decodeScratch
    }

    /// No pruning and no sharing (the storage policy changes no weight).
    public var isEmpty: Bool { sparsity == nil && codebookBits == nil && layerSparsity.isEmpty && layerCodebookBits.isEmpty }

    public static let bitRange = 2...8

    /// Usage errors naming the option.
    public func check() throws(Diagnostic) {
        if let sparsity { try Self.checkSparsity(sparsity, option: "--prune \(sparsity)") }
        if let codebookBits { try Self.checkBits(codebookBits, option: "--codebook \(codebookBits)") }
        if let decodeScratch, !SizeLimits.decodeScratch.contains(decodeScratch) {
            throw .usage("--decode-scratch \(decodeScratch): the decode buffer is \(SizeLimits.decodeScratch.lowerBound)...\(SizeLimits.decodeScratch.upperBound) bytes")
        }
        for (name, sparsity) in layerSparsity.sorted(by: { $0.key < $1.key }) {
            try Self.checkSparsity(sparsity, option: "--prune-layer \(name)=\(sparsity)")
        }
        for (name, bits) in layerCodebookBits.sorted(by: { $0.key < $1.key }) {
            if let bits { try Self.checkBits(bits, option: "--codebook-layer \(name)=\(bits)") }
        }
    }

    static func checkSparsity(_ sparsity: Double, option: String) throws(Diagnostic) {
        guard sparsity >= 0 && sparsity < 1 else {
            throw .usage("\(option): the sparsity is a fraction in [0, 1) (0.66 zeroes two thirds of each layer)")
        }
    }

    static func checkBits(_ bits: Int, option: String) throws(Diagnostic) {
        guard bitRange.contains(bits) else { throw .usage("\(option): bits per shared weight must be 2...8") }
    }

    // MARK: per-layer overrides

    /// Adds `--prune-layer NAME=SPARSITY`.
    public mutating func addPruneOverride(_ text: String) throws(Diagnostic) {
        let option = "--prune-layer \(text)"
        let (name, value) = try Self.split(text, option: option, example: "fire9/expand3x3=0.5")
        guard let sparsity = Double(value) else {
            throw .usage("\(option): '\(value)' is not a sparsity (a fraction in [0, 1), e.g. \(name)=0.5)")
        }
        try Self.checkSparsity(sparsity, option: option)
        guard layerSparsity[name] == nil else { throw .usage("\(option): layer '\(name)' is given twice") }
        layerSparsity[name] = sparsity
    }

    /// Adds `--codebook-layer NAME=BITS` (`NAME=none`: not shared).
    public mutating func addCodebookOverride(_ text: String) throws(Diagnostic) {
        let option = "--codebook-layer \(text)"
        let (name, value) = try Self.split(text, option: option, example: "conv10=6 or conv1=none")
        let bits: Int?
        if value == "none" {
            bits = nil
        } else if let parsed = Int(value) {
            try Self.checkBits(parsed, option: option)
            bits = parsed
        } else {
            throw .usage("\(option): '\(value)' is not a number of bits (2...8) or 'none'")
        }
        guard layerCodebookBits[name] == nil else { throw .usage("\(option): layer '\(name)' is given twice") }
        layerCodebookBits[name] = .some(bits)
    }

    /// NAME=VALUE, both non-empty (split at the last '=': layer names hold '/' and '.', never '=').
    static func split(_ text: String, option: String, example: String) throws(Diagnostic) -> (String, String) {
        guard let eq = text.lastIndex(of: "="), eq != text.startIndex, text.index(after: eq) != text.endIndex else {
            throw .usage("\(option): expected NAME=VALUE with a conv layer name as 'squeezec analyze' prints it (e.g. \(example))")
        }
        return (String(text[..<eq]).trimmingCharacters(in: .whitespaces), String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces))
    }

    // MARK: recording

    /// One line for reports and settings, e.g. `prune 0.66, codebook 4,
    /// prune-layer conv1=0, codebook-layer conv10=none`; `none` when empty.
    public var summary: String {
        var parts: [String] = []
        if let sparsity { parts.append("prune \(Self.format(sparsity))") }
        if let codebookBits { parts.append("codebook \(codebookBits)") }
        for (name, s) in layerSparsity.sorted(by: { $0.key < $1.key }) { parts.append("prune-layer \(name)=\(Self.format(s))") }
        for (name, b) in layerCodebookBits.sorted(by: { $0.key < $1.key }) { parts.append("codebook-layer \(name)=\(b.map(String.init) ?? "none")") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// The options as JSON values (`analyze --json`'s `compression`):
    /// `prune` and `codebook` (null when not given), `prune_layers` {name:
    /// sparsity}, `codebook_layers` {name: bits, or null for none}.
    public var jsonObject: [String: Any] {
        [
            "prune": sparsity.map { $0 as Any } ?? NSNull(),
            "codebook": codebookBits.map { $0 as Any } ?? NSNull(),
            "prune_layers": layerSparsity,
            "codebook_layers": layerCodebookBits.mapValues { $0.map { $0 as Any } ?? NSNull() },
        ]
    }

    /// 0.66 rather than 0.66000000000000003; whole numbers as 0.
    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : "\(x)"
    }
}

/// How the generated C stores convolution weights (`--weight-format`;
/// docs/compression.md).
public enum WeightStoragePolicy: String, Sendable, Hashable, CaseIterable {
    /// Per layer, the smallest exact format the kernels decode (a
    /// codebook, a bitmask of the zeros, or both), when it takes at most
    /// three quarters of the dense bytes; else dense.
    case auto
    /// Every layer dense: no decoding, the fastest code.
    case dense
}

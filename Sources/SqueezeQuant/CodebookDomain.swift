/// What `--codebook` shares: the fp32 weights themselves (fp32 builds:
/// `KMeansCodebook`, one table of floats per layer) or the int8 codes the
/// kernels multiply (int8 builds: `Int8CodeSharing`, one table of codes per
/// layer, each output channel keeping its scale).
public enum CodebookDomain: Sendable, Hashable {
    case float
    case int8Codes
}

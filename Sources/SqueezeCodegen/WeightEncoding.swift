import SqueezeIR

/// One const array of the weights file, already encoded: its C element
/// type, size and initialiser text. Any encoding (a packed layout, a
/// codebook's indices, a sparse format's offsets) is stored the same way.
public struct EncodedArray: Sendable, Equatable {
    /// Short tag in the array's C name (`<prefix>_<tag>_<key>`): `w` for
    /// graph parameters, others for derived arrays (`b`, `m`, `s`).
    public var tag: String
    /// What the array holds (a graph parameter or `<parameter>.<role>`); also its comment.
    public var key: String
    /// The role the kernel gives it (`weights`, `bias`, `multiplier`, `shift`, ...).
    public var role: String
    public var cType: String
    public var elementBytes: Int
    public var count: Int
    /// The initialiser's body (the lines between the braces).
    public var body: String

    public var byteCount: Int { count * elementBytes }
}

/// How a convolution's weights are stored for one kernel family: the
/// arrays it encodes from the graph's tensors and the layout description
/// for the weights file. Today's two are `BlockedWeightEncoding` (fp32)
/// and `PairedInt8WeightEncoding` (int8); a compressed format is one more
/// conformance plus the kernels that read it.
public protocol WeightEncoding: Sendable {
    /// Lines describing the layout, for the banner of `<prefix>_weights.c`.
    func layoutDescription(totalBytes: Int) -> [String]
    /// The arrays of one convolution (weights first). `bias` is the bias
    /// parameter, if the convolution has one.
    func encodeConvolution(weight: String, bias: String?, in graph: Graph) throws(Diagnostic) -> [EncodedArray]
}

extension WeightEncoding {
    func tensor(_ name: String, _ graph: Graph) throws(Diagnostic) -> Tensor {
        guard let tensor = graph.constants[name] else { throw Diagnostic.internal("parameter '\(name)' is missing") }
        return tensor
    }
}

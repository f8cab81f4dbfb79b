import SqueezeIR

/// The names of the const arrays one convolution call reads, by role
/// (`weights`, `bias`, and for int8 `multiplier`, `shift`).
struct ConvArrays {
    /// The convolution's weight parameter.
    var weight: String
    var names: [String: String]

    /// The array of `role`, or `NULL` (e.g. a convolution without bias).
    subscript(role: String) -> String { names[role] ?? "NULL" }
}

/// The const arrays of a generated model, each with a C name, as one
/// `WeightEncoding` encoded them. The table only names and stores arrays;
/// what they hold is the encoding's business.
struct WeightTable {
    struct Array {
        var cName: String
        var encoded: EncodedArray
        /// The parameter (and role) the array came from, for comments.
        var source: String { encoded.key }
    }

    private(set) var arrays: [Array] = []
    private var names: [String: String] = [:]
    private var convolutions: [String: ConvArrays] = [:]
    private var identifiers = CIdentifier()
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix
    }

    /// The arrays of a convolution, encoded and added on first use.
    mutating func convolution(weight: String, bias: String?, in graph: Graph, encoding: any WeightEncoding) throws(Diagnostic) -> ConvArrays {
        if let known = convolutions[weight] { return known }
        var result = ConvArrays(weight: weight, names: [:])
        for encoded in try encoding.encodeConvolution(weight: weight, bias: bias, in: graph) {
            result.names[encoded.role] = add(encoded)
        }
        convolutions[weight] = result
        return result
    }

    /// Adds one encoded array (once per key) and returns its C name.
    mutating func add(_ encoded: EncodedArray) -> String {
        if let name = names[encoded.key] { return name }
        let name = prefix + "_\(encoded.tag)_" + identifiers.identifier(for: encoded.key)
        arrays.append(Array(cName: name, encoded: encoded))
        names[encoded.key] = name
        return name
    }

    var totalBytes: Int { arrays.reduce(0) { $0 + $1.encoded.byteCount } }
}

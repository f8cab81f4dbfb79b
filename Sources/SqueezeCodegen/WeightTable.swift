import SqueezeIR

/// The const arrays of a generated model: packed convolution weights and
/// biases, each with a C name.
struct WeightTable {
    struct Array {
        var cName: String
        var values: [Float]
        /// The parameter (and role) the array came from, for comments.
        var source: String
    }

    private(set) var arrays: [Array] = []
    private var names: [String: String] = [:]
    private var identifiers = CIdentifier()
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix
    }

    /// The C name of a convolution's packed weight array (added on first use).
    mutating func convWeights(_ parameter: String, _ graph: Graph) throws(CodegenError) -> String {
        try add(parameter, in: graph) { tensor throws(CodegenError) in
            let d = tensor.shape.dims
            guard d.count == 4, let values = tensor.floats else {
                throw CodegenError("weight '\(parameter)' must be a float32 OHWI tensor")
            }
            return WeightPacker.pack(values, cout: d[0], kh: d[1], kw: d[2], cin: d[3])
        }
    }

    /// The C name of a bias array.
    mutating func bias(_ parameter: String, _ graph: Graph) throws(CodegenError) -> String {
        try add(parameter, in: graph) { tensor throws(CodegenError) in
            guard let values = tensor.floats else { throw CodegenError("bias '\(parameter)' must be float32") }
            return values
        }
    }

    private mutating func add(_ parameter: String, in graph: Graph, _ transform: (Tensor) throws(CodegenError) -> [Float]) throws(CodegenError) -> String {
        if let name = names[parameter] { return name }
        guard let tensor = graph.constants[parameter] else { throw CodegenError("parameter '\(parameter)' is missing") }
        let name = prefix + "_w_" + identifiers.identifier(for: parameter)
        arrays.append(Array(cName: name, values: try transform(tensor), source: parameter))
        names[parameter] = name
        return name
    }

    var totalBytes: Int { arrays.reduce(0) { $0 + $1.values.count * 4 } }
}

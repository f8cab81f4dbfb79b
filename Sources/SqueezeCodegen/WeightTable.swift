import SqueezeIR

/// The const arrays of a generated model: packed convolution weights and
/// biases, each with a C name.
struct WeightTable {
    /// The element type and values of one const array.
    enum Values {
        case float32([Float])
        case int8([Int8])
        case int32([Int32])

        var count: Int {
            switch self {
            case .float32(let v): v.count
            case .int8(let v): v.count
            case .int32(let v): v.count
            }
        }

        var byteCount: Int {
            switch self {
            case .float32(let v): v.count * 4
            case .int8(let v): v.count
            case .int32(let v): v.count * 4
            }
        }

        var cType: String {
            switch self {
            case .float32: "float"
            case .int8: "int8_t"
            case .int32: "int32_t"
            }
        }
    }

    struct Array {
        var cName: String
        var values: Values
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
            return .float32(WeightPacker.pack(values, cout: d[0], kh: d[1], kw: d[2], cin: d[3]))
        }
    }

    /// The C names of an int8 convolution's arrays: packed weights
    /// (`Int8WeightPacker`), corrected bias, multipliers and shifts.
    mutating func int8Conv(_ parameter: String, _ graph: Graph) throws(CodegenError) -> (w: String, b: String, m: String, s: String) {
        guard let q = graph.quantization?.convolutions[parameter] else {
            throw CodegenError("weight '\(parameter)' has no quantisation parameters")
        }
        let w = try add(parameter, in: graph) { tensor throws(CodegenError) in
            let d = tensor.shape.dims
            guard d.count == 4, case .int8(let codes) = tensor.storage else {
                throw CodegenError("weight '\(parameter)' must be an int8 OHWI tensor")
            }
            return .int8(Int8WeightPacker.pack(codes, cout: d[0], kh: d[1], kw: d[2], cin: d[3]))
        }
        let b = addDerived(parameter + ".bias", "b", .int32(q.bias))
        let m = addDerived(parameter + ".multiplier", "m", .int32(q.multipliers))
        let s = addDerived(parameter + ".shift", "s", .int32(q.shifts))
        return (w, b, m, s)
    }

    private mutating func addDerived(_ key: String, _ tag: String, _ values: Values) -> String {
        if let name = names[key] { return name }
        let name = prefix + "_\(tag)_" + identifiers.identifier(for: key)
        arrays.append(Array(cName: name, values: values, source: key))
        names[key] = name
        return name
    }

    /// The C name of a bias array.
    mutating func bias(_ parameter: String, _ graph: Graph) throws(CodegenError) -> String {
        try add(parameter, in: graph) { tensor throws(CodegenError) in
            guard let values = tensor.floats else { throw CodegenError("bias '\(parameter)' must be float32") }
            return .float32(values)
        }
    }

    private mutating func add(_ parameter: String, in graph: Graph, _ transform: (Tensor) throws(CodegenError) -> Values) throws(CodegenError) -> String {
        if let name = names[parameter] { return name }
        guard let tensor = graph.constants[parameter] else { throw CodegenError("parameter '\(parameter)' is missing") }
        let name = prefix + "_w_" + identifiers.identifier(for: parameter)
        arrays.append(Array(cName: name, values: try transform(tensor), source: parameter))
        names[parameter] = name
        return name
    }

    var totalBytes: Int { arrays.reduce(0) { $0 + $1.values.byteCount } }
}

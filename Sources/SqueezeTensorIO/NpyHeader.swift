import SqueezeIR

/// The dictionary at the start of a `.npy` file, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
struct NpyHeader: Equatable {
    /// The dtype descriptor, e.g. `<f4`.
    var descr: String
    /// True when the data is stored column-major.
    var fortranOrder: Bool
    /// The dimensions; empty for a scalar.
    var shape: [Int]

    /// The three keys NumPy writes and requires.
    static let keys: Set<String> = ["descr", "fortran_order", "shape"]

    /// Parses the header text (the bytes between the length field and the
    /// data, padding included).
    static func parse(_ text: [UInt8], file: String) throws(Diagnostic) -> NpyHeader {
        let literal = try PyLiteralParser.parse(text, file: file)
        guard case .dict(let entries) = literal else {
            throw .input("header is not a dictionary: \(MessageText.printable(literal.pythonText))", file: file)
        }
        for key in entries.keys.sorted() where !keys.contains(key) {
            throw .input("header has an unexpected key '\(MessageText.printable(key))'", file: file)
        }
        for key in keys.sorted() where entries[key] == nil {
            throw .input("header has no '\(key)' key", file: file)
        }

        guard case .string(let descr) = entries["descr"] else {
            let text = MessageText.printable(entries["descr"]?.pythonText ?? "")
            throw .unsupported("unsupported dtype \(text) (structured dtypes are not supported)", file: file)
        }
        guard case .bool(let fortranOrder) = entries["fortran_order"] else {
            let text = MessageText.printable(entries["fortran_order"]?.pythonText ?? "")
            throw .input("'fortran_order' is not True or False: \(text)", file: file)
        }
        let shapeLiteral = entries["shape"] ?? .none
        guard case .tuple(let items) = shapeLiteral else {
            throw .input("'shape' is not a tuple of integers: \(MessageText.printable(shapeLiteral.pythonText))", file: file)
        }
        let shapeText = MessageText.printable(shapeLiteral.pythonText)
        var shape: [Int] = []
        for item in items {
            guard case .integer(let dimension) = item else {
                throw .input("'shape' is not a tuple of integers: \(shapeText)", file: file)
            }
            guard dimension >= 0 else {
                throw .input("'shape' \(shapeText) has a negative dimension", file: file)
            }
            shape.append(dimension)
        }
        return NpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    /// The dictionary exactly as NumPy writes it (keys sorted, Python reprs,
    /// trailing `, }`), without padding.
    var dictionaryText: String {
        let order = fortranOrder ? "True" : "False"
        return "{'descr': '\(descr)', 'fortran_order': \(order), 'shape': \(Self.pythonTuple(shape)), }"
    }

    /// A shape as Python prints a tuple: `()`, `(5,)`, `(2, 3)`.
    static func pythonTuple(_ shape: [Int]) -> String {
        switch shape.count {
        case 0: "()"
        case 1: "(\(shape[0]),)"
        default: "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }
}

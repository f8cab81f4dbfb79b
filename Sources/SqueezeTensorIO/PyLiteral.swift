/// A Python literal value, as found in a `.npy` header.
enum PyLiteral: Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PyLiteral])
    case list([PyLiteral])
    case dict([String: PyLiteral])

    /// The value written back as Python source, for error messages.
    var pythonText: String {
        switch self {
        case .string(let value): "'\(value)'"
        case .integer(let value): String(value)
        case .bool(let value): value ? "True" : "False"
        case .none: "None"
        case .tuple(let items):
            items.count == 1
                ? "(\(items[0].pythonText),)"
                : "(" + items.map(\.pythonText).joined(separator: ", ") + ")"
        case .list(let items): "[" + items.map(\.pythonText).joined(separator: ", ") + "]"
        case .dict(let entries):
            "{" + entries.keys.sorted().map { key in
                "'\(key)': \(entries[key]?.pythonText ?? "")"
            }.joined(separator: ", ") + "}"
        }
    }
}

import SqueezeIR

/// The `static const` parameter structs of one generated model, one per
/// kernel call site (identical ones shared), named after their layer
/// (`conv_fire2_squeeze1x1`, `pool_pool1`) and printed ahead of the code
/// that passes them by pointer. A class: every emitter of one model adds to
/// the same table, also from the row-pipeline closures.
final class KernelParameterTable {
    struct Entry {
        var name: String
        var type: String
        var comment: String
        var fields: [String]
        /// Set for a `static const` array of that many elements (fields: lines of values).
        var count: Int? = nil
    }

    private(set) var entries: [Entry] = []
    /// Locals of the generated functions a struct name must not shadow.
    private var used: Set<String> = ["conv_row"]
    private var byContent: [String: String] = [:]

    init() {}

    /// The name of a struct of `type` with `fields` (designated
    /// initialisers), added on first use; `kind` and `layer` name it.
    func add(kind: String, layer: String, type: String, comment: String, fields: [String]) -> String {
        let content = type + "{" + fields.joined(separator: ",") + "}"
        if let name = byContent[content] { return name }
        let name = fresh(kind: kind, layer: layer, content: content)
        entries.append(Entry(name: name, type: type, comment: comment, fields: fields))
        return name
    }

    /// A name not used yet, `<kind>_<layer>` or with a `_2`, `_3`... suffix,
    /// recorded for `content` so equal contents share it.
    private func fresh(kind: String, layer: String, content: String) -> String {
        let base = kind + "_" + CIdentifier.sanitize(layer)
        var name = base
        var counter = 2
        while used.contains(name) {
            name = "\(base)_\(counter)"
            counter += 1
        }
        used.insert(name)
        byContent[content] = name
        return name
    }

    /// Every struct, with its comment.
    func emit(_ p: inout CPrinter) {
        guard !entries.isEmpty else { return }
        p.line()
        p.comment(["Kernel parameters, one per call site (sq_common.h and the kernels header",
                   "document the fields; sq_dims: rows, columns, channels, pixel stride, ring rows)."])
        for entry in entries {
            p.line()
            p.comment([entry.comment])
            p.scope("static const \(entry.type) \(entry.name)\(entry.count.map { "[\($0)]" } ?? "") =", trailer: ";") { p in
                for (index, field) in entry.fields.enumerated() {
                    p.line(field + (index == entry.fields.count - 1 ? "" : ","))
                }
            }
        }
    }

    /// The name of a `static const <type> name[count]` array of `values`
    /// (C literals), added on first use, printed 8 to a line.
    func addArray(kind: String, layer: String, type: String, comment: String, values: [String]) -> String {
        let content = type + "[" + values.joined(separator: ",") + "]"
        if let name = byContent[content] { return name }
        let name = fresh(kind: kind, layer: layer, content: content)
        let lines = stride(from: 0, to: values.count, by: 8).map { values[$0..<min($0 + 8, values.count)].joined(separator: ", ") }
        entries.append(Entry(name: name, type: type, comment: comment, fields: lines, count: values.count))
        return name
    }

    static func dimsFields(_ m: Map, channels: Int? = nil) -> [String] {
        [".h = \(m.h)", ".w = \(m.w)", ".c = \(channels ?? m.c)", ".stride = \(m.stride)", ".ring = \(m.ring)"]
    }

    /// `{ .h = ..., .ring = ... }` of a map (`channels`: the ones the call touches).
    static func dims(_ m: Map, channels: Int? = nil) -> String {
        "{ " + dimsFields(m, channels: channels).joined(separator: ", ") + " }"
    }

    /// `sq_window`; padding fields only when not zero (bottom/right only when the kernel reads them).
    static func window(kernel: Size2, stride: Size2, padding: Padding, bottomRight: Bool = false) -> String {
        var fields = [".k_h = \(kernel.h)", ".k_w = \(kernel.w)", ".s_h = \(stride.h)", ".s_w = \(stride.w)"]
        if padding.top != 0 { fields.append(".pad_t = \(padding.top)") }
        if padding.left != 0 { fields.append(".pad_l = \(padding.left)") }
        if bottomRight && padding.bottom != 0 { fields.append(".pad_b = \(padding.bottom)") }
        if bottomRight && padding.right != 0 { fields.append(".pad_r = \(padding.right)") }
        return "{ " + fields.joined(separator: ", ") + " }"
    }
}

import SqueezeIR
/// C literals for float constants: the shortest decimal text that reads back
/// to the same bits (Swift's `description`), with an `f` suffix.
public enum FloatLiteral {
    /// nil for infinities and NaNs (weights must be finite).
    public static func c(_ value: Float) -> String? {
        guard value.isFinite else { return nil }
        var text = value.description
        // A byte scan: Foundation's String.contains is far slower, and this
        // runs for every weight.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) { text += ".0" }
        return text + "f"
    }

    /// Appends `values` as C float literals, `perLine` a line, to `out`.
    public static func appendArrayBody(_ values: [Float], perLine: Int = 8, indent: String = "    ", to out: inout String) throws(Diagnostic) {
        for start in stride(from: 0, to: values.count, by: perLine) {
            out += indent
            let end = min(start + perLine, values.count)
            for index in start..<end {
                guard let literal = c(values[index]) else { throw Diagnostic.internal("weight value \(values[index]) is not finite") }
                out += literal
                out += index + 1 < values.count ? (index + 1 < end ? ", " : ",") : ""
            }
            out += "\n"
        }
    }
}

/// Makes text taken from a file (node and value names, keys, paths) safe
/// wherever squeezec writes it: one-line messages, C comments and C string
/// literals. A name from a file is data, never C. (C identifiers:
/// `CIdentifier`, which keeps only letters, digits and underscores.)
public enum MessageText {
    /// Control characters escaped (`\n`, `\u{1B}`), and at most `limit`
    /// characters kept, with `...` marking a cut.
    public static func printable(_ text: String, limit: Int = 80) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < limit else {
                result += "..."
                break
            }
            if scalar.properties.generalCategory == .control {
                result += scalar.escaped(asASCII: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    /// Text for the inside of a C comment: printable ASCII only (anything
    /// else escaped as `\n`, `\u{E9}`), no `/*` or `*/`, and no `??` (a
    /// trigraph could end a line in a comment).
    public static func cComment(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F {
                // Break `/*`, `*/` and `??` as they would form.
                if let last = out.unicodeScalars.last,
                   (last == "/" && scalar == "*") || (last == "*" && scalar == "/") || (last == "?" && scalar == "?") {
                    out += " "
                }
                out.unicodeScalars.append(scalar)
            } else {
                out += scalar.escaped(asASCII: true)
            }
        }
        return out
    }

    /// The inside of a C string literal: printable ASCII, `\` and `"`
    /// escaped, `?` escaped (no trigraphs), anything else as `\?`.
    public static func cString(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "?": out += "\\?"
            case " "..."~": out.unicodeScalars.append(scalar)
            default: out += "\\?"
            }
        }
        return out
    }
}

/// Makes text taken from a file safe to show in a one-line message.
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
}

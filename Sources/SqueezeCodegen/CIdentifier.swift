/// Turns layer names (`fire2/squeeze1x1`, `/features.3/Concat`) into C
/// identifiers, unique within one generated file.
public struct CIdentifier: Sendable {
    private var used: Set<String> = []
    private var assigned: [String: String] = [:]

    public init() {}

    /// `[A-Za-z0-9_]` only, no leading digit, no leading or doubled underscores.
    public static func sanitize(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
            if ok {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("_") {
                out += "_"
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { out = "layer" }
        if let first = out.unicodeScalars.first, first >= "0" && first <= "9" { out = "l" + out }
        return out
    }

    /// A stable unique identifier for `name` (the same name always gets the same one).
    public mutating func identifier(for name: String) -> String {
        if let existing = assigned[name] { return existing }
        let base = Self.sanitize(name)
        var candidate = base
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(base)_\(counter)"
            counter += 1
        }
        used.insert(candidate)
        assigned[name] = candidate
        return candidate
    }

    /// A C prefix (API names, macros): lower-case identifier.
    public static func isValidPrefix(_ prefix: String) -> Bool {
        guard let first = prefix.unicodeScalars.first, (first >= "a" && first <= "z") || (first >= "A" && first <= "Z") else { return false }
        return prefix.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
            && prefix.count <= 40
    }
}

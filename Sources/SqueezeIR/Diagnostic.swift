/// Where a problem was found: a file, a node (layer) or both.
public struct SourceLocation: Sendable, Hashable {
    public var file: String?
    public var node: String?

    public init(file: String? = nil, node: String? = nil) {
        self.file = file
        self.node = node
    }

    public static let unknown = SourceLocation()
}

/// A problem found while reading, checking or compiling a model.
///
/// Diagnostics are values: library code throws or returns them, and only the
/// command-line tool decides whether to print them and exit.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The command line is wrong: unknown model, bad option (exit status 2).
        case usage
        /// The model or an input file is wrong (exit status 1 in the CLI).
        case input
        /// The tool was asked for something it does not support.
        case unsupported
        /// An invariant of the compiler broke: a bug in squeezec.
        case `internal`
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation
    /// Longer explanation, one line each (e.g. every node of a pre-flight
    /// report); the CLI prints them with `--verbose`.
    public var details: [String] = []

    public init(_ kind: Kind = .input, _ message: String, at location: SourceLocation = .unknown) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public static func input(_ message: String, file: String? = nil, node: String? = nil) -> Diagnostic {
        Diagnostic(.input, message, at: SourceLocation(file: file, node: node))
    }

    public static func usage(_ message: String) -> Diagnostic {
        Diagnostic(.usage, message)
    }

    public static func unsupported(_ message: String, file: String? = nil, node: String? = nil) -> Diagnostic {
        Diagnostic(.unsupported, message, at: SourceLocation(file: file, node: node))
    }

    public static func `internal`(_ message: String, node: String? = nil) -> Diagnostic {
        Diagnostic(.internal, message, at: SourceLocation(node: node))
    }

    /// Same diagnostic, with the file filled in if it had none.
    public func inFile(_ file: String) -> Diagnostic {
        var copy = self
        if copy.location.file == nil { copy.location.file = file }
        return copy
    }

    /// One line: `file: layer 'name': message` (the file and node names
    /// from a model or the command line with control characters escaped).
    public var description: String {
        var parts: [String] = []
        if let file = location.file { parts.append(MessageText.printable(file, limit: 400)) }
        if let node = location.node { parts.append("layer '\(MessageText.printable(node, limit: 120))'") }
        let prefix = kind == .internal ? "internal error: " : ""
        parts.append(prefix + message)
        return parts.joined(separator: ": ")
    }
}

import Foundation
import SqueezeIR

/// Builds C source text line by line with indentation scopes, so emitters
/// never concatenate C by hand.
public struct CPrinter: Sendable {
    public private(set) var text = ""
    private var depth = 0
    public var indentUnit = "    "

    public init() {}

    public mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
            return
        }
        // Preprocessor lines stay at column 0, as C programmers write them.
        if !content.hasPrefix("#") {
            for _ in 0..<depth { text += indentUnit }
        }
        text += content
        text += "\n"
    }

    public mutating func lines(_ contents: [String]) {
        for content in contents { line(content) }
    }

    /// `/* ... */` with one line per entry, ` * ` continued.
    public mutating func comment(_ contents: [String]) {
        guard contents.count > 1 else {
            line("/* \(Self.safe(contents.first ?? "")) */")
            return
        }
        line("/*")
        for content in contents { line(content.isEmpty ? " *" : " * " + Self.safe(content)) }
        line(" */")
    }

    /// `header {` body `}` (with `trailer` after the brace, e.g. ";").
    public mutating func scope<E: Error>(_ header: String, trailer: String = "", _ body: (inout CPrinter) throws(E) -> Void) throws(E) {
        line(header.isEmpty ? "{" : header + " {")
        depth += 1
        try body(&self)
        depth -= 1
        line("}" + trailer)
    }

    /// Appends the lines of another printer at the current indentation.
    public mutating func append(_ other: CPrinter) {
        for line in other.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            self.line(line.hasPrefix("#") ? String(line) : String(line.drop { $0 == " " }).isEmpty ? "" : String(line))
        }
    }

    /// Appends preformatted text (e.g. a template) as is.
    public mutating func raw(_ content: String) {
        text += content
    }

    /// Text that cannot end a C comment early, open a nested one or leave ASCII.
    static func safe(_ text: String) -> String {
        MessageText.cComment(text)
    }
}

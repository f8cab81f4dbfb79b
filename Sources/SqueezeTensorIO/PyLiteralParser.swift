import SqueezeIR

/// Parses the subset of Python literal syntax that `.npy` headers use:
/// dicts, tuples, lists, quoted strings, integers (with the optional `L`
/// suffix old Python 2 writers added), `True`, `False` and `None`.
///
/// Like `ast.literal_eval`, `(5)` is the integer 5 and `(5,)` a tuple.
/// Every error is a `Diagnostic` naming the file; nesting depth is capped so a
/// hostile header cannot exhaust the stack.
struct PyLiteralParser {
    private let bytes: [UInt8]
    private let file: String
    private var position = 0

    /// Deeper nesting than this is rejected (real headers nest two levels).
    static let maximumDepth = 32

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Parses one literal; only whitespace may follow it.
    static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> PyLiteral {
        var parser = PyLiteralParser(bytes: bytes, file: file)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the header dictionary")
        }
        return value
    }

    // MARK: - Grammar

    private mutating func parseValue(depth: Int) throws(Diagnostic) -> PyLiteral {
        guard depth < Self.maximumDepth else {
            throw error("header is nested too deeply")
        }
        skipWhitespace()
        guard let byte = current else {
            throw error("header ends where a value was expected")
        }
        switch byte {
        case UInt8(ascii: "{"):
            return try parseDict(depth: depth)
        case UInt8(ascii: "("):
            let (items, sawComma) = try parseSequence(closing: UInt8(ascii: ")"), depth: depth)
            if items.count == 1 && !sawComma { return items[0] }
            return .tuple(items)
        case UInt8(ascii: "["):
            return .list(try parseSequence(closing: UInt8(ascii: "]"), depth: depth).items)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseInteger())
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
            return try parseName()
        default:
            throw error("unexpected \(describeCurrent())")
        }
    }

    private mutating func parseDict(depth: Int) throws(Diagnostic) -> PyLiteral {
        position += 1  // {
        var entries: [String: PyLiteral] = [:]
        while true {
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .dict(entries) }
            guard case .string(let key) = try parseValue(depth: depth + 1) else {
                throw error("header dictionary key is not a string")
            }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else {
                throw error("expected ':' after key '\(MessageText.printable(key))', found \(describeCurrent())")
            }
            let value = try parseValue(depth: depth + 1)
            guard entries[key] == nil else {
                throw error("header has the key '\(MessageText.printable(key))' twice")
            }
            entries[key] = value
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .dict(entries) }
            guard consume(UInt8(ascii: ",")) else {
                throw error("expected ',' or '}' in the header dictionary, found \(describeCurrent())")
            }
        }
    }

    /// Items up to `closing`; also reports whether any comma was seen.
    private mutating func parseSequence(closing: UInt8, depth: Int) throws(Diagnostic) -> (items: [PyLiteral], sawComma: Bool) {
        position += 1  // ( or [
        var items: [PyLiteral] = []
        var sawComma = false
        while true {
            skipWhitespace()
            if consume(closing) { return (items, sawComma) }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if consume(closing) { return (items, sawComma) }
            guard consume(UInt8(ascii: ",")) else {
                throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(describeCurrent())")
            }
            sawComma = true
        }
    }

    private mutating func parseString() throws(Diagnostic) -> String {
        let quote = bytes[position]
        position += 1
        var content: [UInt8] = []
        while let byte = current {
            position += 1
            if byte == quote {
                return String(decoding: content, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = current else { break }
                position += 1
                content.append(escaped)
            } else if byte == UInt8(ascii: "\n") {
                break
            } else {
                content.append(byte)
            }
        }
        throw error("unterminated string in header")
    }

    private mutating func parseInteger() throws(Diagnostic) -> Int {
        var negative = false
        if let sign = current, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            position += 1
            skipWhitespace()
        }
        var value = 0
        var digitCount = 0
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let digit = Int(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else {
                throw error("integer too large in header")
            }
            value = sum
            digitCount += 1
            position += 1
        }
        guard digitCount > 0 else {
            throw error("expected a digit, found \(describeCurrent())")
        }
        if let suffix = current, suffix == UInt8(ascii: "L") || suffix == UInt8(ascii: "l") {
            position += 1  // Python 2 long suffix
        }
        return negative ? -value : value
    }

    private mutating func parseName() throws(Diagnostic) -> PyLiteral {
        let start = position
        while let byte = current, Self.isNameByte(byte) {
            position += 1
        }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        switch name {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .none
        default: throw error("unexpected name '\(MessageText.printable(name, limit: 40))' in header")
        }
    }

    // MARK: - Scanning

    private var current: UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// The current character for a message: `'}'`, `byte 0x93` or `end of header`.
    private func describeCurrent() -> String {
        guard let byte = current else { return "end of header" }
        if byte >= 0x20 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x" + String(byte, radix: 16)
    }

    private func error(_ message: String) -> Diagnostic {
        .input("cannot parse header: \(message) (at offset \(position))", file: file)
    }
}

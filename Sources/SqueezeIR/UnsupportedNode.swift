/// One node a pre-flight check refuses, and the short report of many:
/// counts per op type and the first few node names in the message, the
/// full list in `Diagnostic.details` (printed by the CLI with `--verbose`).
public struct UnsupportedNode: Sendable, Hashable {
    public var name: String
    public var op: String
    public var reason: String

    public init(name: String, op: String, reason: String) {
        self.name = name
        self.op = op
        self.reason = reason
    }

    /// Node names shown in the one-line summary.
    public static let shownNames = 3

    /// `what`: "" for the importer ("unsupported nodes"), "int8" for the
    /// int8 pre-flight ("nodes without int8 support").
    public static func report(_ nodes: [UnsupportedNode], what: String, hint: String?, file: String? = nil) -> Diagnostic {
        func label(_ count: Int) -> String {
            let noun = count == 1 ? "node" : "nodes"
            return what.isEmpty ? "\(count) unsupported \(noun)" : "\(count) \(noun) without \(what) support"
        }
        if nodes.count == 1 {
            let n = nodes[0]
            var message = "\(label(1)): '\(MessageText.printable(n.name))' (\(MessageText.printable(n.op))): \(n.reason)"
            if let hint { message += "; \(hint)" }
            return Diagnostic(.unsupported, message, at: SourceLocation(file: file, node: n.name))
        }
        var counts: [String: Int] = [:]
        var order: [String] = []
        for n in nodes {
            if counts[n.op] == nil { order.append(n.op) }
            counts[n.op, default: 0] += 1
        }
        let perOp = order.map { "\(counts[$0]!) \($0.isEmpty ? "''" : MessageText.printable($0))" }.joined(separator: ", ")
        let names = nodes.prefix(shownNames).map { "'\(MessageText.printable($0.name, limit: 60))'" }.joined(separator: ", ")
        let more = nodes.count > shownNames ? ", ... (--verbose lists all \(nodes.count))" : ""
        var reasons: [String] = []
        for op in order {
            if let first = nodes.first(where: { $0.op == op }), !reasons.contains(first.reason) { reasons.append(first.reason) }
        }
        var message = "\(label(nodes.count)) (\(perOp)): \(names)\(more)"
        if reasons.count == 1 { message += "; \(reasons[0])" }
        if let hint { message += "; \(hint)" }
        var diagnostic = Diagnostic(.unsupported, message, at: SourceLocation(file: file))
        diagnostic.details = nodes.map { "'\(MessageText.printable($0.name))' (\(MessageText.printable($0.op))): \($0.reason)" }
        return diagnostic
    }
}

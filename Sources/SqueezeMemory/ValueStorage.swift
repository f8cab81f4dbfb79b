import SqueezeIR

/// Where a value lives at run time.
public enum ValueStorage: Sendable, Hashable {
    /// The caller's input buffer.
    case graphInput
    /// The caller's output buffer.
    case graphOutput
    /// A buffer in the arena (`BufferID.value` of the value, or for the
    /// stream schedule the hand-off buffer it shares).
    case arena
    /// The same memory as another value (a flatten of a 1x1 map).
    case alias(of: String)
}

/// The storage of every value of a schedule, and the one place that follows
/// aliases to the value owning the memory.
public struct ValueStorageTable: Sendable, Hashable {
    public private(set) var entries: [String: ValueStorage] = [:]

    public init() {}

    public subscript(value: String) -> ValueStorage? {
        get { entries[value] }
        set { entries[value] = newValue }
    }

    /// The value owning the memory of `value` (itself unless it is an alias).
    public func owner(of value: String) -> String {
        var value = value
        var seen = 0
        while case .alias(let source) = entries[value], seen <= entries.count {
            value = source
            seen += 1
        }
        return value
    }

    /// The storage of a value after following aliases, and the value that owns it.
    public func resolve(_ value: String) -> (owner: String, storage: ValueStorage) {
        let owner = owner(of: value)
        return (owner, entries[owner] ?? .arena)
    }

    /// Storage for the inputs, nodes (views alias their input) and outputs
    /// of `graph`, as every schedule starts: graph inputs in the caller's
    /// input buffer, `nodes` in the arena unless a view, graph outputs (and
    /// what they alias) in the caller's output buffer.
    static func standard(_ graph: Graph, nodes: [Node]) throws(Diagnostic) -> ValueStorageTable {
        var table = ValueStorageTable()
        for input in graph.inputs { table[input.name] = .graphInput }
        for node in nodes {
            table[node.output] = try isView(node, graph) ? .alias(of: node.inputs[0]) : .arena
        }
        return table
    }

    /// Graph outputs live in the caller's buffer, and so does what they alias.
    mutating func placeOutputs(_ graph: Graph) throws(Diagnostic) {
        for output in graph.outputs {
            let owner = owner(of: output)
            guard entries[owner] == .arena else {
                throw .unsupported("graph output '\(output)' is the graph input; nothing to compute")
            }
            entries[owner] = .graphOutput
        }
    }

    /// A flatten of a map with one pixel is a view: NHWC and NCHW orders agree.
    static func isView(_ node: Node, _ graph: Graph) throws(Diagnostic) -> Bool {
        guard case .flatten = node.op else { return false }
        let input = try graph.type(of: node.inputs[0]).shape
        return !input.isActivation4D || (input.h == 1 && input.w == 1)
    }
}

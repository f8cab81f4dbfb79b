import SqueezeIR

/// Where a value lives at run time.
public enum ValueStorage: Sendable, Hashable {
    /// The caller's input buffer.
    case graphInput
    /// The caller's output buffer.
    case graphOutput
    /// A buffer in the arena (named like the value).
    case arena
    /// The same memory as another value (a flatten of a 1x1 map).
    case alias(of: String)
}

/// One step of the fused schedule: one node of the optimised graph, plus
/// the scratch buffers (row rings) its fused kernel needs.
public struct ScheduledStep: Sendable, Hashable {
    public var index: Int
    public var node: Node
    /// Scratch buffers live during this step only.
    public var scratch: [BufferLifetime]

    public init(index: Int, node: Node, scratch: [BufferLifetime]) {
        self.index = index
        self.node = node
        self.scratch = scratch
    }
}

/// The execution order, the storage of every value and the lifetimes of all
/// arena buffers of a fused (optimised) graph. The code generator and the
/// analyser both read it, so they agree on what the arena holds.
public struct ExecutionSchedule: Sendable {
    public var graph: Graph
    public var steps: [ScheduledStep]
    public var storage: [String: ValueStorage]
    /// Arena buffers: activations stored in the arena and all scratch.
    public var buffers: [BufferLifetime]

    /// Bytes every arena buffer is rounded up to (and aligned at).
    public static let alignment = 16

    public init(graph: Graph) throws(Diagnostic) {
        self.graph = graph
        var storage: [String: ValueStorage] = [:]
        for input in graph.inputs { storage[input.name] = .graphInput }
        for node in graph.nodes {
            storage[node.output] = try Self.isView(node, graph) ? .alias(of: node.inputs[0]) : .arena
        }
        try Self.placeOutputs(graph, &storage)

        var steps: [ScheduledStep] = []
        var firstUse: [String: Int] = [:]
        var lastUse: [String: Int] = [:]
        func root(_ value: String) -> String {
            var value = value
            while case .alias(let source) = storage[value] { value = source }
            return value
        }
        for (index, node) in graph.nodes.enumerated() {
            for input in node.inputs { lastUse[root(input)] = index }
            let out = root(node.output)
            if firstUse[out] == nil { firstUse[out] = index }
            lastUse[out] = max(lastUse[out] ?? index, index)
            steps.append(ScheduledStep(index: index, node: node, scratch: try ScratchRules.scratch(for: node, step: index, in: graph)))
        }
        var buffers: [BufferLifetime] = []
        for (value, start) in firstUse where storage[value] == .arena {
            buffers.append(BufferLifetime(name: value, bytes: Self.rounded(try graph.type(of: value).byteCount),
                                          firstUse: start, lastUse: lastUse[value] ?? start))
        }
        buffers += steps.flatMap(\.scratch)
        self.steps = steps
        self.storage = storage
        self.buffers = buffers.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
    }

    /// Graph outputs live in the caller's buffer, and so does what they alias.
    static func placeOutputs(_ graph: Graph, _ storage: inout [String: ValueStorage]) throws(Diagnostic) {
        for output in graph.outputs {
            var value = output
            while case .alias(let source) = storage[value] { value = source }
            guard storage[value] == .arena else {
                throw .unsupported("graph output '\(output)' is the graph input; nothing to compute")
            }
            storage[value] = .graphOutput
        }
    }

    /// A flatten of a map with one pixel is a view: NHWC and NCHW orders agree.
    static func isView(_ node: Node, _ graph: Graph) throws(Diagnostic) -> Bool {
        guard case .flatten = node.op else { return false }
        let input = try graph.type(of: node.inputs[0]).shape
        return !input.isActivation4D || (input.h == 1 && input.w == 1)
    }

    static func rounded(_ bytes: Int) -> Int {
        (bytes + alignment - 1) / alignment * alignment
    }

    /// The storage of a value after following aliases, and the value that owns it.
    public func resolve(_ value: String) -> (owner: String, storage: ValueStorage) {
        var value = value
        while case .alias(let source) = storage[value] { value = source }
        return (value, storage[value] ?? .arena)
    }
}

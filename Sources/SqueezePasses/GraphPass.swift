import SqueezeIR

/// A transformation of a whole graph. Passes keep value names of everything
/// they do not remove, so reference results can be compared across passes.
public protocol GraphPass: Sendable {
    var name: String { get }
    func run(_ graph: Graph) throws(Diagnostic) -> Graph
}

extension Graph {
    /// Replaces every read of `old` (node inputs and graph outputs) by `new`.
    mutating func replaceUses(of old: String, with new: String) {
        for index in nodes.indices {
            nodes[index].inputs = nodes[index].inputs.map { $0 == old ? new : $0 }
        }
        outputs = outputs.map { $0 == old ? new : $0 }
    }

    /// True when `value` is read by exactly the node at `reader` and is not a graph output.
    func isPrivate(_ value: String, to reader: Int) -> Bool {
        guard !outputs.contains(value) else { return false }
        let readers = nodes.indices.filter { nodes[$0].inputs.contains(value) }
        return readers == [reader] && nodes[reader].inputs.filter { $0 == value }.count == 1
    }

    /// The graph with types re-inferred after a structural change.
    func reinferred() throws(Diagnostic) -> Graph {
        var copy = self
        copy.valueTypes = [:]
        return try ShapeInference.run(copy)
    }
}

import SqueezeIR
import SqueezeTensorIO

/// Puts ONNX nodes in execution order. ONNX requires topological order, but
/// files in the wild are not always sorted; a cycle is an error.
enum ONNXGraphOrder {
    /// Indices of `views` so that every node comes after the producers of
    /// its inputs; nodes already in order keep their order. Also checks that
    /// every value is written once.
    static func sort(_ views: [ONNXNodeView], constants: [String: ONNXProto.Tensor], input: String,
                     file: String) throws(Diagnostic) -> [Int] {
        var producer: [String: Int] = [:]
        for view in views {
            for output in view.outputs where !output.isEmpty {
                if constants[output] != nil || output == input || producer[output] != nil {
                    throw .input("value '\(MessageText.printable(output))' is written twice (it is also \(constants[output] != nil ? "an initializer" : output == input ? "the graph input" : "the output of another node"))",
                                 file: file, node: view.name)
                }
                producer[output] = view.index
            }
        }
        // Producers each node waits for, without repeats.
        let dependencies: [[Int]] = views.map { view in
            var seen = Set<Int>()
            return view.inputs.compactMap { name in
                guard let p = producer[name], seen.insert(p).inserted else { return nil }
                return p
            }
        }

        // Iterative depth-first search (no recursion: chains may be long);
        // a node is emitted once all its producers are.
        enum Mark { case new, open, done }
        var marks = [Mark](repeating: .new, count: views.count)
        var order: [Int] = []
        order.reserveCapacity(views.count)
        for root in views.indices where marks[root] == .new {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            marks[root] = .open
            while let top = stack.last {
                let deps = dependencies[top.node]
                if top.next < deps.count {
                    stack[stack.count - 1].next += 1
                    let dep = deps[top.next]
                    switch marks[dep] {
                    case .new:
                        marks[dep] = .open
                        stack.append((dep, 0))
                    case .open:
                        let start = stack.firstIndex { $0.node == dep } ?? 0
                        // Each stack entry reads the one above it; list them in data-flow order.
                        let cycle = [dep] + stack[(start + 1)...].reversed().map(\.node) + [dep]
                        let shown = cycle.prefix(12).map { "'\(MessageText.printable(views[$0].name))'" }
                        throw .input("nodes \(shown.joined(separator: " -> "))\(cycle.count > 12 ? " -> ..." : "") form a cycle",
                                     file: file, node: views[dep].name)
                    case .done:
                        break
                    }
                } else {
                    marks[top.node] = .done
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return order
    }
}

import SqueezeIR

/// Chooses the execution (topological) order of a branching graph that needs
/// the least activation memory.
///
/// Memory model: a value occupies its bytes (`graph.valueTypes`) from the
/// step of its producer to the step of its last reader, inclusive; graph
/// inputs from the first step, graph outputs to the last; a value nobody reads
/// only at its producer's step. A step's cost is the bytes live at it plus the
/// node's transient bytes (none unless given: e.g. scratch rings); the peak is
/// the largest step cost.
///
/// Search: dynamic programming over the sets of nodes that can have run (the
/// downward-closed sets of the graph), exact, when there are at most
/// `exhaustiveStateLimit` of them (SqueezeNet's complex bypass gives each
/// bypass 1x1 convolution the freedom to run before or after its Fire module:
/// a handful of sets per module); otherwise a greedy list scheduler that runs,
/// at each step, the ready node with the cheapest step (then the least bytes
/// left live). Among orders with the least peak the one closest to the
/// original is kept (lexicographically smallest in original node positions),
/// so a graph that is already best comes back unchanged.
public enum ExecutionOrder {
    /// Most node sets the exact search visits before falling back to the greedy scheduler.
    public static let exhaustiveStateLimit = 50_000

    /// The graph with `nodes` reordered into the order with the least peak
    /// of live activation bytes. Names, values and everything else unchanged.
    public static func best(_ graph: Graph) throws(Diagnostic) -> Graph {
        try best(graph, transientBytes: { _ in 0 })
    }

    /// As `best(_:)`, counting `transientBytes(node)` extra bytes at each node's step.
    public static func best(_ graph: Graph, transientBytes: (Node) -> Int) throws(Diagnostic) -> Graph {
        try best(graph, transientBytes: transientBytes, stateLimit: exhaustiveStateLimit)
    }

    static func best(_ graph: Graph, transientBytes: (Node) -> Int, stateLimit: Int) throws(Diagnostic) -> Graph {
        try GraphVerifier.verify(graph)
        let model = try MemoryModel(graph, transientBytes: transientBytes)
        let original = Array(0..<graph.nodes.count)
        let order = model.exhaustive(limit: stateLimit) ?? model.greedy()
        let chosen = model.peak(of: order) < model.peak(of: original) ? order : original
        var result = graph
        result.nodes = chosen.map { graph.nodes[$0] }
        do {
            try GraphVerifier.verify(result)
        } catch {
            throw .internal("execution order: the reordered graph is invalid: \(error.message)", node: error.location.node)
        }
        return result
    }

    /// The peak of live activation bytes of the graph's current node order.
    public static func peakLiveBytes(_ graph: Graph) throws(Diagnostic) -> Int {
        try peakLiveBytes(graph, transientBytes: { _ in 0 })
    }

    /// As `peakLiveBytes(_:)`, counting `transientBytes(node)` extra bytes at each node's step.
    public static func peakLiveBytes(_ graph: Graph, transientBytes: (Node) -> Int) throws(Diagnostic) -> Int {
        try GraphVerifier.verify(graph)
        let model = try MemoryModel(graph, transientBytes: transientBytes)
        return model.peak(of: Array(0..<graph.nodes.count))
    }
}

/// The graph reduced to what the order search needs, by node index.
struct MemoryModel {
    let nodeCount: Int
    /// Nodes whose outputs each node reads.
    let predecessors: [[Int]]
    /// Values (by number) each node reads, without repeats.
    let reads: [[Int]]
    /// The value each node writes.
    let writes: [Int]
    let valueBytes: [Int]
    /// How many nodes read each value (each reader once).
    let readerCount: [Int]
    let isOutput: [Bool]
    let transient: [Int]
    /// Bytes live before the first step: graph inputs that are read or are outputs.
    let initialLive: Int

    init(_ graph: Graph, transientBytes: (Node) -> Int) throws(Diagnostic) {
        var number: [String: Int] = [:]
        var bytes: [Int] = []
        func value(_ name: String) throws(Diagnostic) -> Int {
            if let n = number[name] { return n }
            number[name] = bytes.count
            bytes.append(try graph.type(of: name).byteCount)
            return bytes.count - 1
        }
        let inputs = try graph.inputs.map { (input: ValueInfo) throws(Diagnostic) -> Int in try value(input.name) }
        var writes: [Int] = []
        for node in graph.nodes { writes.append(try value(node.output)) }
        var reads: [[Int]] = []
        var predecessors: [[Int]] = []
        let producers = graph.producers
        for node in graph.nodes {
            var seen: [Int] = []
            var preds: [Int] = []
            for name in node.inputs {
                let v = try value(name)
                if !seen.contains(v) { seen.append(v) }
                if let p = producers[name], !preds.contains(p) { preds.append(p) }
            }
            reads.append(seen)
            predecessors.append(preds.sorted())
        }
        var readerCount = [Int](repeating: 0, count: bytes.count)
        for r in reads { for v in r { readerCount[v] += 1 } }
        var isOutput = [Bool](repeating: false, count: bytes.count)
        for output in graph.outputs { if let v = number[output] { isOutput[v] = true } }
        nodeCount = graph.nodes.count
        self.predecessors = predecessors
        self.reads = reads
        self.writes = writes
        valueBytes = bytes
        self.readerCount = readerCount
        self.isOutput = isOutput
        transient = graph.nodes.map { max(transientBytes($0), 0) }
        initialLive = Set(inputs).reduce(0) { $0 + (readerCount[$1] > 0 || isOutput[$1] ? bytes[$1] : 0) }
    }

    /// Running state of a partial order.
    struct State {
        var done: [Bool]
        /// Readers of each value that have not run yet.
        var pendingReaders: [Int]
        var live: Int
    }

    func initialState() -> State {
        State(done: [Bool](repeating: false, count: nodeCount), pendingReaders: readerCount, live: initialLive)
    }

    func isReady(_ node: Int, _ state: State) -> Bool {
        !state.done[node] && predecessors[node].allSatisfy { state.done[$0] }
    }

    /// The cost of running `node` now.
    func stepBytes(_ node: Int, _ state: State) -> Int {
        state.live + valueBytes[writes[node]] + transient[node]
    }

    func run(_ node: Int, _ state: inout State) {
        state.done[node] = true
        let out = writes[node]
        if state.pendingReaders[out] > 0 || isOutput[out] { state.live += valueBytes[out] }
        for v in reads[node] {
            state.pendingReaders[v] -= 1
            if state.pendingReaders[v] == 0 && !isOutput[v] { state.live -= valueBytes[v] }
        }
    }

    func peak(of order: [Int]) -> Int {
        var state = initialState()
        var peak = 0
        for node in order {
            peak = max(peak, stepBytes(node, state))
            run(node, &state)
        }
        return peak
    }

    /// The greedy list scheduler: cheapest step, then least live bytes after, then original position.
    func greedy() -> [Int] {
        var state = initialState()
        var order: [Int] = []
        for _ in 0..<nodeCount {
            var best: (node: Int, step: Int, after: Int)?
            for node in 0..<nodeCount where isReady(node, state) {
                var next = state
                run(node, &next)
                let candidate = (node: node, step: stepBytes(node, state), after: next.live)
                if best == nil || (candidate.step, candidate.after) < (best!.step, best!.after) { best = candidate }
            }
            guard let chosen = best else { break }
            order.append(chosen.node)
            run(chosen.node, &state)
        }
        return order
    }

    /// Exact: the lexicographically smallest order among those with the least
    /// peak, or nil when there are more than `limit` reachable node sets.
    func exhaustive(limit: Int) -> [Int]? {
        // Layer k holds the node sets of size k reachable from the empty set.
        struct Transition {
            var node: Int
            var target: Int
            var step: Int
        }
        var layers: [[State]] = [[initialState()]]
        var transitions: [[[Transition]]] = []
        var total = 1
        for _ in 0..<nodeCount {
            var next: [State] = []
            var index: [[Bool]: Int] = [:]
            var moves: [[Transition]] = []
            for state in layers[layers.count - 1] {
                var out: [Transition] = []
                for node in 0..<nodeCount where isReady(node, state) {
                    var after = state
                    run(node, &after)
                    let target: Int
                    if let existing = index[after.done] {
                        target = existing
                    } else {
                        target = next.count
                        index[after.done] = target
                        next.append(after)
                        total += 1
                        if total > limit { return nil }
                    }
                    out.append(Transition(node: node, target: target, step: stepBytes(node, state)))
                }
                moves.append(out)
            }
            transitions.append(moves)
            layers.append(next)
        }
        // Least peak of the remaining steps from each set, last layer first.
        var rest = [Int](repeating: 0, count: layers[nodeCount].count)
        var restByLayer: [[Int]] = [[Int]](repeating: [], count: nodeCount + 1)
        restByLayer[nodeCount] = rest
        for k in stride(from: nodeCount - 1, through: 0, by: -1) {
            rest = transitions[k].map { moves in
                moves.map { max($0.step, restByLayer[k + 1][$0.target]) }.min() ?? Int.max
            }
            restByLayer[k] = rest
        }
        let optimum = restByLayer[0][0]
        var order: [Int] = []
        var current = 0
        for k in 0..<nodeCount {
            // Transitions are in increasing node index: take the first that keeps the optimum.
            guard let move = transitions[k][current].first(where: { max($0.step, restByLayer[k + 1][$0.target]) <= optimum }) else {
                return nil
            }
            order.append(move.node)
            current = move.target
        }
        return order
    }
}

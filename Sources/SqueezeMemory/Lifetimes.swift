import SqueezeIR

/// The live range of one buffer over an execution order: it is written at
/// step `firstUse` and last read at step `lastUse` (inclusive). Graph inputs
/// are live from step 0; graph outputs until the last step.
public struct BufferLifetime: Sendable, Hashable {
    public var name: String
    public var bytes: Int
    public var firstUse: Int
    public var lastUse: Int

    public init(name: String, bytes: Int, firstUse: Int, lastUse: Int) {
        self.name = name
        self.bytes = bytes
        self.firstUse = firstUse
        self.lastUse = lastUse
    }

    public func isLive(at step: Int) -> Bool { firstUse <= step && step <= lastUse }

    public func overlapsInTime(_ other: BufferLifetime) -> Bool {
        firstUse <= other.lastUse && other.firstUse <= lastUse
    }
}

public enum Lifetimes {
    /// One lifetime per activation value of a shape-inferred graph, with one
    /// step per node (the layer-by-layer, unfused schedule).
    public static func unfused(_ graph: Graph, includeInputs: Bool = true) throws(Diagnostic) -> [BufferLifetime] {
        let last = max(graph.nodes.count - 1, 0)
        var first: [String: Int] = [:]
        var lastRead: [String: Int] = [:]
        if includeInputs {
            for input in graph.inputs { first[input.name] = 0 }
        }
        for (step, node) in graph.nodes.enumerated() {
            for input in node.inputs where first[input] != nil { lastRead[input] = step }
            first[node.output] = step
        }
        for output in graph.outputs { lastRead[output] = last }
        var result: [BufferLifetime] = []
        for (name, start) in first {
            let bytes = try graph.type(of: name).byteCount
            result.append(BufferLifetime(name: name, bytes: bytes, firstUse: start, lastUse: max(lastRead[name] ?? start, start)))
        }
        return result.sorted { ($0.firstUse, $0.name) < ($1.firstUse, $1.name) }
    }

    /// The largest total of simultaneously live bytes at any step: no plan
    /// can use less, and a plan that packs perfectly reaches it.
    public static func peakLiveBytes(_ lifetimes: [BufferLifetime]) -> (bytes: Int, step: Int) {
        guard let end = lifetimes.map(\.lastUse).max() else { return (0, 0) }
        var best = (bytes: 0, step: 0)
        for step in 0...end {
            let live = lifetimes.reduce(0) { $0 + ($1.isLive(at: step) ? $1.bytes : 0) }
            if live > best.bytes { best = (live, step) }
        }
        return best
    }

    /// The lower bound when some pairs may share addresses: at every step the
    /// live bytes minus, for each overlap allowance applying at that step
    /// (its input dies where its output is born), the most bytes the pair can
    /// share (`min(input, output - gap)`). By inclusion-exclusion, the union of
    /// the live buffers is at least the sum of their sizes minus the pairwise
    /// overlaps, and only allowed pairs overlap. Without allowances this is
    /// `peakLiveBytes`.
    public static func peakLiveBytes(_ lifetimes: [BufferLifetime], allowances: [OverlapAllowance]) -> (bytes: Int, step: Int) {
        let table = AllowanceTable(allowances)
        guard !table.isEmpty, let end = lifetimes.map(\.lastUse).max() else { return peakLiveBytes(lifetimes) }
        var byName: [String: BufferLifetime] = [:]
        for buffer in lifetimes where byName[buffer.name] == nil { byName[buffer.name] = buffer }
        // The largest possible overlap of each unordered pair, at its one shared step.
        var shared: [Int: Int] = [:]
        var seen = Set<[String]>()
        for a in allowances {
            guard let output = byName[a.output], let input = byName[a.input], output.name != input.name,
                  let gap = table.applicableGap(output: output, input: input) else { continue }
            let pair = [output.name, input.name].sorted()
            var overlap = AllowanceTable.maximumOverlap(output: output, input: input, gap: gap)
            if let reverse = table.applicableGap(output: input, input: output) {
                overlap = max(overlap, AllowanceTable.maximumOverlap(output: input, input: output, gap: reverse))
            }
            guard seen.insert(pair).inserted else { continue }
            shared[output.firstUse, default: 0] += overlap
        }
        var best = (bytes: 0, step: 0)
        for step in 0...end {
            let live = lifetimes.reduce(0) { $0 + ($1.isLive(at: step) ? $1.bytes : 0) } - (shared[step] ?? 0)
            if live > best.bytes { best = (live, step) }
        }
        return best
    }
}

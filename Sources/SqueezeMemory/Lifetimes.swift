import SqueezeIR

/// The live range of one buffer over an execution order: it is written at
/// step `firstUse` and last read at step `lastUse` (inclusive). Graph inputs
/// are live from step 0; graph outputs until the last step.
public struct BufferLifetime: Sendable, Hashable {
    public var id: BufferID
    public var bytes: Int
    public var firstUse: Int
    public var lastUse: Int

    public init(id: BufferID, bytes: Int, firstUse: Int, lastUse: Int) {
        self.id = id
        self.bytes = bytes
        self.firstUse = firstUse
        self.lastUse = lastUse
    }

    /// The buffer of the value `name`.
    public init(name: String, bytes: Int, firstUse: Int, lastUse: Int) {
        self.init(id: .value(name), bytes: bytes, firstUse: firstUse, lastUse: lastUse)
    }

    /// The printable name of the buffer (`id.description`).
    public var name: String { id.description }

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
    /// live bytes less the most the buffers can share there. By
    /// inclusion-exclusion the union of the live buffers is at least the sum
    /// of their sizes minus the pairwise overlaps, and only pairs with an
    /// allowance that applies at that step (its input dies where its output
    /// is born) may overlap, each by at most `min(input, output - gap)`. The
    /// inputs of one output are disjoint (they may not overlap each other),
    /// and all lie at least the smallest gap above the output's start, so
    /// together they share at most `output - smallest gap`. Without allowances
    /// this is `peakLiveBytes`.
    public static func peakLiveBytes(_ lifetimes: [BufferLifetime], allowances: [OverlapAllowance]) -> (bytes: Int, step: Int) {
        let table = AllowanceTable(allowances)
        guard !table.isEmpty, let end = lifetimes.map(\.lastUse).max() else { return peakLiveBytes(lifetimes) }
        var byName: [BufferID: BufferLifetime] = [:]
        for buffer in lifetimes where byName[buffer.id] == nil { byName[buffer.id] = buffer }
        func gap(_ output: BufferLifetime, _ input: BufferLifetime) -> Int? {
            output.id == input.id ? nil : table.applicableGap(output: output, input: input)
        }
        // Shared bytes per step, and per output the (input, gap, overlap) of its allowances.
        var shared: [Int: Int] = [:]
        var groups: [BufferID: [(input: BufferLifetime, gap: Int, overlap: Int)]] = [:]
        var seen = Set<[BufferID]>()
        for a in allowances {
            guard let output = byName[a.output], let input = byName[a.input], let forward = gap(output, input),
                  seen.insert([output.id, input.id].sorted()).inserted else { continue }
            let overlap = AllowanceTable.maximumOverlap(output: output, input: input, gap: forward)
            if let backward = gap(input, output) {
                // Either may be the output: no grouping, just the larger overlap.
                let reverse = AllowanceTable.maximumOverlap(output: input, input: output, gap: backward)
                shared[output.firstUse, default: 0] += max(overlap, reverse)
            } else {
                groups[output.id, default: []].append((input, forward, overlap))
            }
        }
        for (name, group) in groups {
            let output = byName[name]!
            var total = group.reduce(0) { $0 + $1.overlap }
            let disjoint = group.indices.allSatisfy { i in
                group.indices.allSatisfy { j in i == j || gap(group[i].input, group[j].input) == nil }
            }
            if disjoint, let smallest = group.map(\.gap).min() {
                total = min(total, max(0, output.bytes - max(smallest, 0)))
            }
            shared[output.firstUse, default: 0] += total
        }
        var best = (bytes: 0, step: 0)
        for step in 0...end {
            let live = lifetimes.reduce(0) { $0 + ($1.isLive(at: step) ? $1.bytes : 0) } - (shared[step] ?? 0)
            if live > best.bytes { best = (live, step) }
        }
        return best
    }
}

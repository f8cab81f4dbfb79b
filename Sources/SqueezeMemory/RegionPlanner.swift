import SqueezeIR

/// Splits the arena over several RAM regions when no single one holds it
/// (a part with 128 KiB of DTCM and 128 KiB of SRAM, say, for an arena of
/// 183 KiB).
///
/// When the first (fastest) region holds the whole plan of `planner`, that
/// plan is the result, in that region. Otherwise buffers go to regions whole
/// (a buffer is never cut), the hottest first: kernel scratch (im2col,
/// decoded weights, touched on every call), then by size, smallest first
/// (rings of rows and hand-off rows are the small buffers, read and
/// rewritten for every row; whole maps are the large ones, touched once per
/// layer). Each goes to the first region where the buffers already there
/// and it still plan within the capacity (greedy by size, or `planner` when
/// greedy does not fit). Each region is then planned on its own (the better
/// of `planner` and greedy by size, overlap allowances only between buffers
/// of one region). Deterministic: ties by name.
public struct RegionPlanner: Sendable {
    public var regions: [ArenaRegion]
    public var planner: any ArenaPlanner

    public init(regions: [ArenaRegion], planner: any ArenaPlanner = SearchPlanner()) {
        self.regions = regions
        self.planner = planner
    }

    /// The plan, or an error giving each region's capacity and what was left.
    public func plan(_ buffers: [BufferLifetime], allowances: [OverlapAllowance], alignment: Int) throws(Diagnostic) -> ArenaPlan {
        guard let first = regions.first else { throw .internal("region planner: no RAM region for the arena") }
        var whole = planner.plan(buffers, allowances: allowances, alignment: alignment)
        if whole.arenaBytes <= first.capacity || regions.count == 1 {
            whole.regions = [ArenaPlan.RegionUse(name: first.name, bytes: whole.arenaBytes)]
            guard whole.arenaBytes <= first.capacity else {
                throw .unsupported("the arena needs \(whole.arenaBytes) bytes but \(first.name) has \(first.capacity) for it "
                                   + "(\(whole.arenaBytes - first.capacity) over)")
            }
            return whole
        }
        let greedy = GreedyBySizePlanner()
        var members = [[BufferLifetime]](repeating: [], count: regions.count)
        var left: [BufferLifetime] = []
        for buffer in Self.hottestFirst(buffers) {
            var placed = false
            for (r, region) in regions.enumerated() {
                let candidate = members[r] + [buffer]
                if greedy.plan(candidate, alignment: alignment).arenaBytes <= region.capacity
                    || planner.plan(candidate, allowances: Self.within(candidate, allowances), alignment: alignment).arenaBytes <= region.capacity {
                    members[r] = candidate
                    placed = true
                    break
                }
            }
            if !placed { left.append(buffer) }
        }
        guard left.isEmpty else {
            let capacities = regions.map { "\($0.name) \($0.capacity)" }.joined(separator: ", ")
            let names = left.prefix(3).map(\.name).joined(separator: ", ") + (left.count > 3 ? ", ..." : "")
            throw .unsupported("the arena (\(whole.arenaBytes) bytes in one piece) does not fit its RAM regions (\(capacities) bytes "
                               + "for the arena): \(left.count) buffer(s) of \(left.reduce(0) { $0 + $1.bytes }) bytes are left over "
                               + "(\(names))")
        }
        var placements: [BufferID: Placement] = [:]
        var uses: [ArenaPlan.RegionUse] = []
        for (r, region) in regions.enumerated() {
            let own = Self.within(members[r], allowances)
            let best = planner.plan(members[r], allowances: own, alignment: alignment)
            let other = greedy.plan(members[r], alignment: alignment)
            let chosen = other.arenaBytes < best.arenaBytes ? other : best
            for (id, placement) in chosen.placements { placements[id] = Placement(offset: placement.offset, region: r) }
            uses.append(ArenaPlan.RegionUse(name: region.name, bytes: members[r].isEmpty ? 0 : chosen.arenaBytes))
        }
        return ArenaPlan(strategy: "regions (\(planner.name))", placements: placements,
                         arenaBytes: uses.reduce(0) { $0 + $1.bytes }, lowerBound: whole.lowerBound, regions: uses)
    }

    /// Kernel scratch first, then smallest first, ties by name.
    static func hottestFirst(_ buffers: [BufferLifetime]) -> [BufferLifetime] {
        func isScratch(_ b: BufferLifetime) -> Bool {
            if case .kernelScratch = b.id { return true }
            return false
        }
        return buffers.sorted { a, b in
            if isScratch(a) != isScratch(b) { return isScratch(a) }
            return a.bytes != b.bytes ? a.bytes < b.bytes : a.name < b.name
        }
    }

    /// The allowances between two of `buffers`.
    static func within(_ buffers: [BufferLifetime], _ allowances: [OverlapAllowance]) -> [OverlapAllowance] {
        let ids = Set(buffers.map(\.id))
        return allowances.filter { ids.contains($0.input) && ids.contains($0.output) }
    }
}

import SqueezeIR

/// A stronger arena planner than `GreedyBySizePlanner`, still deterministic:
///
/// 1. Greedy placement under several orders (size; start step; end step;
///    lifetime length; bytes of the buffers it conflicts with; size x
///    lifetime; conflict count; buffers live at the peak step first), each with
///    first-fit (lowest offset) and best-fit (tightest hole) placement.
///    Size order with first fit is exactly `GreedyBySizePlanner`, so this
///    planner is never worse than it.
/// 2. Up to `exactLimit` buffers: branch and bound over placement orders. Any
///    plan can be compacted into one that first-fit reproduces when buffers
///    are placed by increasing (offset, name), so only such orders are
///    searched; without allowances the result is optimal (within
///    `exactNodeBudget`).
/// 3. Local search on the best order: move or swap buffers (choices from a
///    fixed-seed generator), re-place from the first changed position, keep
///    changes that do not make the arena larger (walking plateaus of equal
///    arenas is what finds the way down); a fixed budget of `iterations`
///    moves. Among equal arenas the most compact plan (least sum of buffer
///    ends) is returned.
///
/// Every step stops as soon as the arena reaches the lower bound. Buffers are
/// numbered by name first, so the plan does not depend on the input order and
/// is identical run to run.
///
/// With overlap allowances, an output may be placed over its dying input
/// `minimumGap` bytes (rounded to the alignment) below it, and an input over
/// its output as far above; `PlanChecker.check(_:_:allowances:alignment:)`
/// accepts exactly those overlaps.
public struct SearchPlanner: ArenaPlanner {
    public let name = "search"
    /// Local-search moves tried when the heuristics miss the lower bound.
    public var iterations: Int
    /// Largest number of buffers searched exactly.
    public var exactLimit: Int
    /// Search nodes the exact search may visit.
    public var exactNodeBudget: Int

    public init(iterations: Int = 2000, exactLimit: Int = 10, exactNodeBudget: Int = 200_000) {
        self.iterations = iterations
        self.exactLimit = exactLimit
        self.exactNodeBudget = exactNodeBudget
    }

    public func plan(_ buffers: [BufferLifetime], alignment: Int) -> ArenaPlan {
        plan(buffers, allowances: [], alignment: alignment)
    }

    public func plan(_ buffers: [BufferLifetime], allowances: [OverlapAllowance], alignment: Int) -> ArenaPlan {
        precondition(alignment > 0, "alignment must be positive")
        let lowerBound = allowances.isEmpty ? Lifetimes.peakLiveBytes(buffers).bytes
            : Lifetimes.peakLiveBytes(buffers, allowances: allowances).bytes
        var problem = PlacementProblem(buffers, allowances: allowances, alignment: alignment)
        let target = problem.alignUp(lowerBound)
        var best = problem.bestHeuristic(target: target)
        if best.arena > target, problem.count <= exactLimit {
            best = problem.exactSearch(from: best, target: target, budget: exactNodeBudget)
        }
        if best.arena > target, iterations > 0 {
            best = problem.localSearch(from: best, target: target, iterations: iterations)
        }
        var offsets: [BufferID: Int] = [:]
        for buffer in buffers { offsets[buffer.id] = 0 }
        for (index, offset) in best.offsets.enumerated() { offsets[problem.ids[index]] = offset }
        return ArenaPlan(strategy: name, offsets: offsets, arenaBytes: best.arena, lowerBound: lowerBound)
    }
}

/// How a buffer picks its offset among the legal ones.
enum PlacementPolicy: CaseIterable {
    /// The lowest legal offset.
    case firstFit
    /// The bottom of the tightest hole it fits in, else the lowest offset above everything.
    case bestFit
}

/// A placement order and what it gives.
struct PlacementResult {
    var order: [Int]
    var policy: PlacementPolicy
    /// Offsets by buffer index.
    var offsets: [Int]
    var arena: Int
    /// Sum of the buffers' end offsets: smaller is more compact.
    var tops: Int

    func isBetter(than other: PlacementResult) -> Bool {
        (arena, tops) < (other.arena, other.tops)
    }
}

/// The buffers with positive size, numbered by name, and for each the
/// offsets another placed buffer forbids it.
struct PlacementProblem {
    /// A placed buffer `index` at offset `y` forbids offsets in the open
    /// interval `(y - below, y + above)`.
    struct Neighbor {
        var index: Int
        var below: Int
        var above: Int
    }

    let alignment: Int
    let ids: [BufferID]
    let lifetimes: [BufferLifetime]
    let bytes: [Int]
    let neighbors: [[Neighbor]]
    /// Reused storage for the forbidden intervals of one placement.
    private var intervals: [(lo: Int, hi: Int)] = []

    var count: Int { bytes.count }

    init(_ buffers: [BufferLifetime], allowances: [OverlapAllowance], alignment: Int) {
        self.alignment = alignment
        var seen = Set<BufferID>()
        let sorted = buffers.filter { $0.bytes > 0 }
            .sorted { ($0.name, $0.bytes, $0.firstUse, $0.lastUse) < ($1.name, $1.bytes, $1.firstUse, $1.lastUse) }
            .filter { seen.insert($0.id).inserted }
        lifetimes = sorted
        ids = sorted.map(\.id)
        bytes = sorted.map(\.bytes)
        let table = AllowanceTable(allowances)
        var neighbors = [[Neighbor]](repeating: [], count: sorted.count)
        for (i, a) in sorted.enumerated() {
            for (j, b) in sorted.enumerated() where i != j && a.overlapsInTime(b) {
                // Offsets x of `a` are forbidden in (y - a.bytes, y + b.bytes).
                var below = a.bytes
                var above = b.bytes
                if !table.isEmpty {
                    // `a` written over its dying input `b`: legal at x <= y - gap.
                    if let gap = table.applicableGap(output: a, input: b) {
                        below = min(below, gap)
                    }
                    // `a` dying under its output `b`: legal at x >= y + gap.
                    if let gap = table.applicableGap(output: b, input: a) {
                        above = min(above, gap)
                    }
                }
                neighbors[i].append(Neighbor(index: j, below: below, above: above))
            }
        }
        self.neighbors = neighbors
    }

    func alignUp(_ value: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    func alignDown(_ value: Int) -> Int {
        value / alignment * alignment
    }

    // MARK: Placement

    /// The offset of buffer `index` given the offsets of the buffers placed
    /// before it (those with `position < position[index]`).
    mutating func offset(of index: Int, offsets: [Int], position: [Int], policy: PlacementPolicy) -> Int {
        let mine = position[index]
        intervals.removeAll(keepingCapacity: true)
        for neighbor in neighbors[index] where position[neighbor.index] < mine {
            let y = offsets[neighbor.index]
            let interval = (lo: y - neighbor.below, hi: y + neighbor.above)
            if interval.lo < interval.hi { intervals.append(interval) }
        }
        intervals.sort { $0.lo != $1.lo ? $0.lo < $1.lo : $0.hi < $1.hi }
        var candidate = 0
        switch policy {
        case .firstFit:
            for interval in intervals {
                if candidate <= interval.lo { break }
                if candidate < interval.hi { candidate = alignUp(interval.hi) }
            }
            return candidate
        case .bestFit:
            var hole: (start: Int, slack: Int)?
            for interval in intervals {
                if candidate <= interval.lo {
                    let slack = alignDown(interval.lo) - candidate
                    if hole == nil || slack < hole!.slack { hole = (candidate, slack) }
                }
                if candidate < interval.hi { candidate = alignUp(interval.hi) }
            }
            return hole?.start ?? candidate
        }
    }

    /// Places `order[start...]`, keeping the placement of `order[..<start]`
    /// (`offsets` and `prefixTop` of those must be up to date). `position`
    /// is rewritten; `prefixTop[p]` is the highest end offset among `order[...p]`.
    mutating func place(_ order: [Int], from start: Int, policy: PlacementPolicy,
                        offsets: inout [Int], position: inout [Int], prefixTop: inout [Int]) {
        for p in order.indices { position[order[p]] = p }
        var top = start == 0 ? 0 : prefixTop[start - 1]
        for p in start..<order.count {
            let index = order[p]
            let offset = offset(of: index, offsets: offsets, position: position, policy: policy)
            offsets[index] = offset
            top = max(top, offset + bytes[index])
            prefixTop[p] = top
        }
    }

    mutating func evaluate(_ order: [Int], policy: PlacementPolicy) -> PlacementResult {
        var offsets = [Int](repeating: 0, count: count)
        var position = [Int](repeating: 0, count: count)
        var prefixTop = [Int](repeating: 0, count: count)
        place(order, from: 0, policy: policy, offsets: &offsets, position: &position, prefixTop: &prefixTop)
        return result(order, policy, offsets, prefixTop)
    }

    func result(_ order: [Int], _ policy: PlacementPolicy, _ offsets: [Int], _ prefixTop: [Int]) -> PlacementResult {
        var tops = 0
        for index in 0..<count { tops += offsets[index] + bytes[index] }
        return PlacementResult(order: order, policy: policy, offsets: offsets,
                               arena: alignUp(prefixTop.last ?? 0), tops: tops)
    }

    // MARK: 1. Constructive heuristics

    /// Candidate orders: each sorts by its key, ties by size (larger first)
    /// then by name.
    func heuristicOrders() -> [[Int]] {
        let indices = Array(0..<count)
        let length = lifetimes.map { $0.lastUse - $0.firstUse + 1 }
        var conflictBytes = bytes
        var conflictCount = [Int](repeating: 0, count: count)
        for i in indices {
            for neighbor in neighbors[i] {
                conflictBytes[i] += bytes[neighbor.index]
                conflictCount[i] += 1
            }
        }
        let peakStep = Lifetimes.peakLiveBytes(lifetimes).step
        func by(_ key: (Int) -> Int) -> [Int] {
            indices.sorted { a, b in
                let (ka, kb) = (key(a), key(b))
                if ka != kb { return ka > kb }
                if bytes[a] != bytes[b] { return bytes[a] > bytes[b] }
                return a < b
            }
        }
        let orders = [
            by { bytes[$0] },
            by { -lifetimes[$0].firstUse },
            by { lifetimes[$0].lastUse },
            by { length[$0] },
            by { conflictBytes[$0] },
            by { bytes[$0] * length[$0] },
            by { conflictCount[$0] },
            by { lifetimes[$0].isLive(at: peakStep) ? 1 : 0 },
        ]
        var unique: [[Int]] = []
        for order in orders where !unique.contains(order) { unique.append(order) }
        return unique
    }

    mutating func bestHeuristic(target: Int) -> PlacementResult {
        var best: PlacementResult?
        for order in heuristicOrders() {
            for policy in PlacementPolicy.allCases {
                let candidate = evaluate(order, policy: policy)
                if best == nil || candidate.isBetter(than: best!) { best = candidate }
                if best!.arena <= target { return best! }
            }
        }
        return best ?? PlacementResult(order: [], policy: .firstFit, offsets: [], arena: 0, tops: 0)
    }

    // MARK: 2. Exact search over orders (small problems)

    /// Branch and bound: buffers are added in increasing (first-fit offset,
    /// index) order, which every compacted plan admits, and a branch is cut as
    /// soon as its arena reaches the best one found.
    mutating func exactSearch(from start: PlacementResult, target: Int, budget: Int) -> PlacementResult {
        var best = start
        var offsets = [Int](repeating: 0, count: count)
        // Placed buffers get their depth as position; unplaced ones `count`.
        var position = [Int](repeating: count, count: count)
        var order: [Int] = []
        var nodes = 0

        func search(_ problem: inout PlacementProblem, last: (offset: Int, index: Int), top: Int) {
            if order.count == problem.count {
                let arena = problem.alignUp(top)
                if arena < best.arena {
                    var prefix = [Int](repeating: 0, count: problem.count)
                    var running = 0
                    for (p, index) in order.enumerated() {
                        running = max(running, offsets[index] + problem.bytes[index])
                        prefix[p] = running
                    }
                    best = problem.result(order, .firstFit, offsets, prefix)
                }
                return
            }
            for index in 0..<problem.count where position[index] == problem.count {
                nodes += 1
                if nodes > budget || best.arena <= target { return }
                position[index] = order.count
                let offset = problem.offset(of: index, offsets: offsets, position: position, policy: .firstFit)
                let newTop = max(top, offset + problem.bytes[index])
                if (offset, index) > last, problem.alignUp(newTop) < best.arena {
                    offsets[index] = offset
                    order.append(index)
                    search(&problem, last: (offset, index), top: newTop)
                    order.removeLast()
                }
                position[index] = problem.count
            }
        }
        search(&self, last: (-1, -1), top: 0)
        return best
    }

    // MARK: 3. Local search

    mutating func localSearch(from start: PlacementResult, target: Int, iterations: Int) -> PlacementResult {
        guard count >= 2 else { return start }
        var random = SeededRandom(seed: 0x5EED_A7E4A)
        let policy = start.policy
        var current = start
        var best = start
        var position = [Int](repeating: 0, count: count)
        var prefixTop = [Int](repeating: 0, count: count)
        var offsets = start.offsets
        // Recompute the prefix tops of the starting order.
        place(current.order, from: 0, policy: policy, offsets: &offsets, position: &position, prefixTop: &prefixTop)
        var currentPrefix = prefixTop
        current = result(current.order, policy, offsets, prefixTop)

        for _ in 0..<iterations {
            let i = random.next(below: count)
            var j = random.next(below: count - 1)
            if j >= i { j += 1 }
            var order = current.order
            let move = random.next(below: 2)
            if move == 0 {
                order.swapAt(i, j)
            } else {
                order.insert(order.remove(at: i), at: j)
            }
            offsets = current.offsets
            prefixTop = currentPrefix
            place(order, from: min(i, j), policy: policy, offsets: &offsets, position: &position, prefixTop: &prefixTop)
            let candidate = result(order, policy, offsets, prefixTop)
            if candidate.arena <= current.arena {
                current = candidate
                currentPrefix = prefixTop
                if candidate.isBetter(than: best) {
                    best = candidate
                    if best.arena <= target { break }
                }
            }
        }
        return best
    }
}

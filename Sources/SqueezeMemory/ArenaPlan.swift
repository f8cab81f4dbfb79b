/// Placements of buffers in one arena.
public struct ArenaPlan: Sendable, Hashable {
    public var strategy: String
    public var placements: [BufferID: Placement]
    public var arenaBytes: Int
    /// No plan can be smaller: the largest total of simultaneously live bytes
    /// (`Lifetimes.peakLiveBytes`), less what overlap allowances let live
    /// buffers share when the plan was made with allowances.
    public var lowerBound: Int
    /// The arena split over RAM regions (`RegionPlanner`): each region's
    /// name and bytes, in placement region order; empty for one arena, where
    /// every placement is in region 0 and `arenaBytes` is its size. When
    /// split, `arenaBytes` is the regions' total.
    public var regions: [RegionUse]

    /// One region of a split arena.
    public struct RegionUse: Sendable, Hashable {
        public var name: String
        public var bytes: Int

        public init(name: String, bytes: Int) {
            self.name = name
            self.bytes = bytes
        }
    }

    public init(strategy: String, placements: [BufferID: Placement], arenaBytes: Int, lowerBound: Int,
                regions: [RegionUse] = []) {
        self.strategy = strategy
        self.placements = placements
        self.arenaBytes = arenaBytes
        self.lowerBound = lowerBound
        self.regions = regions
    }

    /// The bytes of region `index` (the whole arena for region 0 of one arena).
    public func bytes(inRegion index: Int) -> Int {
        regions.isEmpty ? (index == 0 ? arenaBytes : 0) : (regions.indices.contains(index) ? regions[index].bytes : 0)
    }

    /// Whether the arena is split over several regions.
    public var isSplit: Bool { regions.count > 1 }

    public func placement(of buffer: BufferID) -> Placement? {
        placements[buffer]
    }

    public init(strategy: String, offsets: [BufferID: Int], arenaBytes: Int, lowerBound: Int) {
        self.init(strategy: strategy, placements: offsets.mapValues { Placement(offset: $0) }, arenaBytes: arenaBytes,
                  lowerBound: lowerBound)
    }

    /// Arena offsets by buffer (the placements' offsets).
    public var offsets: [BufferID: Int] {
        get { placements.mapValues(\.offset) }
        set {
            let old = placements
            placements = Dictionary(uniqueKeysWithValues: newValue.map { id, offset in
                (id, Placement(offset: offset, region: old[id]?.region ?? 0))
            })
        }
    }

    public func offset(of buffer: BufferID) -> Int? {
        placements[buffer]?.offset
    }
}

/// Places buffers with known lifetimes in one arena.
public protocol ArenaPlanner: Sendable {
    var name: String { get }
    func plan(_ buffers: [BufferLifetime], alignment: Int) -> ArenaPlan
    /// Plans with permission for some pairs to share addresses (in-place
    /// execution). A planner may ignore allowances: every plan without overlap
    /// also satisfies them. The default does exactly that.
    func plan(_ buffers: [BufferLifetime], allowances: [OverlapAllowance], alignment: Int) -> ArenaPlan
}

extension ArenaPlanner {
    public func plan(_ buffers: [BufferLifetime], allowances: [OverlapAllowance], alignment: Int) -> ArenaPlan {
        plan(buffers, alignment: alignment)
    }
}

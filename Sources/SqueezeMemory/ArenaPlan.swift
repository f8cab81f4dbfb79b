/// Placements of buffers in one arena.
public struct ArenaPlan: Sendable, Hashable {
    public var strategy: String
    public var placements: [BufferID: Placement]
    public var arenaBytes: Int
    /// No plan can be smaller: the largest total of simultaneously live bytes
    /// (`Lifetimes.peakLiveBytes`), less what overlap allowances let live
    /// buffers share when the plan was made with allowances.
    public var lowerBound: Int

    public init(strategy: String, placements: [BufferID: Placement], arenaBytes: Int, lowerBound: Int) {
        self.strategy = strategy
        self.placements = placements
        self.arenaBytes = arenaBytes
        self.lowerBound = lowerBound
    }

    public init(strategy: String, offsets: [BufferID: Int], arenaBytes: Int, lowerBound: Int) {
        self.init(strategy: strategy, placements: offsets.mapValues(Placement.init(offset:)), arenaBytes: arenaBytes,
                  lowerBound: lowerBound)
    }

    /// Arena offsets by buffer (the placements' offsets).
    public var offsets: [BufferID: Int] {
        get { placements.mapValues(\.offset) }
        set { placements = newValue.mapValues(Placement.init(offset:)) }
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

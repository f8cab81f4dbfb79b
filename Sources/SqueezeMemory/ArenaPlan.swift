/// Offsets of buffers in one arena.
public struct ArenaPlan: Sendable, Hashable {
    public var strategy: String
    public var offsets: [String: Int]
    public var arenaBytes: Int
    /// The largest total of simultaneously live bytes: no plan can be smaller.
    public var lowerBound: Int

    public init(strategy: String, offsets: [String: Int], arenaBytes: Int, lowerBound: Int) {
        self.strategy = strategy
        self.offsets = offsets
        self.arenaBytes = arenaBytes
        self.lowerBound = lowerBound
    }
}

/// Places buffers with known lifetimes in one arena.
public protocol ArenaPlanner: Sendable {
    var name: String { get }
    func plan(_ buffers: [BufferLifetime], alignment: Int) -> ArenaPlan
}

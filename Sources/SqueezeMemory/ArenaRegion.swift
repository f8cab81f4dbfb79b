/// A RAM region the arena may use, from a board description: its name and
/// the bytes the arena may take there (the region less what else lives in
/// it: stack, static data). Listed fastest first (TCM before SRAM before
/// external RAM): `RegionPlanner` fills them in that order.
public struct ArenaRegion: Sendable, Hashable {
    public var name: String
    public var capacity: Int

    public init(name: String, capacity: Int) {
        self.name = name
        self.capacity = capacity
    }
}

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

extension ArenaRegion {
    /// The region's name as a C identifier and section-name part: lower
    /// case, every character but ASCII letters and digits as `_`
    /// (`DTCM` -> `dtcm`, `SRAM 1` -> `sram_1`). The generated arena array of
    /// a region and its section (`.bss.sq_arena_<identifier>.<prefix>`),
    /// which the generated linker script places, both use it.
    public static func identifier(_ name: String) -> String {
        let text = String(name.lowercased().unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        })
        return text.isEmpty || text.first!.isNumber ? "r" + text : text
    }
}

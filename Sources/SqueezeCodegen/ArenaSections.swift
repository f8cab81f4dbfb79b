import SqueezeMemory

/// Names of a split arena's extra regions (`RegionPlanner`): region 0 is
/// the ordinary arena (`<prefix>_arena`, section `.bss.sq_arena.<prefix>`,
/// or the caller's); each other region is a static array of its own,
/// `<prefix>_arena_<region>`, in section `.bss.sq_arena_<region>.<prefix>`,
/// which a board's generated linker script puts in that region
/// (`regionPattern`). `<region>` is `ArenaRegion.identifier` of its name.
public enum ArenaSections {
    public static func regionArray(prefix: String, region: String) -> String {
        "\(prefix)_arena_\(ArenaRegion.identifier(region))"
    }

    public static func regionSection(prefix: String, region: String) -> String {
        ".bss.sq_arena_\(ArenaRegion.identifier(region)).\(prefix)"
    }

    /// The input-section pattern of a region's arrays, for any prefix.
    public static func regionPattern(region: String) -> String {
        ".bss.sq_arena_\(ArenaRegion.identifier(region)).*"
    }
}

extension ArenaPlan {
    /// Where a buffer is, for comments: `arena[start, end)` (region 0; `end`
    /// as `...` when `bytes` is nil), or `arena <region>[start, end)` in
    /// another region of a split arena.
    func describe(_ placement: Placement?, bytes: Int?) -> String {
        let offset = placement?.offset ?? 0
        let end = bytes.map { "\(offset + $0)" } ?? "..."
        let region = placement.map(\.region) ?? 0
        let name = region > 0 && regions.indices.contains(region) ? "arena \(regions[region].name)" : "arena"
        return "\(name)[\(offset), \(end))"
    }
}

import SqueezeIR

/// Independent proof that a plan is safe: every buffer is placed, aligned and
/// inside the arena, and no two buffers live at the same step share a byte,
/// except where an overlap allowance explicitly permits it.
/// Written without reference to any planner's logic: it compares all pairs.
public enum PlanChecker {
    public static func check(_ plan: ArenaPlan, _ buffers: [BufferLifetime], alignment: Int) throws(Diagnostic) {
        try check(plan, buffers, allowances: [], alignment: alignment)
    }

    /// As `check(_:_:alignment:)`, but two buffers live at the same step may
    /// share bytes when, and only when, all of these hold:
    /// 1. an allowance names exactly that pair: one buffer as `output`, the
    ///    other as `input`;
    /// 2. the input's `lastUse` is the output's `firstUse`;
    /// 3. `offset(input) - offset(output) >= minimumGap` (the largest gap if
    ///    several allowances name the pair).
    public static func check(_ plan: ArenaPlan, _ buffers: [BufferLifetime], allowances: [OverlapAllowance],
                             alignment: Int) throws(Diagnostic) {
        guard alignment > 0 else {
            throw .internal("memory plan: alignment must be positive, got \(alignment)")
        }
        let regionCount = max(plan.regions.count, 1)
        for buffer in buffers {
            guard let placement = plan.placement(of: buffer.id) else {
                throw .internal("memory plan: buffer '\(buffer.name)' has no offset")
            }
            let offset = placement.offset
            guard (0..<regionCount).contains(placement.region) else {
                throw .internal("memory plan: buffer '\(buffer.name)' is in region \(placement.region) of \(regionCount)")
            }
            guard offset >= 0, offset % alignment == 0 else {
                throw .internal("memory plan: buffer '\(buffer.name)' at \(offset) is not \(alignment)-byte aligned")
            }
            let size = plan.bytes(inRegion: placement.region)
            guard offset + buffer.bytes <= size else {
                let place = plan.isSplit ? "region \(plan.regions[placement.region].name) of \(size) bytes" : "the arena of \(size) bytes"
                throw .internal("memory plan: buffer '\(buffer.name)' [\(offset), \(offset + buffer.bytes)) exceeds \(place)")
            }
        }
        if plan.isSplit, plan.arenaBytes != plan.regions.reduce(0, { $0 + $1.bytes }) {
            throw .internal("memory plan: the arena's \(plan.arenaBytes) bytes are not its regions' total")
        }
        for (i, a) in buffers.enumerated() {
            for b in buffers[(i + 1)...] where a.overlapsInTime(b) && a.bytes > 0 && b.bytes > 0
                && plan.placement(of: a.id)!.region == plan.placement(of: b.id)!.region {
                let (x, y) = (plan.offset(of: a.id)!, plan.offset(of: b.id)!)
                guard x < y + b.bytes && y < x + a.bytes else { continue }
                let overlap = "'\(a.name)' [\(x), \(x + a.bytes)) and '\(b.name)' [\(y), \(y + b.bytes)) overlap while both are live"
                let forward = permitted(output: a, at: x, input: b, at: y, allowances)
                let backward = permitted(output: b, at: y, input: a, at: x, allowances)
                if forward == nil || backward == nil { continue }
                // Report the reason of the direction that got furthest.
                let reason = [forward!, backward!].max { $0.rank < $1.rank }!.message
                throw .internal("memory plan: \(overlap): \(reason)")
            }
        }
        if plan.arenaBytes < plan.lowerBound {
            throw .internal("memory plan: arena of \(plan.arenaBytes) bytes is below the lower bound \(plan.lowerBound)")
        }
    }

    /// Why `output` may not overlap `input` at these offsets, or nil if it may.
    private static func permitted(output: BufferLifetime, at outputOffset: Int, input: BufferLifetime, at inputOffset: Int,
                                  _ allowances: [OverlapAllowance]) -> (rank: Int, message: String)? {
        var gap: Int?
        for allowance in allowances where allowance.output == output.id && allowance.input == input.id {
            gap = max(gap ?? Int.min, allowance.minimumGap)
        }
        guard let gap else {
            return (0, "no overlap allowance for output '\(output.name)' over input '\(input.name)'")
        }
        guard input.lastUse == output.firstUse else {
            return (1, "the allowance for '\(output.name)' over '\(input.name)' needs the input's last use "
                    + "(step \(input.lastUse)) to be the output's first use (step \(output.firstUse))")
        }
        guard inputOffset - outputOffset >= gap else {
            return (2, "'\(output.name)' may overlap '\(input.name)' only at least \(gap) bytes below it, "
                    + "but the gap is \(inputOffset - outputOffset)")
        }
        return nil
    }
}

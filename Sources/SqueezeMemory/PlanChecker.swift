import SqueezeIR

/// Independent proof that a plan is safe: every buffer is placed, aligned and
/// inside the arena, and no two buffers live at the same step share a byte.
/// Written without reference to any planner's logic: it compares all pairs.
public enum PlanChecker {
    public static func check(_ plan: ArenaPlan, _ buffers: [BufferLifetime], alignment: Int) throws(Diagnostic) {
        for buffer in buffers {
            guard let offset = plan.offsets[buffer.name] else {
                throw .internal("memory plan: buffer '\(buffer.name)' has no offset")
            }
            guard offset >= 0, offset % alignment == 0 else {
                throw .internal("memory plan: buffer '\(buffer.name)' at \(offset) is not \(alignment)-byte aligned")
            }
            guard offset + buffer.bytes <= plan.arenaBytes else {
                throw .internal("memory plan: buffer '\(buffer.name)' [\(offset), \(offset + buffer.bytes)) exceeds the arena of \(plan.arenaBytes) bytes")
            }
        }
        for (i, a) in buffers.enumerated() {
            for b in buffers[(i + 1)...] where a.overlapsInTime(b) && a.bytes > 0 && b.bytes > 0 {
                let (x, y) = (plan.offsets[a.name]!, plan.offsets[b.name]!)
                if x < y + b.bytes && y < x + a.bytes {
                    throw .internal("memory plan: '\(a.name)' [\(x), \(x + a.bytes)) and '\(b.name)' [\(y), \(y + b.bytes)) overlap while both are live")
                }
            }
        }
        if plan.arenaBytes < plan.lowerBound {
            throw .internal("memory plan: arena of \(plan.arenaBytes) bytes is below the lower bound \(plan.lowerBound)")
        }
    }
}

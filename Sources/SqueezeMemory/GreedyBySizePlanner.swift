/// The TensorFlow Lite Micro strategy: largest buffer first (ties by name,
/// so plans are deterministic), each at the lowest aligned offset where it
/// overlaps no already placed buffer that is live at the same time.
public struct GreedyBySizePlanner: ArenaPlanner {
    public let name = "greedy-by-size"

    public init() {}

    public func plan(_ buffers: [BufferLifetime], alignment: Int) -> ArenaPlan {
        let order = buffers.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name < $1.name }
        var placed: [(buffer: BufferLifetime, offset: Int)] = []
        var offsets: [BufferID: Int] = [:]
        var arena = 0
        for buffer in order {
            let conflicts = placed.filter { $0.buffer.overlapsInTime(buffer) }.sorted { $0.offset < $1.offset }
            var offset = 0
            for other in conflicts {
                if offset + buffer.bytes <= other.offset { break }
                offset = max(offset, align(other.offset + other.buffer.bytes, alignment))
            }
            placed.append((buffer, offset))
            offsets[buffer.id] = offset
            arena = max(arena, offset + buffer.bytes)
        }
        return ArenaPlan(strategy: name, offsets: offsets, arenaBytes: align(arena, alignment),
                         lowerBound: Lifetimes.peakLiveBytes(buffers).bytes)
    }

    func align(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }
}

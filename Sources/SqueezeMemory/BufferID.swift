/// The identity of one arena buffer (or of a member of a shared one), by
/// role rather than by a name with a grammar. Plans map identities to
/// placements; emitters look buffers up by identity and derive C parameter
/// names from the role.
///
/// `description` is the name users see in plans, timelines, comments and
/// traces; it is what squeezec printed before identities were typed, and it
/// orders buffers (planners break ties by it, so plans stay deterministic).
public enum BufferID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The buffer of a value: the whole tensor (layer schedule, tail values)
    /// or its ring of rows (stream schedule). Named like the value, which may
    /// be a stage's internal value such as `fire2.squeeze`.
    case value(String)
    /// A ring of rows of a fused layer step's internal value (layer schedule).
    case ring(RingRole, node: String)
    /// A pooled stream stage's one-row pre-pool scratch (a member of a
    /// shared hand-off buffer).
    case prePoolRow(stage: String)
    /// A shared one-row hand-off buffer of the stream schedule.
    case handoff(Int)
    /// Scratch a kernel requested (see `KernelScratchProvider`).
    case kernelScratch(KernelScratchKind)

    /// The internal values of a fused layer step kept as rings.
    public enum RingRole: String, Sendable, Hashable {
        /// A Fire module's squeeze output, read by both expands.
        case squeeze
        /// The map before a fused max pool.
        case prePool
    }

    public init(stringLiteral value: String) {
        self = .value(value)
    }

    public var description: String {
        switch self {
        case .value(let name): name
        case .ring(.squeeze, let node): node + ".squeeze_rows"
        case .ring(.prePool, let node): node + ".prepool_rows"
        case .prePoolRow(let stage): stage + ".prepool_row"
        case .handoff(let index): "stream.handoff\(index)"
        case .kernelScratch(let kind): kind.description
        }
    }

    /// The printable name (same as `description`).
    public var name: String { description }

    public static func < (a: BufferID, b: BufferID) -> Bool {
        a.description < b.description
    }
}

/// What a kernel scratch buffer holds, and for which kernel library.
public struct KernelScratchKind: Sendable, Hashable, CustomStringConvertible {
    public enum Role: Sendable, Hashable {
        /// The im2col staging of the convolution kernels, shared by all.
        case im2col
        /// The running sums of one node's global average.
        case globalAverageSums(node: String)
        /// One decoded block of compressed convolution weights, shared by all.
        case decodedWeights
    }

    /// The kernel library that asks for it (`int8`): part of the name.
    public var library: String
    public var role: Role

    public init(library: String, role: Role) {
        self.library = library
        self.role = role
    }

    public var description: String {
        switch role {
        case .im2col: library + ".im2col"
        case .globalAverageSums(let node): library + ".gap." + node
        case .decodedWeights: library + ".wdec"
        }
    }
}

/// Where a planned buffer lives: `offset` bytes into arena region `region`
/// (0 unless the arena is split over several RAM regions: `RegionPlanner`).
public struct Placement: Sendable, Hashable {
    public var offset: Int
    public var region: Int

    public init(offset: Int, region: Int = 0) {
        self.offset = offset
        self.region = region
    }
}

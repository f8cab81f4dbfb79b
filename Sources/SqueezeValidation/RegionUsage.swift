/// What one memory region of a board holds in a linked firmware image, by
/// part (code, weights, other; data + bss, arena, stack, harness buffers),
/// against its size: the per-region figures `validate`, `firmware` and the
/// fit check report. The stack counts as the board reserves it.
public struct RegionUsage: Sendable, Codable, Equatable {
    public struct Part: Sendable, Codable, Equatable {
        public var name: String
        public var bytes: Int

        public init(name: String, bytes: Int) {
            self.name = name
            self.bytes = bytes
        }
    }

    public var region: String
    public var capacity: Int
    public var parts: [Part]

    public init(region: String, capacity: Int, parts: [Part]) {
        self.region = region
        self.capacity = capacity
        self.parts = parts
    }

    public var bytes: Int { parts.reduce(0) { $0 + $1.bytes } }
    public var fits: Bool { bytes <= capacity }

    /// "SRAM 128580 of 131072 bytes (arena 117760 + data + bss 1188 + stack 4096 + harness buffers 5536)".
    public var summary: String {
        "\(region) \(bytes) of \(capacity) bytes (" + parts.map { "\($0.name) \($0.bytes)" }.joined(separator: " + ") + ")"
    }
}

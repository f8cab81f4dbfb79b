import SqueezeIR

/// A deterministic slice of a data set: item `i` belongs to shard `i % count`.
public struct Shard: Sendable, Codable, Hashable, CustomStringConvertible {
    /// 0-based.
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `K/N` with 0 <= K < N (for example 0/4, the first of four shards).
    public init(parsing text: String) throws(Diagnostic) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else {
            throw .usage("--shard must be K/N with 0 <= K < N (for example 0/4), not '\(text)'")
        }
        self.init(index: k, count: n)
    }

    public func contains(_ item: Int) -> Bool { item % count == index }

    public var description: String { "\(index)/\(count)" }
}

/// `squeezec-manifest.txt`: the files squeezec wrote into an output folder,
/// one line each: SHA-256 (hex), size in bytes, name. Regenerating into the
/// folder removes the files listed here that the new build does not write
/// (unless changed since: their hash differs) and leaves every other file alone.
public struct OutputManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var bytes: Int
        public var sha256: String

        public init(name: String, bytes: Int, sha256: String) {
            self.name = name
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    public static let fileName = "squeezec-manifest.txt"

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { $0.name < $1.name }
    }

    public var names: [String] { entries.map(\.name) }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    public var text: String {
        var lines = ["# \(Self.fileName): the files squeezec wrote into this folder (sha256, bytes, name).",
                     "# Regenerating removes those it no longer writes; other files are left alone."]
        lines += entries.map { "\($0.sha256) \($0.bytes) \($0.name)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses a manifest; lines that are not `hash bytes name` with a plain
    /// file name are ignored (a damaged manifest makes squeezec forget
    /// files, never remove a file it did not list).
    public static func parse(_ text: String) -> OutputManifest {
        var entries: [Entry] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard fields.count == 3, fields[0].count == 64, fields[0].allSatisfy(\.isHexDigit),
                  let bytes = Int(fields[1]), bytes >= 0, isPlainName(fields[2]) else { continue }
            entries.append(Entry(name: fields[2], bytes: bytes, sha256: fields[0].lowercased()))
        }
        return OutputManifest(entries: entries)
    }

    /// A file name squeezec may write or remove: no folder, not hidden, no
    /// control characters.
    public static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/")
            && name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f }
    }
}

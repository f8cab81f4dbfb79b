/// The C files of `Templates/`, carried inside the binary.
public enum Templates {
    /// The text of a template file, or nil if there is none by that name.
    public static func file(_ name: String) -> String? {
        EmbeddedTemplates.files[name].map { $0 + "\n" }
    }

    public static var names: [String] { EmbeddedTemplates.files.keys.sorted() }

    /// The firmware sources for a board: `Firmware/common/*` and
    /// `Firmware/<board>/*`, as (file name, text), sorted by name.
    public static func firmwareFiles(board: String) -> [(name: String, contents: String)] {
        EmbeddedTemplates.files.keys.sorted().compactMap { key in
            let parts = key.split(separator: "/")
            guard parts.count == 3, parts[0] == "Firmware", parts[1] == "common" || parts[1] == board[...] else { return nil }
            return (String(parts[2]), EmbeddedTemplates.files[key]! + "\n")
        }
    }
}

/// The C files of `Templates/` and `Firmware/`, carried inside the binary:
/// `EmbeddedTemplates` is generated from those folders at build time by
/// Plugins/EmbedFilesPlugin, so they exist once, in the folders.
public enum Templates {
    /// The text of a template file (`Templates/NAME` as `NAME`, `Firmware/SUB/NAME` as is), or nil.
    public static func file(_ name: String) -> String? {
        EmbeddedTemplates.files[name]
    }

    public static var names: [String] { EmbeddedTemplates.files.keys.sorted() }

    /// The firmware sources for a board: `Firmware/common/*` and
    /// `Firmware/<board>/*`, as (file name, text): the common files, then the board's, each sorted.
    public static func firmwareFiles(board: String) -> [(name: String, contents: String)] {
        EmbeddedTemplates.files.keys.sorted().compactMap { key in
            let parts = key.split(separator: "/")
            guard parts.count == 3, parts[0] == "Firmware", parts[1] == "common" || parts[1] == board[...] else { return nil }
            return (String(parts[2]), EmbeddedTemplates.files[key]!)
        }
    }
}

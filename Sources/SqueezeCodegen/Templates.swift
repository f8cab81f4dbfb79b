/// The C files of `Templates/` and `Firmware/`, carried inside the binary:
/// `EmbeddedTemplates` is generated from those folders at build time by
/// Plugins/EmbedFilesPlugin, so they exist once, in the folders.
public enum Templates {
    /// The text of a template file (`Templates/NAME` as `NAME`, `Firmware/SUB/NAME` as is), or nil.
    public static func file(_ name: String) -> String? {
        EmbeddedTemplates.files[name]
    }

    public static var names: [String] { EmbeddedTemplates.files.keys.sorted() }

    /// The firmware sources every board shares, `Firmware/common/*`, as
    /// (file name, text), sorted. A board's linker script and `sq_board.h`
    /// are written from its description (`Firmware/boards/<name>.json`).
    public static var commonFirmwareFiles: [(name: String, contents: String)] {
        EmbeddedTemplates.files.keys.sorted().compactMap { key in
            let parts = key.split(separator: "/")
            guard parts.count == 3, parts[0] == "Firmware", parts[1] == "common" else { return nil }
            return (String(parts[2]), EmbeddedTemplates.files[key]!)
        }
    }
}

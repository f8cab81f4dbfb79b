/// The C files of `Templates/`, carried inside the binary.
public enum Templates {
    /// The text of a template file, or nil if there is none by that name.
    public static func file(_ name: String) -> String? {
        EmbeddedTemplates.files[name].map { $0 + "\n" }
    }

    public static var names: [String] { EmbeddedTemplates.files.keys.sorted() }
}

// squeezec-embed: writes one Swift source that carries text files inside the
// squeezec binary, so the C templates and firmware sources exist once (in
// Templates/ and Firmware/) and the binary stays self-contained. Run at build
// time by Plugins/EmbedFilesPlugin; never checked in.
//
//   squeezec-embed OUTPUT.swift ROOT FILE...
//
// FILE is a path relative to ROOT. A file under Templates/ is keyed by its
// name alone (Templates/sq_common.h -> "sq_common.h"); any other keeps its
// relative path ("Firmware/common/sq_harness.c").
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("squeezec-embed: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: squeezec-embed OUTPUT.swift ROOT FILE...") }
let output = URL(fileURLWithPath: arguments[1])
let root = URL(fileURLWithPath: arguments[2], isDirectory: true)

/// A raw string literal that holds `text` exactly: enough `#` that neither a
/// `"""#` inside can end it nor a `\#` start an escape.
func rawLiteral(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) {
        hashes += "#"
    }
    // Multi-line raw strings drop the newline before the closing delimiter:
    // the extra line keeps the file's own last newline (or its absence).
    return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
}

var entries: [(key: String, text: String)] = []
for relative in arguments.dropFirst(3) {
    let url = root.appendingPathComponent(relative)
    guard let data = FileManager.default.contents(atPath: url.path) else { fail("cannot read \(url.path)") }
    guard let text = String(data: data, encoding: .utf8) else { fail("\(relative) is not UTF-8 text") }
    let key = relative.hasPrefix("Templates/") ? String(relative.dropFirst("Templates/".count)) : relative
    entries.append((key, text))
}
entries.sort { $0.key < $1.key }
guard !entries.isEmpty else { fail("no files to embed") }
guard Set(entries.map(\.key)).count == entries.count else { fail("two files have the same key") }

var source = """
    // Generated at build time by squeezec-embed (Plugins/EmbedFilesPlugin) from
    // Templates/ and Firmware/. Not checked in; edit those folders instead.

    enum EmbeddedTemplates {
        static let files: [String: String] = [

    """
for entry in entries {
    source += "        \"\(entry.key)\": \(rawLiteral(entry.text)),\n"
}
source += "    ]\n}\n"

// Rewrite only on change, so an unchanged template does not rebuild the module.
if FileManager.default.contents(atPath: output.path) != Data(source.utf8) {
    do {
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(source.utf8).write(to: output, options: .atomic)
    } catch {
        fail("cannot write \(output.path): \(error)")
    }
}

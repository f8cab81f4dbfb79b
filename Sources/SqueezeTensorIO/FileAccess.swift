import Foundation
import SqueezeIR

/// Whole-file reads and atomic writes, with errors as `Diagnostic`s naming
/// the file.
enum FileAccess {
    /// Throws unless `path` names an existing regular file (or a link to one).
    static func checkReadable(_ path: String) throws(Diagnostic) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .input("no such file", file: path)
        }
        guard !isDirectory.boolValue else {
            throw .input("is a directory, not a file", file: path)
        }
    }

    /// The whole contents of a file.
    static func readBytes(_ path: String) throws(Diagnostic) -> [UInt8] {
        try checkReadable(path)
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .input("cannot read file: \(error.localizedDescription)", file: path)
        }
    }

    /// A fresh, unused name in the folder of `path`, for writing before a rename.
    static func temporaryPath(besides path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).\(UUID().uuidString).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Writes the bytes to a temporary file next to `path`, then renames it
    /// over `path`. On failure the temporary file is removed and `path` is
    /// left as it was.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Diagnostic) {
        let temporary = temporaryPath(besides: path)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary), options: .withoutOverwriting)
        } catch {
            removeIfPresent(temporary)
            throw .input("cannot write file: \(error.localizedDescription)", file: path)
        }
        try replace(path, with: temporary)
    }

    /// Renames `temporary` to `path`, replacing any existing file.
    static func replace(_ path: String, with temporary: String) throws(Diagnostic) {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeIfPresent(temporary)
            throw .input("cannot write file: \(reason)", file: path)
        }
    }

    /// Deletes a file, ignoring errors (used to clean up temporary files).
    static func removeIfPresent(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

import Foundation
import SqueezeIR

/// A new sibling folder of an output folder that a command fills (building in
/// it, say) and then puts in the output's place in one rename, keeping files
/// of the old folder it did not write (a user's Makefile). Until then, and on
/// any error, the output folder is left as it was.
struct StagingFolder {
    let target: URL
    let url: URL

    /// Creates the staging folder next to `path` (whose parent must exist).
    init(for path: String) throws(Diagnostic) {
        let fm = FileManager.default
        target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .input("the parent folder does not exist", file: parent.path)
        }
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .input("exists and is not a folder", file: path)
        }
        url = parent.appendingPathComponent(".\(target.lastPathComponent).squeezec-new-\(UUID().uuidString.prefix(8))")
        do {
            try fm.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw .input("cannot create a folder: \(error.localizedDescription)", file: url.path)
        }
    }

    /// Removes the staging folder (after an error; harmless after `publish`).
    func discard() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Puts the staging folder in the target's place.
    func publish() throws(Diagnostic) {
        let fm = FileManager.default
        let old = url.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).squeezec-old-\(UUID().uuidString.prefix(8))")
        do {
            if fm.fileExists(atPath: target.path) {
                let written = Set(try fm.contentsOfDirectory(atPath: url.path))
                for name in try fm.contentsOfDirectory(atPath: target.path) where !written.contains(name) {
                    try fm.copyItem(at: target.appendingPathComponent(name), to: url.appendingPathComponent(name))
                }
                try fm.moveItem(at: target, to: old)
                do {
                    try fm.moveItem(at: url, to: target)
                } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: url, to: target)
            }
        } catch {
            discard()
            throw .input("cannot write the output folder: \(error.localizedDescription)", file: target.path)
        }
    }
}

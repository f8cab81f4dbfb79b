import Foundation
import SqueezeIR

/// Writes generated files into a folder atomically: everything goes to a new
/// sibling folder first, which then replaces the target in one rename. On any
/// error the target is left as it was.
public enum OutputDirectory {
    public static func write(_ files: [GeneratedFile], to path: String) throws(Diagnostic) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .input("the parent folder does not exist", file: parent.path)
        }
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .input("exists and is not a folder", file: path)
        }
        let token = UUID().uuidString.prefix(8)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).squeezec-new-\(token)")
        let old = parent.appendingPathComponent(".\(target.lastPathComponent).squeezec-old-\(token)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
            }
            if fm.fileExists(atPath: target.path) {
                // Keep files of the old folder that squeezec did not write (a user's Makefile, say).
                for name in try fm.contentsOfDirectory(atPath: target.path) where !files.contains(where: { $0.name == name }) {
                    try fm.copyItem(at: target.appendingPathComponent(name), to: staging.appendingPathComponent(name))
                }
                try fm.moveItem(at: target, to: old)
                do {
                    try fm.moveItem(at: staging, to: target)
                } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw .input("cannot write the generated files: \(error.localizedDescription)", file: path)
        }
    }
}

import Foundation
import SqueezeIR

/// Puts generated files into an output folder, touching only files squeezec
/// writes. New files are written into a hidden staging folder inside the
/// target first (`.squeezec-staging-XXXXXXXX`), then each is renamed into
/// place, so no file is ever half-written and files squeezec replaces are
/// never opened (a FIFO or a symlink in their place is replaced, not
/// followed). Files listed in the folder's previous `squeezec-manifest.txt`
/// that the new build does not write are removed (if unchanged); every other
/// file is left as it was, same inode. Missing parent folders are created.
/// The staging folder (and a target folder it created) is registered with
/// `TemporaryPaths.shared`, so an interrupted command leaves neither behind.
public struct OutputDirectory {
    /// The folder the files go to.
    public let target: URL
    /// Where they are written (or built) first.
    public let staging: URL
    /// Folders this created (the target and missing parents), innermost first.
    private var createdFolders: [URL] = []

    /// What a commit did besides writing the new files.
    public struct Result: Sendable, Equatable {
        /// Files of the previous manifest that were removed.
        public var removed: [String] = []
        /// Files of the previous manifest the new build does not write but
        /// that were changed since (or are no longer plain files): kept.
        public var kept: [String] = []
    }

    /// Checks `path` (not empty, a folder or nothing), creates it and its
    /// parents if missing, and creates the staging folder inside it.
    public init(_ path: String) throws(Diagnostic) {
        guard !path.isEmpty else { throw .usage("the output folder must not be empty (use -o . for the current folder)") }
        let fm = FileManager.default
        target = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .input("exists and is not a folder", file: path) }
        } else {
            // The first missing ancestor: removed again if nothing is committed.
            var top = target
            while !fm.fileExists(atPath: top.deletingLastPathComponent().path), top.pathComponents.count > 1 {
                top = top.deletingLastPathComponent()
            }
            do {
                try fm.createDirectory(at: target, withIntermediateDirectories: true)
            } catch {
                throw .input("cannot create the output folder: \(Self.reason(error))", file: path)
            }
            // Innermost first: removed on failure or interrupt only if empty.
            createdFolders = Self.chain(from: target, to: top)
            for folder in createdFolders { TemporaryPaths.shared.registerIfEmpty(folder) }
        }
        staging = target.appendingPathComponent(".squeezec-staging-\(UUID().uuidString.prefix(8).lowercased())")
        TemporaryPaths.shared.register(staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            discard()
            throw .input("cannot write into the output folder: \(Self.reason(error))", file: path)
        }
    }


    private static func chain(from inner: URL, to outer: URL) -> [URL] {
        var folders = [inner]
        var folder = inner
        while folder != outer, folder.pathComponents.count > 1 {
            folder = folder.deletingLastPathComponent()
            folders.append(folder)
        }
        return folders
    }

    /// Writes `files` into `path` (see the type's description).
    @discardableResult
    public static func write(_ files: [GeneratedFile], to path: String) throws(Diagnostic) -> Result {
        let output = try OutputDirectory(path)
        do {
            try output.stage(files)
            return try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }

    /// Writes files into the staging folder.
    public func stage(_ files: [GeneratedFile]) throws(Diagnostic) {
        for file in files {
            guard OutputManifest.isPlainName(file.name), file.name != OutputManifest.fileName else {
                throw .internal("generated file name '\(file.name)' is not a plain file name")
            }
            do {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name), options: .withoutOverwriting)
            } catch {
                throw .input("cannot write the generated files: \(Self.reason(error))", file: target.path)
            }
        }
    }

    /// Removes the staging folder, and the target if this created it and it
    /// is still empty (after an error).
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
        TemporaryPaths.shared.unregister(staging)
        for folder in createdFolders {
            _ = rmdir(folder.path)
            TemporaryPaths.shared.unregister(folder)
        }
    }

    /// Moves every plain file of the staging folder into the target, writes
    /// the new manifest, removes files of the old manifest not written now,
    /// and removes the staging folder.
    public func commit() throws(Diagnostic) -> Result {
        let fm = FileManager.default
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: staging.path)
                .filter { OutputManifest.isPlainName($0) && Self.kind(staging.appendingPathComponent($0)) == S_IFREG }
                .sorted()
        } catch {
            throw .input("cannot read the staging folder: \(Self.reason(error))", file: staging.path)
        }
        // Before anything moves: a folder in the way of a file is an error.
        for name in names + [OutputManifest.fileName] where Self.kind(target.appendingPathComponent(name)) == S_IFDIR {
            throw .input("is a folder; squeezec writes a file of that name", file: target.appendingPathComponent(name).path)
        }
        let old = Self.readManifest(in: target)
        var entries: [OutputManifest.Entry] = []
        for name in names {
            let url = staging.appendingPathComponent(name)
            var info = stat()
            guard lstat(url.path, &info) == 0, let hash = SHA256.hex(contentsOf: url) else {
                throw .input("cannot read a staged file", file: url.path)
            }
            entries.append(.init(name: name, bytes: Int(info.st_size), sha256: hash))
        }
        let manifest = OutputManifest(entries: entries)
        do {
            try Data(manifest.text.utf8).write(to: staging.appendingPathComponent(OutputManifest.fileName), options: .withoutOverwriting)
        } catch {
            throw .input("cannot write the manifest: \(Self.reason(error))", file: target.path)
        }
        var result = Result()
        // Interrupts wait until every file is in place.
        let failed: String? = TemporaryPaths.shared.withLock { () -> String? in
            for name in names + [OutputManifest.fileName] {
                if rename(staging.appendingPathComponent(name).path, target.appendingPathComponent(name).path) != 0 {
                    return "\(name): \(String(cString: strerror(errno)))"
                }
            }
            let written = Set(names)
            for entry in old?.entries ?? [] where !written.contains(entry.name) {
                let url = target.appendingPathComponent(entry.name)
                let kind = Self.kind(url)
                if kind == nil { continue }
                if kind == S_IFREG, Self.matches(url, entry) {
                    if unlink(url.path) == 0 { result.removed.append(entry.name); continue }
                }
                result.kept.append(entry.name)
            }
            return nil
        }
        discard()
        if let failed { throw .input("cannot put a generated file in place: \(failed)", file: target.path) }
        return result
    }

    /// The folder's manifest, if it is a plain file.
    static func readManifest(in folder: URL) -> OutputManifest? {
        let url = folder.appendingPathComponent(OutputManifest.fileName)
        guard kind(url) == S_IFREG, let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return OutputManifest.parse(String(decoding: data, as: UTF8.self))
    }

    /// Whether a plain file still has the size and hash its manifest entry says.
    static func matches(_ url: URL, _ entry: OutputManifest.Entry) -> Bool {
        var info = stat()
        guard lstat(url.path, &info) == 0, Int(info.st_size) == entry.bytes else { return false }
        return SHA256.hex(contentsOf: url) == entry.sha256
    }

    /// The file type (`S_IFREG`, `S_IFDIR`, ...) without following a symlink; nil if absent.
    static func kind(_ url: URL) -> mode_t? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}

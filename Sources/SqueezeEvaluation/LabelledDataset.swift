import Foundation
import SqueezeIR

/// A labelled image set in the ImageFolder convention: one sub-folder per
/// class, holding that class's inputs (`.npy`/`.pb` tensors, already
/// preprocessed, or `.png`/`.ppm`/`.pgm`/`.pnm` images).
///
/// Class index: the folder's position in `labels.txt` (one folder name a line,
/// optional) or else in the sorted folder names. Files are sorted by name
/// within a class; the set's order interleaves the classes (the first file of
/// every class, then the second, ...), so `--limit N` and every shard are
/// spread over all classes. Names starting with '.' are ignored.
public struct LabelledDataset: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        /// Position in the whole set (shard membership: `index % count`).
        public var index: Int
        /// Path relative to the data folder (`class/file`).
        public var name: String
        public var path: String
        public var label: Int
    }

    public var directory: String
    /// Class (folder) names, by class index.
    public var classes: [String]
    public var items: [Item]

    public static let labelsFile = "labels.txt"

    public init(directory: String) throws(Diagnostic) {
        self.directory = directory
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .input("--data needs a folder with one sub-folder per class", file: directory)
        }
        let entries = try Self.list(directory)
        let folders = entries.filter { name in
            var sub: ObjCBool = false
            return fm.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &sub) && sub.boolValue
        }
        let labelsPath = (directory as NSString).appendingPathComponent(Self.labelsFile)
        if fm.fileExists(atPath: labelsPath) {
            classes = try Self.readLabels(labelsPath, folders: folders)
        } else {
            classes = folders
        }
        guard !classes.isEmpty else { throw .input("no class folders (one sub-folder per class) in the data folder", file: directory) }
        var perClass: [[String]] = []
        for name in classes {
            let folder = (directory as NSString).appendingPathComponent(name)
            var files: [String] = []
            for file in try Self.list(folder) {
                let path = (folder as NSString).appendingPathComponent(file)
                var sub: ObjCBool = false
                if fm.fileExists(atPath: path, isDirectory: &sub), sub.boolValue {
                    throw .input("class folders must hold files only, not a folder", file: path)
                }
                guard InputFolder.isInputFile(file) else {
                    throw .input("unknown file type (expected .npy, .pb, " + InputFiles.imageExtensions.map { "." + $0 }.joined(separator: ", ") + ")",
                                 file: path)
                }
                files.append(file)
            }
            guard !files.isEmpty else { throw .input("class folder '\(name)' holds no inputs", file: folder) }
            perClass.append(files)
        }
        var items: [Item] = []
        let longest = perClass.map(\.count).max() ?? 0
        for position in 0..<longest {
            for (label, files) in perClass.enumerated() where position < files.count {
                let name = classes[label] + "/" + files[position]
                items.append(Item(index: items.count, name: name, path: (directory as NSString).appendingPathComponent(name), label: label))
            }
        }
        self.items = items
    }

    /// Visible entries of a folder, sorted.
    static func list(_ folder: String) throws(Diagnostic) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw .input("cannot list the folder: \(error.localizedDescription)", file: folder)
        }
    }

    /// `labels.txt`: one class folder name a line (blank lines ignored); the
    /// line's position is the class index. Every folder must be listed once.
    static func readLabels(_ path: String, folders: [String]) throws(Diagnostic) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .input("cannot read the labels file", file: path) }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var seen = Set<String>()
        for name in names {
            guard seen.insert(name).inserted else { throw .input("class '\(name)' is listed twice", file: path) }
            guard folders.contains(name) else { throw .input("class '\(name)' has no folder", file: path) }
        }
        if let missing = folders.first(where: { !seen.contains($0) }) {
            throw .input("folder '\(missing)' is not listed", file: path)
        }
        return names
    }

    /// Throws unless the model has one output per class.
    public func check(outputs: Int) throws(Diagnostic) {
        guard outputs == classes.count else {
            throw .input("the data has \(classes.count) classes (folders) but the model has \(outputs) outputs", file: directory)
        }
    }

    /// The first `limit` items (all when nil), then the items of shard
    /// `shard` (items whose index modulo `shard.count` is `shard.index`).
    public func selection(limit: Int?, shard: Shard) -> [Item] {
        let limited = limit.map { Array(items.prefix($0)) } ?? items
        return limited.filter { shard.contains($0.index) }
    }

    /// The model input for one item: the single place a data set is read.
    /// Images are preprocessed with `preprocessing` (nil: the standard one
    /// for the input's channels), as `run` and `validate` read them.
    public static func load(_ item: Item, for input: ValueInfo, preprocessing: Preprocessing? = nil) throws(Diagnostic) -> [Float] {
        try InputFiles.readInput(item.path, for: input, preprocessing: preprocessing)
    }
}

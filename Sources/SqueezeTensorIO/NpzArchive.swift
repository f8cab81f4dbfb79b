import Foundation
import SqueezeIR
import ZIPFoundation

/// Reads and writes NumPy `.npz` archives: zip files holding one `.npy` file
/// per array, as written by `np.savez` (stored) and `np.savez_compressed`
/// (deflate).
public enum NpzArchive {
    /// The most uncompressed data `read` accepts by default: 1 GiB.
    public static let defaultByteLimit = 1 << 30

    /// Modification time written into archives, so output is deterministic:
    /// 1980-01-01 00:00:00 UTC, the earliest time a zip file can hold.
    static let fixedModificationDate = Date(timeIntervalSince1970: 315_532_800)

    /// Reads every array of an `.npz` file. Keys are the entry names without
    /// the `.npy` suffix, as `np.load(...).files` shows them.
    ///
    /// Fails if the archive is not a zip file, holds an entry that is not a
    /// `.npy` file, or would expand to more than `byteLimit` bytes in total.
    /// Errors inside an entry name the file as `archive.npz[entry.npy]`.
    public static func read(path: String, byteLimit: Int = defaultByteLimit) throws(Diagnostic) -> [String: NpyArray] {
        try FileAccess.checkReadable(path)
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .input("not a NumPy .npz file (not a zip archive)", file: path)
        }
        var arrays: [String: NpyArray] = [:]
        var totalBytes = 0
        for entry in archive {
            let name = MessageText.printable(entry.path, limit: 200)
            guard entry.type == .file, entry.path.hasSuffix(".npy") else {
                throw .input("entry '\(name)' is not a .npy array", file: path)
            }
            let key = String(entry.path.dropLast(4))
            guard arrays[key] == nil else {
                throw .input("the archive holds '\(name)' twice", file: path)
            }
            let remaining = byteLimit - totalBytes
            guard entry.uncompressedSize <= UInt64(max(0, remaining)) else {
                throw .input("entry '\(name)' is \(entry.uncompressedSize) bytes uncompressed; "
                             + "the archive would exceed the limit of \(byteLimit) bytes", file: path)
            }
            let bytes = try extract(entry, from: archive, size: Int(entry.uncompressedSize), archivePath: path)
            totalBytes += bytes.count
            arrays[key] = try NpyFormat.decode(bytes, file: "\(path)[\(name)]")
        }
        return arrays
    }

    /// The uncompressed bytes of an entry, which must be exactly `size` bytes
    /// (its declared size, already checked against the limit).
    private static func extract(_ entry: Entry, from archive: Archive, size: Int,
                                archivePath: String) throws(Diagnostic) -> [UInt8] {
        let name = MessageText.printable(entry.path, limit: 200)
        var bytes: [UInt8] = []
        do {
            _ = try archive.extract(entry) { chunk in
                guard chunk.count <= size - bytes.count else {
                    throw Diagnostic.input("entry '\(name)' holds more than its declared \(size) bytes", file: archivePath)
                }
                bytes.append(contentsOf: chunk)
            }
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw .input("cannot read entry '\(name)': \(error)", file: archivePath)
        }
        guard bytes.count == size else {
            throw .input("entry '\(name)' holds \(bytes.count) bytes, its header declares \(size)", file: archivePath)
        }
        return bytes
    }

    /// Writes the arrays as an uncompressed `.npz` (like `np.savez`), one
    /// entry `key.npy` per array in sorted key order, with a fixed timestamp,
    /// so the same arrays always give the same bytes. The file is written to
    /// a temporary name in the same folder and renamed into place.
    public static func write(_ arrays: [String: NpyArray], to path: String) throws(Diagnostic) {
        for (key, array) in arrays where !array.shapeMatchesStorage {
            throw .input("array '\(key)' has shape \(NpyHeader.pythonTuple(array.shape)) but \(array.storage.count) values", file: path)
        }
        let temporary = FileAccess.temporaryPath(besides: path)
        do {
            try writeArchive(arrays, at: temporary, reportingAs: path)
        } catch {
            FileAccess.removeIfPresent(temporary)
            throw error
        }
        try FileAccess.replace(path, with: temporary)
    }

    /// Creates the zip file; the archive is closed when this returns.
    private static func writeArchive(_ arrays: [String: NpyArray], at temporary: String,
                                     reportingAs path: String) throws(Diagnostic) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
        } catch {
            throw .input("cannot create file: \(error)", file: path)
        }
        for (key, array) in arrays.sorted(by: { $0.key < $1.key }) {
            let bytes = NpyFormat.encode(array)
            do {
                try archive.addEntry(with: key + ".npy", type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: fixedModificationDate, permissions: 0o644,
                                     compressionMethod: .none) { position, size in
                    let start = Int(position)
                    return Data(bytes[start..<min(start + size, bytes.count)])
                }
            } catch {
                throw .input("cannot write array '\(key)': \(error)", file: path)
            }
        }
    }
}

import Foundation
import Testing
import SqueezeIR
@testable import SqueezeTensorIO

/// Helpers shared by the test files.
enum TestSupport {
    /// A version 1.0 `.npy` file with any header text (padding added like
    /// NumPy) followed by `data`.
    static func npy(header: String, data: [UInt8] = []) -> [UInt8] {
        var text = Array(header.utf8)
        let padding = 64 - (10 + text.count + 1) % 64
        text += [UInt8](repeating: 0x20, count: padding)
        text.append(0x0A)
        let length = text.count
        return NpyFormat.magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + text + data
    }

    /// Little-endian bytes of float32 values.
    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in
            let bits = value.bitPattern
            return (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
        }
    }

    /// The error `decode` throws, or nil if it succeeds.
    static func decodeError(_ bytes: [UInt8], file: String = "input.npy") -> Diagnostic? {
        do {
            _ = try NpyFormat.decode(bytes, file: file)
            return nil
        } catch {
            return error
        }
    }

    /// The diagnostic `body` throws, or nil if it succeeds. Any other error
    /// is a test failure: the library only ever throws `Diagnostic`.
    static func error(_ body: () throws -> Void) -> Diagnostic? {
        do {
            try body()
            return nil
        } catch let diagnostic as Diagnostic {
            return diagnostic
        } catch {
            Issue.record("threw \(type(of: error)), not a Diagnostic: \(error)")
            return nil
        }
    }

    /// Runs `body` with a fresh empty folder, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("squeeze-tio-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// Writes raw bytes to a file.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The names in a folder, sorted.
    static func listing(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }
}

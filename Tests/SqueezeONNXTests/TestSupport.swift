import Foundation
import SqueezeIR
import SqueezeReference
import Testing
@testable import SqueezeFrontend

enum TestSupport {
    static func randomFloats(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in Float.random(in: range, using: &random) }
    }

    /// The diagnostic `body` throws, or nil if it succeeds.
    static func error<T>(_ body: () throws(Diagnostic) -> T) -> Diagnostic? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    /// The diagnostic importing `bytes` gives (a test failure if it succeeds).
    static func importError(_ bytes: [UInt8], file: String = "test.onnx",
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic {
        guard let error = error({ () throws(Diagnostic) in try ONNXImporter.load(bytes: bytes, file: file) }) else {
            Issue.record("import succeeded but should have failed", sourceLocation: sourceLocation)
            return Diagnostic(.internal, "no error")
        }
        return error
    }

    /// Runs a one-input one-output graph on an NHWC input.
    static func run(_ graph: Graph, _ input: [Float]) throws -> [Float] {
        try ReferenceInterpreter(graph: graph).run(input)
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Runs `body` with a fresh empty folder, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-onnx-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }
}

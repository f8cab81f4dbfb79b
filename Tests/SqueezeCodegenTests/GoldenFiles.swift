import Foundation
import Testing

/// Golden files live in Tests/SqueezeCodegenTests/Golden. A mismatch fails;
/// `SQUEEZEC_RECORD=1 swift test` rewrites them, to be reviewed as a diff.
enum GoldenFiles {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ text: String, name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SQUEEZEC_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: url, encoding: .utf8)
        #expect(expected != nil, "missing golden file \(name): record with SQUEEZEC_RECORD=1", sourceLocation: sourceLocation)
        #expect(text == expected, "\(name) differs from its golden file (re-record with SQUEEZEC_RECORD=1 and review the diff)",
                sourceLocation: sourceLocation)
    }
}

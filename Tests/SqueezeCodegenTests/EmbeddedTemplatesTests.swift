import Foundation
import Testing
@testable import SqueezeCodegen

/// `Sources/SqueezeCodegen/EmbeddedTemplates.swift` carries the files of
/// `Templates/` inside the squeezec binary. This test fails when they differ;
/// `SQUEEZEC_RECORD=1 swift test --filter EmbeddedTemplatesTests` (or
/// `make templates`) rewrites the Swift file from Templates/.
@Suite struct EmbeddedTemplatesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func templateFiles() throws -> [(String, String)] {
        let folder = root.appendingPathComponent("Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".h") || $0.hasSuffix(".c") || $0.hasSuffix(".in") }
            .sorted()
        return try names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func swiftSource(_ files: [(String, String)]) -> String {
        var out = """
            // Generated from Templates/ by EmbeddedTemplatesTests; do not edit.
            // Re-record: make templates (SQUEEZEC_RECORD=1 swift test --filter EmbeddedTemplatesTests).

            enum EmbeddedTemplates {
                static let files: [String: String] = [

            """
        for (name, content) in files {
            precondition(!content.contains("\"\"\"#"), "\(name) contains a raw-string terminator")
            out += "        \"\(name)\": #\"\"\"\n\(content)\"\"\"#,\n"
        }
        out += "    ]\n}\n"
        return out
    }

    @Test func embeddedCopiesMatchTemplatesFolder() throws {
        let files = try Self.templateFiles()
        #expect(files.count >= 4)
        let expected = Self.swiftSource(files)
        let target = Self.root.appendingPathComponent("Sources/SqueezeCodegen/EmbeddedTemplates.swift")
        let current = (try? String(contentsOf: target, encoding: .utf8)) ?? ""
        if ProcessInfo.processInfo.environment["SQUEEZEC_RECORD"] == "1" {
            if current != expected { try expected.write(to: target, atomically: true, encoding: .utf8) }
            return
        }
        #expect(current == expected, "Templates/ changed: run `make templates` and rebuild")
        for (name, content) in files {
            // Multi-line raw strings drop the final newline; the accessor puts it back.
            #expect(Templates.file(name) == content, "\(name)")
        }
    }
}

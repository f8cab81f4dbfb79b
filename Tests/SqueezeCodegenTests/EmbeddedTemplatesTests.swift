import Foundation
import Testing
@testable import SqueezeCodegen

/// `Sources/SqueezeCodegen/EmbeddedTemplates.swift` carries the files of
/// `Templates/` and `Firmware/` inside the squeezec binary. This test fails when they differ;
/// `SQUEEZEC_RECORD=1 swift test --filter EmbeddedTemplatesTests` (or
/// `make templates`) rewrites the Swift file from Templates/.
@Suite struct EmbeddedTemplatesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let extensions = [".h", ".c", ".in", ".ld"]
    /// Files the binary never writes out: the firmware's tick calibration
    /// program (only its own tests use it).
    static let notEmbedded: Set<String> = ["sq_calibrate.c"]

    /// Templates/NAME as NAME, and Firmware/SUB/NAME as Firmware/SUB/NAME.
    static func templateFiles() throws -> [(String, String)] {
        var files: [(String, String)] = []
        let fm = FileManager.default
        let templates = root.appendingPathComponent("Templates")
        for name in try fm.contentsOfDirectory(atPath: templates.path)
        where extensions.contains(where: name.hasSuffix) && !notEmbedded.contains(name) {
            files.append((name, try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)))
        }
        let firmware = root.appendingPathComponent("Firmware")
        for folder in try fm.contentsOfDirectory(atPath: firmware.path) {
            let url = firmware.appendingPathComponent(folder)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for name in try fm.contentsOfDirectory(atPath: url.path)
            where extensions.contains(where: name.hasSuffix) && !notEmbedded.contains(name) {
                files.append(("Firmware/\(folder)/\(name)", try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)))
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static func swiftSource(_ files: [(String, String)]) -> String {
        var out = """
            // Generated from Templates/ and Firmware/ by EmbeddedTemplatesTests; do not edit.
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

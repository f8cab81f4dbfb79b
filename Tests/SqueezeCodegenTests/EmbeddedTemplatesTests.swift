import Foundation
import Testing
@testable import SqueezeCodegen

/// The binary carries Templates/ and Firmware/ (every file but the READMEs),
/// generated into the build folder by Plugins/EmbedFilesPlugin: the embedded
/// copies must equal the folders, byte for byte, with nothing missing or extra.
@Suite struct EmbeddedTemplatesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every file the folders hold (READMEs aside), keyed as `Templates.file` keys them.
    static func filesOnDisk() throws -> [String: String] {
        var files: [String: String] = [:]
        for folder in ["Templates", "Firmware"] {
            let base = root.appendingPathComponent(folder)
            let walker = try #require(FileManager.default.enumerator(atPath: base.path))
            while let relative = walker.nextObject() as? String {
                let url = base.appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      !relative.hasSuffix(".md"), !(relative as NSString).lastPathComponent.hasPrefix(".") else { continue }
                let key = folder == "Templates" ? relative : "\(folder)/\(relative)"
                files[key] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        return files
    }

    @Test func embeddedFilesEqualTheFolders() throws {
        let disk = try Self.filesOnDisk()
        #expect(disk.keys.contains("sq_kernels_f32.h") && disk.keys.contains("Firmware/common/sq_harness.c"))
        #expect(Templates.names == disk.keys.sorted(), "embedded names differ from Templates/ and Firmware/: rebuild")
        for (name, contents) in disk {
            #expect(Templates.file(name) == contents, "\(name) differs from its embedded copy: rebuild")
        }
    }

    @Test func firmwareFilesAreTheCommonFolder() throws {
        let disk = try Self.filesOnDisk()
        let files = Templates.commonFirmwareFiles
        let expected = disk.keys.filter { $0.hasPrefix("Firmware/common/") }.map { ($0 as NSString).lastPathComponent }.sorted()
        #expect(files.map(\.name) == expected && files.contains { $0.name == "sq_startup.c" })
        for file in files {
            #expect(disk["Firmware/common/" + file.name] == file.contents, "\(file.name)")
        }
        // The boards are descriptions; their linker scripts are generated.
        #expect(disk.keys.contains("Firmware/boards/mps2-an386.json") && !disk.keys.contains { $0.hasSuffix(".ld") })
    }
}

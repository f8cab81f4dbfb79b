import Foundation
import Testing

/// The firmware's own test script (Tests/Firmware/run.sh): startup, linker
/// scripts, semihosting, fault handling, stack painting and instruction
/// counting on every board, with a hand-written fake model and a generated one.
@Suite struct FirmwareScriptTests {
    @Test func firmwareTestScriptPassesOnEveryBoard() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("firmware-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("Firmware/run.sh").path]
        var environment = ProcessInfo.processInfo.environment
        environment["SQ_FIRMWARE_REQUIRED"] = "1"
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(output.suffix(3000))")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" 0 failed") && last.contains(" passed, "), "\(last)")
    }
}

import Foundation
import SqueezeValidation
import Testing

/// The firmware's own test script (Tests/Firmware/run.sh): startup, linker
/// scripts, semihosting, fault handling, stack painting and instruction
/// counting on every board, with a hand-written fake model and a generated one.
@Suite struct FirmwareScriptTests {
    @Test func firmwareTestScriptPassesOnEveryBoard() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("firmware-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        // The boards' linker scripts and sq_board.h, as squeezec writes them.
        let boards = FileManager.default.temporaryDirectory.appendingPathComponent("firmware-boards-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: log)
            try? FileManager.default.removeItem(at: boards)
        }
        for board in Board.all {
            let folder = boards.appendingPathComponent(board.name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try LinkerScript.text(for: board).write(to: folder.appendingPathComponent("\(board.name).ld"), atomically: true, encoding: .utf8)
            try BoardHeader.text(for: board).write(to: folder.appendingPathComponent("sq_board.h"), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("Firmware/run.sh").path]
        var environment = ProcessInfo.processInfo.environment
        environment["SQ_FIRMWARE_REQUIRED"] = "1"
        environment["SQ_BOARD_DIR"] = boards.path
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

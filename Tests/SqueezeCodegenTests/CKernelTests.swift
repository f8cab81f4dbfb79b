import Foundation
import SqueezeValidation
import Testing

/// The C kernels of Templates/ have their own test program
/// (Tests/CKernels/test_kernels_f32.c): gcc and clang at -O2, under
/// ASan/UBSan, and a Cortex-M4F compile. This runs it as part of `swift test`.
@Suite struct CKernelTests {
    @Test(arguments: ["run.sh", "run_s8.sh"])
    func kernelTestProgramPassesWithEveryCompiler(script name: String) throws {
        // run_s8.sh: the int8 kernels (groundwork for int8 code generation), portable and
        // Cortex-M DSP paths, the DSP path run under QEMU on mps2-an386.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("CKernels/\(name)")
        // The Cortex-M build's linker script and sq_board.h, as squeezec writes them.
        let boards = FileManager.default.temporaryDirectory.appendingPathComponent("ckernels-boards-\(UUID().uuidString)")
        let board = boards.appendingPathComponent(Board.an386.name)
        try FileManager.default.createDirectory(at: board, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: boards) }
        try LinkerScript.text(for: .an386).write(to: board.appendingPathComponent("mps2-an386.ld"), atomically: true, encoding: .utf8)
        try BoardHeader.text(for: .an386).write(to: board.appendingPathComponent("sq_board.h"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        var environment = ProcessInfo.processInfo.environment
        environment["SQ_BOARD_DIR"] = boards.path
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("ckernels-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(output.suffix(2000))")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" passed, 0 failed") || last == "ALL OK", "\(last)")
        #expect(output.contains(" passed, 0 failed"))
    }
}

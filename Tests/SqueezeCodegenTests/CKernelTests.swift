import Foundation
import Testing

/// The C kernels of Templates/ have their own test program
/// (Tests/CKernels/test_kernels_f32.c): gcc and clang at -O2, under
/// ASan/UBSan, and a Cortex-M4F compile. This runs it as part of `swift test`.
@Suite struct CKernelTests {
    @Test func kernelTestProgramPassesWithEveryCompiler() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("CKernels/run.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
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
        #expect(output.contains("ALL OK"))
        #expect(!output.contains(" 1 failed") && output.contains(" passed, 0 failed"))
    }
}

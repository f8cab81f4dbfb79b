import Foundation
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
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" passed, 0 failed") || last == "ALL OK", "\(last)")
        #expect(output.contains(" passed, 0 failed"))
    }
}

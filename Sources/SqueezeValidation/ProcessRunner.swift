import Foundation
import SqueezeCodegen
import SqueezeIR

/// Runs a program with a time limit and captures its output.
public enum ProcessRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    public static func run(_ executable: String, _ arguments: [String], directory: URL? = nil,
                           timeout: TimeInterval = 600) throws(Diagnostic) -> Result {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable]
        }
        process.arguments = (process.arguments ?? []) + arguments
        if let directory { process.currentDirectoryURL = directory }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        TemporaryPaths.shared.register(outFile)
        TemporaryPaths.shared.register(errFile)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
            TemporaryPaths.shared.unregister(outFile)
            TemporaryPaths.shared.unregister(errFile)
        }
        do {
            // Files, not pipes: a chatty child can never block on a full pipe.
            process.standardOutput = try FileHandle(forWritingTo: outFile)
            process.standardError = try FileHandle(forWritingTo: errFile)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            throw .input("cannot run \(executable): \(error.localizedDescription)")
        }
        // An interrupted command stops it before removing its files.
        TemporaryPaths.shared.registerProcess(process.processIdentifier)
        defer { TemporaryPaths.shared.unregisterProcess(process.processIdentifier) }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                Thread.sleep(forTimeInterval: 0.5)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }
}

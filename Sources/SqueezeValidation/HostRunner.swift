import Foundation
import SqueezeCodegen
import SqueezeIR

/// Compiles generated C with the host compiler (`$CC`, else `cc`) into the
/// harness of Templates/sq_host_main.c, strict flags, and runs it.
public struct HostRunner: ModelRunner {
    public let targetName = "host"
    public var compiler: String
    public var extraFlags: [String]
    public var timeout: TimeInterval

    public init(compiler: String? = nil, extraFlags: [String] = [], timeout: TimeInterval = 300) {
        self.compiler = compiler ?? ProcessInfo.processInfo.environment["CC"] ?? "cc"
        self.extraFlags = extraFlags
        self.timeout = timeout
    }

    public static let strictFlags = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wdouble-promotion"]

    public mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic) -> BuildInfo? {
        guard let harness = Templates.file("sq_host_main.c") else { throw .internal("template sq_host_main.c is missing") }
        do {
            try Data(harness.utf8).write(to: directory.appendingPathComponent("sq_host_main.c"))
        } catch {
            throw .input("cannot write the harness: \(error.localizedDescription)", file: directory.path)
        }
        let upper = model.prefix.uppercased()
        let sources = model.files.map(\.name).filter { $0.hasSuffix(".c") } + ["sq_host_main.c"]
        var arguments = Self.strictFlags + ["-O2"] + extraFlags
        arguments += ["-DSQ_MODEL_HEADER=\"\(model.prefix).h\"", "-DSQ_RUN=\(model.prefix)_run",
                      "-DSQ_INPUT_COUNT=\(upper)_INPUT_COUNT", "-DSQ_OUTPUT_COUNT=\(upper)_OUTPUT_COUNT"] + model.harnessDefines
        if trace { arguments.append("-DSQ_TRACE") }
        arguments += sources + ["-lm", "-o", executableName(trace)]
        let result = try ProcessRunner.run(compiler, arguments, directory: directory, timeout: timeout)
        guard result.status == 0, !result.timedOut else {
            let first = result.stderr.split(separator: "\n").prefix(3).joined(separator: " | ")
            throw .internal("\(compiler) failed to build the generated C (\(directory.path)): \(first)")
        }
        return nil
    }

    func executableName(_ trace: Bool) -> String { trace ? "harness_trace" : "harness" }

    public func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> RunResult {
        let inputFile = directory.appendingPathComponent("input.bin")
        let outputFile = directory.appendingPathComponent("output.bin")
        let traceFile = directory.appendingPathComponent("trace.bin")
        try FloatFile.write(model.inputFile(input), to: inputFile)
        try? FileManager.default.removeItem(at: traceFile)
        let traced = FileManager.default.fileExists(atPath: directory.appendingPathComponent(executableName(true)).path)
        let executable = directory.appendingPathComponent(executableName(traced)).path
        var arguments = [inputFile.path, outputFile.path]
        if traced { arguments.append(traceFile.path) }
        let process = try ProcessRunner.run(executable, arguments, directory: directory, timeout: timeout)
        guard !process.timedOut else { throw .input("the generated code did not finish within \(Int(timeout)) s") }
        guard process.status == 0 else {
            throw .input("the generated code failed (exit status \(process.status)): \(process.stderr.split(separator: "\n").first ?? "")")
        }
        var result = RunResult(output: try FloatFile.read(outputFile, count: model.outputCount, int8: model.isInt8))
        if traced, let bytes = try? Data(contentsOf: traceFile) {
            result.trace = try TraceFile.parse(Array(bytes), file: traceFile.path, int8: model.isInt8)
        }
        return result
    }
}

extension HostRunner: BatchRunner {
    public func batchInput(in directory: URL, slot: Int) throws(Diagnostic) -> URL {
        directory.appendingPathComponent("batch-\(slot)-input.bin")
    }

    /// `harness -n N inputs.bin outputs.bin`: the whole batch in one process.
    public func runBatch(count: Int, model: GeneratedModel, in directory: URL, slot: Int) throws(Diagnostic) -> [[Float]] {
        let inputFile = try batchInput(in: directory, slot: slot)
        let outputFile = directory.appendingPathComponent("batch-\(slot)-output.bin")
        defer {
            try? FileManager.default.removeItem(at: inputFile)
            try? FileManager.default.removeItem(at: outputFile)
        }
        let executable = directory.appendingPathComponent(executableName(false)).path
        let process = try ProcessRunner.run(executable, ["-n", String(count), inputFile.path, outputFile.path],
                                            directory: directory, timeout: timeout * Double(count / 100 + 1))
        guard !process.timedOut else { throw .input("the generated code did not finish a batch of \(count) inputs in time") }
        guard process.status == 0 else {
            throw .input("the generated code failed (exit status \(process.status)): \(process.stderr.split(separator: "\n").first ?? "")")
        }
        let values = try FloatFile.read(outputFile, count: model.outputCount * count, int8: model.isInt8)
        return Self.split(values, count: count, each: model.outputCount)
    }
}

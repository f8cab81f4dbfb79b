import Foundation
import SqueezeCodegen
import SqueezeMemory
import SqueezeIR

/// Cross-compiles generated C with the board's startup, linker script and
/// harness (Firmware/), and runs it under qemu-system-arm with -icount, so
/// instruction counts are deterministic.
public struct FirmwareRunner: ModelRunner {
    public let board: Board
    public var timeout: TimeInterval
    public var compiler = "arm-none-eabi-gcc"
    public var qemu = "qemu-system-arm"
    /// Extra compiler flags (tests use them to break a build on purpose).
    public var extraFlags: [String] = []

    public var targetName: String { board.name }

    public init(board: Board, timeout: TimeInterval = 900) {
        self.board = board
        self.timeout = timeout
    }

    public static let compileFlags = ["-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                                      "-ffunction-sections", "-fdata-sections", "-falign-functions=64"]

    /// The fit check that needs no compiler: the model's weights and arena
    /// and the harness's buffers against the board's regions. Commands run
    /// it before they write anything.
    public func checkFit(_ model: GeneratedModel) throws(Diagnostic) {
        let need = need(model)
        if let problem = board.misfit(weightBytes: need.weights, arenaBytes: need.arena, harnessBytes: need.harness, arenaParts: need.arenaParts) {
            throw .input("\(model.graph.name) does not fit \(board.name): \(problem)\(Self.decodeHint(model.graph))")
        }
    }

    /// The board's regions as the fit check sees them before compiling
    /// (code not yet known; `analyze --board`).
    public func estimatedUsage(_ model: GeneratedModel) -> [RegionUsage] {
        let need = need(model)
        return board.usage(weightBytes: need.weights, arenaBytes: need.arena, harnessBytes: need.harness, arenaParts: need.arenaParts)
    }

    private func need(_ model: GeneratedModel) -> (weights: Int, arena: Int, harness: Int, arenaParts: [String: Int]) {
        // The harness keeps the input and output images (with --row-input one
        // input row: the rows go straight into the model's ring), its profile table and its own few KB.
        let input = model.inputRing == nil ? model.inputCount : model.inputCount / model.graph.inputs[0].type.shape.h
        let harness = Self.harnessBytes(inputCount: input, outputCount: model.outputCount, elementBytes: model.elementBytes,
                                        profilePoints: model.profilePoints)
        // A split arena (RegionPlanner): each region's part against its region.
        var parts: [String: Int] = [:]
        for region in model.plan.regions.dropFirst() where model.plan.isSplit {
            parts[ArenaRegion.identifier(region.name), default: 0] += region.bytes
        }
        return (model.weightBytes, model.arenaBytes, harness, parts)
    }

    /// When the compressed layers' decode buffer could be smaller: how much
    /// RAM `--decode-scratch` would give back.
    static func decodeHint(_ graph: Graph) -> String {
        let now = WeightStoragePlan(graph: graph).layers.values.map(\.decodedBytes).max() ?? 0
        var smallest = graph
        smallest.decodeScratchBytes = SizeLimits.decodeScratch.lowerBound
        let least = WeightStoragePlan(graph: smallest).layers.values.map(\.decodedBytes).max() ?? 0
        guard least < now else { return "" }
        return "; the compressed weights decode in \(now) bytes of the arena, --decode-scratch \(least) needs \(now - least) fewer (and runs slower)"
    }

    /// The harness's RAM besides the model's: its input and output images,
    /// its profile table (a name pointer and a 64-bit count per profiled
    /// step, `SQ_PROFILE_MAX`), and 2 KiB of its own (the 1 KiB fault
    /// stack, counters and handles; Firmware/common/sq_harness.c).
    public static func harnessBytes(inputCount: Int, outputCount: Int, elementBytes: Int, profilePoints: Int) -> Int {
        (inputCount + outputCount) * elementBytes + 12 * profilePoints + 2048
    }

    /// The RAM regions the board lets a lowered `graph`'s arena be split
    /// over (`Board.arenaRegions`), empty when it has one arena region.
    public func arenaRegions(for graph: Graph) -> [ArenaRegion] {
        let element = graph.quantization == nil ? 4 : 1
        let input = graph.inputs.first?.type.shape.elementCount ?? 0
        let output = graph.outputs.first.flatMap { graph.valueTypes[$0]?.shape.elementCount } ?? 0
        // Before generating, the profiled steps are not known: at most one per node and per Fire part.
        return board.arenaRegions(harnessBytes: Self.harnessBytes(inputCount: input, outputCount: output, elementBytes: element,
                                                                  profilePoints: 4 * graph.nodes.count + 1))
    }

    public mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic) -> BuildInfo? {
        try checkFit(model)
        // The shared sources, and the board's linker script and sq_board.h written from its description.
        let script = "\(board.name).ld"
        let firmware = Templates.commonFirmwareFiles
            + [(name: script, contents: LinkerScript.text(for: board)), (name: "sq_board.h", contents: BoardHeader.text(for: board))]
        do {
            for file in firmware { try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name)) }
        } catch {
            throw .input("cannot write firmware sources: \(error.localizedDescription)", file: directory.path)
        }
        let upper = model.prefix.uppercased()
        let defines = ["-DSQ_MODEL_HEADER=\"\(model.prefix).h\"", "-DSQ_RUN=\(model.prefix)_run",
                       "-DSQ_INPUT_COUNT=\(upper)_INPUT_COUNT", "-DSQ_OUTPUT_COUNT=\(upper)_OUTPUT_COUNT", "-DSQ_PROFILE",
                       "-DSQ_PROFILE_MAX=\(model.profilePoints)"] + model.harnessDefines
            + (trace ? ["-DSQ_TRACE"] : [])
        let sources = model.files.map(\.name).filter { $0.hasSuffix(".c") } + firmware.map(\.name).filter { $0.hasSuffix(".c") }
        let suffix = trace ? "_trace" : ""
        var objects: [String] = []
        for source in sources {
            // One object per source, named after it (the linker scripts place
            // the generated weights and arena by section name).
            let object = source.replacingOccurrences(of: ".c", with: "\(suffix).o")
                .replacingOccurrences(of: "_weights_trace.o", with: "_trace_weights.o")
                .replacingOccurrences(of: "_arena_trace.o", with: "_trace_arena.o")
            try compile(board.cpuFlags + Self.compileFlags + extraFlags + defines + ["-c", source, "-o", object], in: directory)
            objects.append(object)
        }
        // Before linking: the objects' sections against every region (and
        // the flash budget), so a model that cannot fit stops here with the
        // numbers. The link adds about 2 KB of library code (memcpy, memset,
        // expf) and drops unused sections: the image is checked again below.
        let elf = elfName(trace)
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(elf))
        // The int8 float entry point (<prefix>_f32.c: static copies of the
        // input and output codes) is linked only when called, and the
        // harness does not call it: counting its .bss would refuse models
        // that fit (the linked image below still counts it when it is used).
        let f32Entry = "\(model.prefix)_f32\(suffix).o"
        let unlinked = try FirmwareSizes.measure(objects.filter { $0 != f32Entry }.map { directory.appendingPathComponent($0) })
        if let problem = board.misfit(unlinked) {
            throw .input("\(model.graph.name) does not fit \(board.name): \(problem)")
        }
        let linkFlags = board.cpuFlags + board.linkFlags + ["-T", script, "-nostartfiles", "-Wl,--gc-sections", "--specs=nano.specs"]
        let libraries = ["-lm", "-lc", "-lgcc"]
        try compile(linkFlags + objects + libraries + ["-o", elf], in: directory, linking: true)
        if !trace {
            // The same build as a Makefile (`squeezec firmware -o DIR` keeps it).
            let makefile = FirmwareMakefile(compiler: compiler, compileFlags: board.cpuFlags + Self.compileFlags + extraFlags + defines,
                                            linkFlags: linkFlags, libraries: libraries, sources: sources, qemu: qemu,
                                            qemuArguments: qemuArguments(kernel: elf), boardName: board.name)
            do {
                try Data(makefile.text.utf8).write(to: directory.appendingPathComponent("Makefile"))
            } catch {
                throw .input("cannot write the Makefile: \(error.localizedDescription)", file: directory.path)
            }
        }
        let linked = try FirmwareSizes.measure([directory.appendingPathComponent(elf)])
        if let problem = board.misfit(linked) {
            // Only a budget the linker script does not know can get here.
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(elf))
            throw .input("\(model.graph.name) does not fit \(board.name): \(problem)")
        }
        return BuildInfo(sizes: linked, ramRegions: board.ramUsage(linked))
    }

    func elfName(_ trace: Bool) -> String { trace ? "firmware_trace.elf" : "firmware.elf" }

    private func compile(_ arguments: [String], in directory: URL, linking: Bool = false) throws(Diagnostic) {
        let result = try ProcessRunner.run(compiler, arguments, directory: directory, timeout: timeout)
        guard result.status == 0, !result.timedOut else {
            let lines = result.stderr.split(separator: "\n")
            if linking, let overflow = lines.first(where: { $0.contains("overflowed") || $0.contains("will not fit") || $0.contains("budget exceeded") }) {
                throw .input("the model does not fit \(board.name): \(overflow.trimmingCharacters(in: .whitespaces))")
            }
            throw .internal("\(compiler) failed (\(directory.path)): \(lines.prefix(3).joined(separator: " | "))")
        }
    }

    public func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> RunResult {
        try requireQEMU()
        let traced = FileManager.default.fileExists(atPath: directory.appendingPathComponent(elfName(true)).path)
        let outputFile = directory.appendingPathComponent("output.bin")
        try FloatFile.write(model.inputFile(input), to: directory.appendingPathComponent("input.bin"))
        try? FileManager.default.removeItem(at: outputFile)
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("trace.bin"))
        let lines = try runQEMU(kernel: elfName(traced), in: directory, timeout: timeout,
                                timedOut: "the firmware did not finish within \(Int(timeout)) s on \(board.name)")
        var result = RunResult(output: try FloatFile.read(outputFile, count: model.outputCount, int8: model.isInt8))
        var perLayer: [String: Int] = [:]
        var order: [String] = []
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            switch fields.first {
            case "SQ_INSTRUCTIONS": result.instructions = fields.count > 1 ? Int(fields[1]) : nil
            case "SQ_STACK": result.stackBytes = fields.count > 1 ? Int(fields[1]) : nil
            case "SQ_LAYER" where fields.count == 3:
                if perLayer[fields[1]] == nil { order.append(fields[1]) }
                perLayer[fields[1], default: 0] += Int(fields[2]) ?? 0
            default: break
            }
        }
        result.layers = order.map { ($0, perLayer[$0]!) }
        if traced, let bytes = try? Data(contentsOf: directory.appendingPathComponent("trace.bin")) {
            result.trace = try TraceFile.parse(Array(bytes), file: "trace.bin", int8: model.isInt8)
        }
        guard result.instructions != nil else {
            throw .internal("the firmware printed no SQ_INSTRUCTIONS line on \(board.name)")
        }
        return result
    }
}

extension FirmwareRunner: BatchRunner {
    /// A board file without a QEMU machine builds but cannot run.
    func requireQEMU() throws(Diagnostic) {
        guard board.qemuMachine != nil else {
            throw .input("board \(board.name) names no QEMU machine (\"qemu\": {\"machine\": ...}): its firmware can be built but not run")
        }
    }

    /// QEMU's command line for one firmware image (semihosting on the console, -icount).
    func qemuArguments(kernel: String) -> [String] {
        ["-M", board.qemuMachine ?? "none", "-nographic", "-monitor", "none", "-serial", "null", "-icount", "shift=0",
         "-semihosting-config", "enable=on,target=native,chardev=sh0", "-chardev", "stdio,id=sh0", "-kernel", kernel]
    }

    /// Runs one firmware image under QEMU in `directory` and returns its
    /// console lines; a timeout, a fault or a non-zero exit is an error.
    func runQEMU(kernel: String, in directory: URL, timeout: Double, timedOut: String) throws(Diagnostic) -> [String] {
        let process = try ProcessRunner.run(qemu, qemuArguments(kernel: kernel), directory: directory, timeout: timeout)
        let lines = process.stdout.split(separator: "\n").map(String.init)
        if process.timedOut { throw .input(timedOut) }
        if let fault = lines.first(where: { $0.hasPrefix("SQ_FAULT") }) {
            throw .input("the firmware crashed on \(board.name): \(fault)")
        }
        guard process.status == 0 else {
            let last = lines.last ?? process.stderr.split(separator: "\n").first.map(String.init) ?? ""
            throw .input("the firmware failed on \(board.name) (exit status \(process.status)): \(last)")
        }
        return lines
    }

    public func batchInput(in directory: URL, slot: Int) throws(Diagnostic) -> URL {
        let folder = directory.appendingPathComponent("batch-\(slot)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .input("cannot create a folder: \(error.localizedDescription)", file: folder.path)
        }
        return folder.appendingPathComponent("input.bin")
    }

    /// One QEMU start for the whole batch: the harness reads every input of
    /// input.bin and writes every output to output.bin, in the slot's own
    /// folder (semihosting files are relative to QEMU's directory).
    public func runBatch(count: Int, model: GeneratedModel, in directory: URL, slot: Int) throws(Diagnostic) -> [[Float]] {
        try requireQEMU()
        let folder = try batchInput(in: directory, slot: slot).deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("output.bin")
        let elf = directory.appendingPathComponent(elfName(false)).path
        let lines = try runQEMU(kernel: elf, in: folder, timeout: timeout * Double(count),
                                timedOut: "the firmware did not finish a batch of \(count) inputs in time on \(board.name)")
        guard lines.contains("SQ_RUNS \(count)") else {
            throw .internal("the firmware did not report \(count) runs on \(board.name)")
        }
        let values = try FloatFile.read(outputFile, count: model.outputCount * count, int8: model.isInt8)
        return Self.split(values, count: count, each: model.outputCount)
    }
}

import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezeQuant
import SqueezeReference
import Testing
@testable import SqueezeValidation

/// The generated folder as a drop-in for a user's project: built with its
/// Make fragment and its CMakeLists.txt on the host (static arena and
/// `MODEL_EXTERNAL_ARENA`), linked for a Cortex-M4 with -flto and
/// CMake-style object names (placement by section name) and run under QEMU;
/// the C library functions it calls and its stack against what the header
/// states. cmake comes from scripts/install-deps.sh, like the compilers.
@Suite(.serialized) struct GeneratedFolderBuildTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var int8: Bool
        var testDescription: String { int8 ? "int8" : "fp32" }
    }

    /// A generated model in `<dir>/model` (through `OutputDirectory`, as
    /// `generate` writes it), and its expected output for `input`.
    struct Project {
        var dir: URL
        var model: GeneratedModel
        var input: [Float]
        var expected: [Float]

        var folder: URL { dir.appendingPathComponent("model") }
    }

    static func project(_ c: Case, schedule: ScheduleKind = .stream) throws -> Project {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-drop-in-\(UUID().uuidString)")
        let config = SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10, softmax: !c.int8)
        let model: GeneratedModel
        let input: [Float]
        let expected: [Float]
        if c.int8 {
            let (int8, _) = try Int8ValidationTests.quantized(config)
            model = try CodeGenerator.generate(int8, options: CodegenOptions(prefix: "model", schedule: schedule))
            let reference = try Int8ReferenceInterpreter(graph: int8)
            let codes = try reference.quantizeInput(HostValidationTests.inputs(int8, count: 1)[0].values)
            input = codes.map(Float.init)
            expected = try reference.run(codes).map(Float.init)
        } else {
            let graph = try SqueezeNetBuilder.build(config).graph
            model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "model", schedule: schedule))
            input = HostValidationTests.inputs(graph, count: 1)[0].values
            expected = try ReferenceInterpreter(graph: graph).run(input)
        }
        try OutputDirectory.write(model.files, to: dir.appendingPathComponent("model").path)
        try Data(mainSource.utf8).write(to: dir.appendingPathComponent("main.c"))
        try FloatFile.write(input, to: dir.appendingPathComponent("input.bin"), int8: c.int8)
        return Project(dir: dir, model: model, input: input, expected: expected)
    }

    /// The user's program: input on stdin, output on stdout; its own arena
    /// when the model has none.
    static let mainSource = """
    #include <stdio.h>
    #include "model.h"
    #ifdef MODEL_INPUT_SCALE
    typedef int8_t elem_t;
    #else
    typedef float elem_t;
    #endif
    static elem_t in[MODEL_INPUT_COUNT], out[MODEL_OUTPUT_COUNT];
    #ifdef MODEL_EXTERNAL_ARENA
    static float my_arena[(MODEL_ARENA_BYTES + sizeof(float) - 1) / sizeof(float)];
    #endif
    int main(void) {
        if (fread(in, sizeof in, 1, stdin) != 1) return 2;
    #ifdef MODEL_EXTERNAL_ARENA
        if (model_run_with_arena(in, out, my_arena) != 0) return 3;
    #else
        if (model_run(in, out) != 0) return 3;
    #endif
        fwrite(out, sizeof out, 1, stdout);
        return 0;
    }

    """

    static func shell(_ command: String, in dir: URL, timeout: TimeInterval = 600) throws -> ProcessRunner.Result {
        try ProcessRunner.run("/bin/sh", ["-c", command], directory: dir, timeout: timeout)
    }

    /// Runs `./<exe>` on input.bin and checks its output against the reference.
    static func expectOutput(_ project: Project, _ c: Case, exe: String, _ label: String) throws {
        let run = try shell("\(exe) < input.bin > output.bin", in: project.dir, timeout: 120)
        #expect(run.status == 0, "\(label): \(run.stderr)")
        let output = try FloatFile.read(project.dir.appendingPathComponent("output.bin"), count: project.expected.count, int8: c.int8)
        if c.int8 {
            #expect(output == project.expected, "\(label)")
        } else {
            let range = (project.expected.max() ?? 0) - (project.expected.min() ?? 0)
            let error = zip(output, project.expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(error <= 1e-5 * max(range, 1e-6), "\(label): max abs error \(error)")
        }
        try? FileManager.default.removeItem(at: project.dir.appendingPathComponent("output.bin"))
    }

    @Test(arguments: [Case(int8: false), Case(int8: true)])
    func theMakeFragmentBuildsTheFolderWithAndWithoutTheStaticArena(c: Case) throws {
        let project = try Self.project(c)
        defer { try? FileManager.default.removeItem(at: project.dir) }
        let makefile = """
        include model/model.mk
        CFLAGS = \(HostRunner.strictFlags.joined(separator: " ")) -O2
        app: main.c $(MODEL_SRCS)
        \tcc $(CFLAGS) $(MODEL_CFLAGS) $^ -o $@ $(MODEL_LDLIBS)
        arena.o: model/model_arena.c
        \tcc $(CFLAGS) $(MODEL_CFLAGS) -c $< -o $@

        """
        try Data(makefile.utf8).write(to: project.dir.appendingPathComponent("Makefile"))
        for external in [false, true] {
            let variables = external ? "MODEL_EXTERNAL_ARENA=1" : ""
            let build = try Self.shell("rm -f app arena.o && make -s \(variables) app arena.o", in: project.dir)
            #expect(build.status == 0, "make \(variables): \(build.stderr.prefix(800))")
            try Self.expectOutput(project, c, exe: "./app", "make \(variables)")
            // The arena object: the static arena in its section, or nothing at all.
            let symbols = try Self.shell("nm arena.o", in: project.dir).stdout
            let sections = try Self.shell("readelf -SW arena.o", in: project.dir).stdout
            if external {
                #expect(!symbols.contains("model_arena"), "\(symbols)")
                #expect(!sections.contains(".bss.sq_arena"))
            } else {
                #expect(symbols.contains("B model_arena"), "\(symbols)")
                #expect(sections.contains(".bss.sq_arena.model") && sections.contains("NOBITS"))
            }
        }
    }

    @Test(arguments: [Case(int8: false), Case(int8: true)])
    func cmakeBuildsTheLibraryTargetWithAndWithoutTheStaticArena(c: Case) throws {
        let project = try Self.project(c)
        defer { try? FileManager.default.removeItem(at: project.dir) }
        let lists = """
        cmake_minimum_required(VERSION 3.13)
        project(app C)
        add_subdirectory(model)
        add_executable(app main.c)
        target_compile_options(app PRIVATE \(HostRunner.strictFlags.joined(separator: " ")))
        target_link_libraries(app PRIVATE model)

        """
        try Data(lists.utf8).write(to: project.dir.appendingPathComponent("CMakeLists.txt"))
        for external in [false, true] {
            let build = try Self.shell("rm -rf build && cmake -S . -B build -DMODEL_EXTERNAL_ARENA=\(external ? "ON" : "OFF") > cmake.log "
                                       + "&& cmake --build build >> cmake.log", in: project.dir)
            #expect(build.status == 0, "cmake: \(build.stderr.prefix(800))")
            try Self.expectOutput(project, c, exe: "build/app", "cmake, external arena \(external)")
            let symbols = try Self.shell("nm build/app", in: project.dir).stdout
            #expect(symbols.contains("model_arena") == !external, "external \(external)")
        }
    }

    /// A Cortex-M4 build as a user's build system might do it: the model
    /// with -flto, objects named `<source>.c.o`, the weights in a section
    /// of the user's choice checked on the object; linked with the
    /// mps2-an386 linker script, which places weights and arena by section
    /// name; run under QEMU against the reference.
    @Test(arguments: [Case(int8: false), Case(int8: true)])
    func aCortexM4BuildWithLTOPlacesWeightsAndArenaBySectionName(c: Case) throws {
        let project = try Self.project(c)
        defer { try? FileManager.default.removeItem(at: project.dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let firmware = root.appendingPathComponent("Firmware")
        let cpu = Board.an386.cpuFlags
        let defines = ["-DSQ_MODEL_HEADER=\"model.h\"", "-DSQ_RUN=model_run", "-DSQ_INPUT_COUNT=MODEL_INPUT_COUNT",
                       "-DSQ_OUTPUT_COUNT=MODEL_OUTPUT_COUNT"] + (c.int8 ? ["-DSQ_ELEM_T=int8_t"] : [])
        // The board's linker script and sq_board.h, written from its description as `squeezec board` does.
        let boardDir = project.dir.appendingPathComponent("board")
        try FileManager.default.createDirectory(at: boardDir, withIntermediateDirectories: true)
        try LinkerScript.text(for: Board.an386).write(to: boardDir.appendingPathComponent("mps2-an386.ld"), atomically: true, encoding: .utf8)
        try BoardHeader.text(for: Board.an386).write(to: boardDir.appendingPathComponent("sq_board.h"), atomically: true, encoding: .utf8)
        let includes = ["-Imodel", "-I" + boardDir.path, "-I" + firmware.appendingPathComponent("common").path]
        var objects: [String] = []
        let modelSources = project.model.files.map(\GeneratedFile.name).filter { $0.hasSuffix(".c") && $0 != "model_f32.c" }.map { "model/" + $0 }
        let harness = try FileManager.default.contentsOfDirectory(atPath: firmware.appendingPathComponent("common").path)
            .filter { $0.hasSuffix(".c") }.map { firmware.appendingPathComponent("common/" + $0).path }
        for source in modelSources + harness {
            let object = URL(fileURLWithPath: source).lastPathComponent + ".o"
            let lto = source.hasPrefix("model/") ? ["-flto"] : []
            let result = try ProcessRunner.run("arm-none-eabi-gcc", cpu + FirmwareRunner.compileFlags + lto + defines + includes
                                               + ["-c", source, "-o", object], directory: project.dir)
            #expect(result.status == 0, "\(source): \(result.stderr.prefix(600))")
            objects.append(object)
        }
        let script = boardDir.appendingPathComponent("mps2-an386.ld").path
        let link = try ProcessRunner.run("arm-none-eabi-gcc", cpu + ["-O2", "-flto", "-T", script, "-nostartfiles", "-Wl,--gc-sections",
                                                                     "--specs=nano.specs"] + objects + ["-lm", "-lc", "-lgcc", "-o", "fw.elf"],
                                         directory: project.dir)
        #expect(link.status == 0, "link: \(link.stderr.prefix(800))")
        let symbols = try Self.shell("arm-none-eabi-nm fw.elf", in: project.dir).stdout.split(separator: "\n")
        func address(_ name: String) -> UInt64? {
            symbols.first { $0.hasSuffix(" " + name) }.flatMap { UInt64($0.split(separator: " ")[0], radix: 16) }
        }
        // PSRAM: 0x21000000, 16 MiB (mps2-an386.ld).
        let psram: ClosedRange<UInt64> = 0x2100_0000...0x21ff_ffff
        let weight = symbols.first { $0.contains(" model_w_conv1_weight") }.map { String($0.split(separator: " ").last!) } ?? "?"
        #expect(address(weight).map(psram.contains) == true, "weights at \(address(weight) ?? 0)")
        #expect(address("model_arena").map(psram.contains) == true, "arena at \(address("model_arena") ?? 0)")

        let qemu = try ProcessRunner.run("qemu-system-arm", FirmwareRunner(board: .an386).qemuArguments(kernel: "fw.elf"),
                                         directory: project.dir, timeout: 300)
        #expect(qemu.status == 0 && qemu.stdout.contains("SQ_DONE 0"), "\(qemu.stdout.suffix(300)) \(qemu.stderr.prefix(300))")
        let output = try FloatFile.read(project.dir.appendingPathComponent("output.bin"), count: project.expected.count, int8: c.int8)
        if c.int8 {
            #expect(output == project.expected)
        } else {
            let range = (project.expected.max() ?? 0) - (project.expected.min() ?? 0)
            #expect(zip(output, project.expected).allSatisfy { abs($0 - $1) <= 1e-5 * range })
        }

        // A section of the user's choice, named on the command line.
        let custom = try ProcessRunner.run("arm-none-eabi-gcc", cpu + ["-O2", "-std=c99", "-Imodel", "-DMODEL_WEIGHTS_SECTION=.extflash",
                                                                       "-DMODEL_ARENA_SECTION=.dtcm_bss", "-c", "model/model_weights.c",
                                                                       "model/model_arena.c"], directory: project.dir)
        #expect(custom.status == 0, "\(custom.stderr.prefix(600))")
        let weightSections = try Self.shell("arm-none-eabi-readelf -SW model_weights.o", in: project.dir).stdout
        let arenaSections = try Self.shell("arm-none-eabi-readelf -SW model_arena.o", in: project.dir).stdout
        #expect(weightSections.contains(".extflash") && !weightSections.contains(".rodata.sq_weights"))
        #expect(arenaSections.contains(".dtcm_bss"))
    }

    /// The header's `MODEL_LIBC` (and roundf for the float entry point) is
    /// every C library function the compiled objects need (`nm -u`), with
    /// gcc -O2, clang -Os and arm-none-eabi-gcc -O2 and -Os.
    @Test(arguments: [Case(int8: false), Case(int8: true)])
    func undefinedSymbolsAreTheDocumentedLibraryFunctions(c: Case) throws {
        let project = try Self.project(c)
        defer { try? FileManager.default.removeItem(at: project.dir) }
        let header = String(decoding: FileManager.default.contents(atPath: project.folder.appendingPathComponent("model.h").path) ?? Data(),
                            as: UTF8.self)
        guard let line = header.split(separator: "\n").first(where: { $0.hasPrefix("#define MODEL_LIBC ") }),
              let quoted = line.split(separator: "\"").dropFirst().first else {
            Issue.record("model.h has no MODEL_LIBC")
            return
        }
        let documented = Set(quoted.split(separator: " ").map(String.init))
        #expect(documented == Set(c.int8 ? ["memcpy", "memset"] : ["memcpy", "memset", "expf"]))
        // The weights file holds const data only (it refers to nothing); leaving it out saves most of the compile time.
        let sources = project.model.files.map(\GeneratedFile.name).filter { $0.hasSuffix(".c") && !$0.hasSuffix("_weights.c") }
        let compilers: [(String, [String], String, [String])] = [("gcc", [], "nm", ["-O2"]), ("clang", [], "nm", ["-Os"]),
                                                                 ("arm-none-eabi-gcc", Board.an386.cpuFlags, "arm-none-eabi-nm", ["-O2", "-Os"])]
        for (compiler, flags, nm, levels) in compilers {
            for level in levels {
                var defined = Set<String>()
                var undefined: [String: Set<String>] = [:]
                for source in sources {
                    let object = source + ".o"
                    let result = try ProcessRunner.run(compiler, flags + HostRunner.strictFlags + [level, "-c", source, "-o", object],
                                                       directory: project.folder)
                    #expect(result.status == 0, "\(compiler) \(level) \(source): \(result.stderr.prefix(400))")
                    let table = try Self.shell("\(nm) \(object)", in: project.folder).stdout.split(separator: "\n")
                    for row in table {
                        let fields = row.split(separator: " ")
                        guard let name = fields.last.map(String.init), fields.count >= 2 else { continue }
                        if fields[fields.count - 2] == "U" { undefined[source, default: []].insert(name) } else { defined.insert(name) }
                    }
                }
                // The weights file is not compiled: its arrays (the model's own symbols) count as defined.
                defined.formUnion(undefined.values.joined().filter { $0.wholeMatch(of: /model_[a-z]_\w+/) != nil })
                for (source, names) in undefined {
                    let allowed = documented.union(source == "model_f32.c" ? RuntimeNeeds.floatEntrySymbols : [])
                    let extra = names.subtracting(defined).subtracting(allowed)
                    #expect(extra.isEmpty, "\(compiler) \(level) \(source): undocumented \(extra.sorted())")
                }
            }
        }
    }

    /// The deepest call chain of the model's functions, from
    /// -fcallgraph-info=su (gcc -O3, arm-none-eabi-gcc -O3 and -Os,
    /// both schedules), is within MODEL_STACK_BYTES less 1 KiB left for the
    /// library functions it calls.
    @Test(arguments: [Case(int8: false), Case(int8: true)])
    func theStackBoundInTheHeaderCoversTheDeepestCallChain(c: Case) throws {
        for schedule in [ScheduleKind.stream, .layer] {
            let project = try Self.project(c, schedule: schedule)
            defer { try? FileManager.default.removeItem(at: project.dir) }
            #expect(project.model.files.first { $0.name == "model.h" }?.contents
                        .contains("#define MODEL_STACK_BYTES \(RuntimeNeeds.stackBytes) ") == true)
            for (compiler, flags, levels) in [("gcc", [String](), ["-O3"]), ("arm-none-eabi-gcc", Board.an386.cpuFlags, ["-O3", "-Os"])] {
                for level in levels {
                    let result = try ProcessRunner.run(compiler, flags + [level, "-std=c99", "-fcallgraph-info=su", "-c", "model.c",
                                                                          "-o", "model.o"], directory: project.folder)
                    #expect(result.status == 0, "\(compiler) \(level): \(result.stderr.prefix(400))")
                    let graph = String(decoding: FileManager.default.contents(atPath: project.folder.appendingPathComponent("model.ci").path)
                                       ?? Data(), as: UTF8.self)
                    let deepest = try #require(CallGraphInfo(graph).deepestChain(), "no call graph from \(compiler) \(level)")
                    #expect(deepest > 0 && deepest <= RuntimeNeeds.stackBytes - 1024,
                            "\(compiler) \(level) \(schedule): deepest chain \(deepest) bytes")
                }
            }
        }
    }
}

/// gcc's `-fcallgraph-info=su` output (VCG): functions with their frame
/// sizes and call edges.
struct CallGraphInfo {
    var frames: [String: Int] = [:]
    var calls: [String: [String]] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("node:"), let title = Self.field("title", line) {
                // label: "name\nfile:line:col\nN bytes (static)"
                let bytes = Self.field("label", line)?.components(separatedBy: "\\n")
                    .first { $0.hasSuffix(")") && $0.contains(" bytes") }?.split(separator: " ").first.flatMap { Int($0) }
                frames[title] = bytes ?? 0
            } else if line.hasPrefix("edge:"), let from = Self.field("sourcename", line), let to = Self.field("targetname", line) {
                calls[from, default: []].append(to)
            }
        }
    }

    static func field(_ name: String, _ line: String) -> String? {
        guard let start = line.range(of: name + ": \"") else { return nil }
        let rest = line[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Bytes of the deepest chain (no recursion in generated code: a cycle is nil).
    func deepestChain() -> Int? {
        var memo: [String: Int] = [:]
        var visiting: Set<String> = []
        var cyclic = false
        func depth(_ node: String) -> Int {
            if let known = memo[node] { return known }
            if visiting.contains(node) { cyclic = true; return 0 }
            visiting.insert(node)
            let below = (calls[node] ?? []).map(depth).max() ?? 0
            visiting.remove(node)
            memo[node] = (frames[node] ?? 0) + below
            return memo[node]!
        }
        let deepest = frames.keys.map(depth).max()
        return cyclic ? nil : deepest
    }
}

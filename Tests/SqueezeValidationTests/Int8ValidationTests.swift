import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant
import SqueezeReference
import Testing
@testable import SqueezeValidation

/// int8 models: generated C on the host and firmware under QEMU must give
/// exactly the Swift int8 reference's output bytes.
@Suite(.serialized) struct Int8ValidationTests {
    /// The fused fp32 graph and its int8 quantisation, calibrated on seeded noise.
    static func quantized(_ config: SqueezeNetConfig) throws -> (int8: Graph, float: Graph) {
        let fused = try PassPipeline().run(try SqueezeNetBuilder.build(config).graph)
        let calibration = HostValidationTests.inputs(fused, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
        let ranges = try Calibrator(method: .minMax).ranges(fused, inputs: calibration)
        let summary = CalibrationSummary(method: "minmax", inputs: calibration.map(\.name))
        return (try Quantizer(ranges: ranges, calibration: summary).run(fused), fused)
    }

    static func validate<R: ModelRunner>(_ config: SqueezeNetConfig, runner: R, schedule: ScheduleKind = .stream,
                                         inputs: Int = 1) throws -> ValidationReport {
        let (int8, float) = try quantized(config)
        var validator = Validator(runner: runner)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-int8-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Other seeds than calibration's.
        let cases = Array(HostValidationTests.inputs(float, count: inputs + 3).dropFirst(3))
        return try validator.validate(int8, inputs: cases, options: CodegenOptions(prefix: "model", schedule: schedule), workDirectory: dir,
                                      floatGraph: float).report
    }

    static func expectExact(_ report: ValidationReport, _ label: String) {
        #expect(report.passed, "\(label)")
        #expect(report.precision == "int8")
        #expect(report.differingBytes == 0, "\(label): \(report.differingBytes ?? -1) bytes differ")
        #expect(report.tolerance == 0)
        #expect((report.fidelity?.minSQNR ?? 0) > 25, "\(label): SQNR \(report.fidelity?.minSQNR ?? 0)")
    }

    // MARK: host

    @Test(arguments: [ScheduleKind.stream, .layer])
    func cleanUnderSanitizersWithClang(schedule: ScheduleKind) throws {
        let runner = HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                                                 "-fno-omit-frame-pointer"])
        Self.expectExact(try Self.validate(SqueezeNetConfig(version: .v1_1), runner: runner, schedule: schedule, inputs: 2), "sanitizers \(schedule)")
    }

    @Test func oddSizesAndClassCounts() throws {
        Self.expectExact(try Self.validate(SqueezeNetConfig(version: .v1_0, inputSize: 67, classes: 10), runner: HostRunner(), inputs: 2), "67")
        Self.expectExact(try Self.validate(SqueezeNetConfig(version: .v1_1, inputSize: 99, classes: 37), runner: HostRunner(compiler: "clang"),
                                           schedule: .layer), "99")
    }

    /// The paper's bypass variants: int8 adds rescale both inputs in one rounding.
    @Test(arguments: [SqueezeNetConfig.Bypass.simple, .complex], [ScheduleKind.stream, .layer])
    func bypassVariantsOnTheHost(bypass: SqueezeNetConfig.Bypass, schedule: ScheduleKind) throws {
        let report = try Self.validate(SqueezeNetConfig(version: .v1_0, inputSize: 113, classes: 100, bypass: bypass), runner: HostRunner(),
                                       schedule: schedule, inputs: 2)
        Self.expectExact(report, "v1.0 \(bypass) \(schedule)")
    }

    @Test func bypassOnTheCortexM4() throws {
        let report = try Self.validate(SqueezeNetConfig(version: .v1_1, bypass: .complex), runner: FirmwareRunner(board: .an386))
        Self.expectExact(report, "v1.1 complex an386")
    }

    /// `model_run_f32` quantises, runs and dequantises exactly as the Swift
    /// reference does, ties, clamping and NaN included.
    @Test func floatEntryPointMatchesTheSwiftReference() throws {
        let (int8, _) = try Self.quantized(SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10))
        let model = try CodeGenerator.generate(int8, options: CodegenOptions(prefix: "model"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-f32-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.write(to: dir)
        let main = """
        #include <stdio.h>
        #include "model.h"
        static float in[MODEL_INPUT_COUNT], out[MODEL_OUTPUT_COUNT];
        int main(void) {
            if (fread(in, sizeof in, 1, stdin) != 1) return 2;
            if (model_run_f32(in, out) != 0) return 3;
            fwrite(out, sizeof out, 1, stdout);
            return 0;
        }
        """
        try Data(main.utf8).write(to: dir.appendingPathComponent("main.c"))
        let sources = model.files.map(\.name).filter { $0.hasSuffix(".c") } + ["main.c"]
        let build = try ProcessRunner.run("cc", HostRunner.strictFlags + ["-O2"] + sources + ["-lm", "-o", "f32"], directory: dir, timeout: 300)
        #expect(build.status == 0, "\(build.stderr)")

        let reference = try Int8ReferenceInterpreter(graph: int8)
        let params = try int8.quantization!.params(of: int8.inputs[0].name)
        var input = HostValidationTests.inputs(int8, count: 1)[0].values
        // Exact ties, far out of range, NaN and infinities.
        input[0] = params.scale * 2.5
        input[1] = -params.scale * 3.5
        input[2] = 1e30
        input[3] = -.infinity
        input[4] = .nan
        let inputFile = dir.appendingPathComponent("in.bin")
        try FloatFile.write(input, to: inputFile)
        let run = try ProcessRunner.run("/bin/sh", ["-c", "./f32 < in.bin > out.bin"], directory: dir, timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let got = try FloatFile.read(dir.appendingPathComponent("out.bin"), count: 10)
        let expected = try reference.dequantizeOutput(try reference.run(try reference.quantizeInput(input)))
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    /// A wrong int8 bias makes the output differ, and per-row traces name the layer.
    @Test(arguments: [ScheduleKind.stream, .layer])
    func aWrongBiasIsPinnedToItsLayer(schedule: ScheduleKind) throws {
        let runner = TamperingRunner(inner: HostRunner(), array: "model_b_fire5_expand3x3_weight_bias", elementType: "int32_t",
                                     addition: "5000000")
        let report = try Self.validate(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10), runner: runner, schedule: schedule)
        #expect(!report.passed)
        #expect((report.differingBytes ?? 0) > 0)
        let divergence = try #require(report.firstDivergence)
        #expect(divergence.layer == "fire5")
    }

    // MARK: firmware

    /// Every full-size model and schedule bit-exact, each on one board, so
    /// that every board runs full-size int8 (squeezenet1.1 streamed on
    /// mps2-an386 is the speed test below; `make bench` runs every
    /// combination and reports the differing bytes).
    @Test(arguments: [(SqueezeNetConfig.Version.v1_0, ScheduleKind.stream, Board.an547), (.v1_0, .layer, .an386),
                      (.v1_1, .stream, .an500), (.v1_1, .layer, .an547)])
    func bitExactOnEveryBoard(version: SqueezeNetConfig.Version, schedule: ScheduleKind, board: Board) throws {
        let report = try Self.validate(SqueezeNetConfig(version: version), runner: FirmwareRunner(board: board), schedule: schedule)
        Self.expectExact(report, "\(version) \(schedule) \(board.name)")
        #expect(report.instructions != nil)
    }

    /// The speed target of the int8 issue, on the default (streaming) schedule.
    @Test func squeezenet11UnderOnePointThreeInstructionsPerMAC() throws {
        let report = try Self.validate(SqueezeNetConfig(version: .v1_1), runner: FirmwareRunner(board: .an386))
        Self.expectExact(report, "an386")
        let perMAC = try #require(report.instructionsPerMAC)
        #expect(perMAC < 1.3, "int8 target: below 1.3 instructions per MAC on Cortex-M4, got \(perMAC)")
        #expect(perMAC > 0.5)
        let layers = try #require(report.layers)
        #expect(layers.map(\.name) == ["conv1", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9", "conv10"])
    }

    /// The portable C kernels (no DSP instructions) give the same bytes, more slowly.
    @Test func portableKernelsGiveTheSameBytes() throws {
        var portable = FirmwareRunner(board: .an386)
        portable.extraFlags = ["-DSQ_S8_NO_DSP"]
        let slow = try Self.validate(SqueezeNetConfig(version: .v1_1, inputSize: 128), runner: portable)
        let fast = try Self.validate(SqueezeNetConfig(version: .v1_1, inputSize: 128), runner: FirmwareRunner(board: .an386))
        Self.expectExact(slow, "portable")
        Self.expectExact(fast, "dsp")
        #expect((slow.instructions ?? 0) > 2 * (fast.instructions ?? 0))
    }

    /// mps3-an547 with 128 KiB of DTCM for everything (arena, data, stack).
    @Test(arguments: [SqueezeNetConfig(version: .v1_1), SqueezeNetConfig(version: .v1_0), SqueezeNetConfig(version: .v1_1, inputSize: 128)])
    func streamingFitsA128KiBDTCM(config: SqueezeNetConfig) throws {
        let report = try Self.validate(config, runner: FirmwareRunner(board: .an547dtcm128))
        Self.expectExact(report, "dtcm128 \(config.version) \(config.inputSize)")
        #expect(report.arenaBytes <= (config.inputSize == 224 && config.version == .v1_1 ? 96 : config.inputSize == 128 ? 48 : 128) * 1024)
        // The DTCM holds data, arena and the reserved stack; the harness's images are in ISRAM.
        let dtcm = report.ramRegions?.first { $0.region == "DTCM" }
        #expect(dtcm?.fits == true && dtcm?.capacity == 128 * 1024, "\(dtcm?.summary ?? "no DTCM figure")")
    }

    /// The DTCM size of the description is both the fit check's and the
    /// generated linker script's.
    @Test func theDTCMSizeOfTheDescriptionIsEnforced() throws {
        let board = Board.an547dtcm128
        #expect(LinkerScript.text(for: board).contains("DTCM (rwx) : ORIGIN = 0x30000000, LENGTH = 128K"))
        var small = board
        small.regions = small.regions.map { region in
            var region = region
            if region.name == "DTCM" { region.bytes = 32 << 10 }
            return region
        }
        #expect(LinkerScript.text(for: small).contains("DTCM (rwx) : ORIGIN = 0x30000000, LENGTH = 32K"))
        do {
            _ = try Self.validate(SqueezeNetConfig(version: .v1_1, inputSize: 128), runner: FirmwareRunner(board: small))
            Issue.record("a 32 KiB DTCM cannot hold the model")
        } catch let error as Diagnostic {
            #expect(error.message.contains("does not fit"), "\(error)")
            #expect(error.message.contains("DTCM needs"), "\(error)")
        }
    }
}

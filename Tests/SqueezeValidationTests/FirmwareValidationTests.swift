import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeValidation

/// Generated C cross-compiled for QEMU Cortex-M boards and run under
/// qemu-system-arm, against the Swift reference.
@Suite(.serialized) struct FirmwareValidationTests {
    @Test(arguments: [SqueezeNetConfig.Version.v1_0, .v1_1])
    func fullSizeModelsOnTheDefaultBoard(version: SqueezeNetConfig.Version) throws {
        // The layer schedule here (outputs written in place over dead input rows);
        // StreamingScheduleTests runs the streaming one on the Cortex-M55.
        let report = try HostValidationTests.validate(SqueezeNetConfig(version: version), runner: FirmwareRunner(board: .an386),
                                                      schedule: .layer)
        #expect(report.passed, "relative error \(report.maxRelativeError)")
        let instructions = try #require(report.instructions)
        let perMAC = try #require(report.instructionsPerMAC)
        #expect(perMAC < 2.5, "fp32 target: at most 2.5 instructions per MAC on Cortex-M4F, got \(perMAC)")
        #expect(perMAC > 0.5, "an instruction count this low means the timer is wrong")
        let layers = try #require(report.layers)
        #expect(layers.map(\.name) == ["conv1", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9", "conv10"])
        // Per-layer counts add up to the total, up to the profiling hooks themselves.
        let sum = layers.reduce(0) { $0 + $1.instructions }
        #expect(abs(sum - instructions) < instructions / 1000)
        #expect((report.flashBytes ?? 0) > report.weightBytes)
        #expect((report.ramBytes ?? 0) > report.arenaBytes)
        #expect((report.stackBytes ?? 0) > 0 && (report.stackBytes ?? 0) < 16_384)
    }

    /// The ARM FPGA boards (NewBoardsFirmwareTests run smaller models on
    /// mps2-an385, mps2-an505 and netduinoplus2, whose 1 MiB of flash cannot
    /// hold these fp32 weights).
    @Test(arguments: [Board.an386, .an500, .an547, .an547dtcm128])
    func smallModelOnEveryBoard(board: Board) throws {
        let report = try HostValidationTests.validate(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10),
                                                      runner: FirmwareRunner(board: board), inputs: 2)
        #expect(report.passed, "\(board.name): relative error \(report.maxRelativeError)")
        #expect(report.instructions != nil)
    }

    @Test func instructionCountsAreDeterministic() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0, inputSize: 48, classes: 10)).graph
        let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "model"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-fw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.write(to: dir)
        var runner = FirmwareRunner(board: .an500)
        _ = try runner.build(model, in: dir, trace: false)
        let input = HostValidationTests.inputs(graph, count: 1)[0].values
        let a = try runner.run(input, model: model, in: dir)
        let b = try runner.run(input, model: model, in: dir)
        #expect(a.instructions == b.instructions)
        #expect(a.layers.map(\.instructions) == b.layers.map(\.instructions))
        #expect(a.output == b.output)
    }

    @Test func aCrashingFirmwareIsReportedNotHung() throws {
        var runner = FirmwareRunner(board: .an547, timeout: 120)
        runner.extraFlags = ["-DSQ_FAULT_TEST=1"]
        let start = Date()
        do {
            _ = try HostValidationTests.validate(SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10), runner: runner)
            Issue.record("a faulting firmware must fail validation")
        } catch let error as Diagnostic {
            #expect(error.message.contains("crashed"), "\(error)")
            #expect(error.message.contains("SQ_FAULT pc=0x"), "\(error)")
        }
        #expect(Date().timeIntervalSince(start) < 100)
    }

    @Test func aModelThatDoesNotFitIsRefusedWithTheNumbers() throws {
        do {
            _ = try HostValidationTests.validate(SqueezeNetConfig(version: .v1_1), runner: FirmwareRunner(board: .an547), schedule: .layer)
            Issue.record("squeezenet1.1 fp32 (layer schedule) must not fit 512 KiB of DTCM")
        } catch let error as Diagnostic {
            #expect(error.message.contains("does not fit mps3-an547"))
            #expect(error.message.contains("DTCM needs"))
            #expect(error.message.contains("but has 524288"))
        }
    }

    @Test func aWrongWeightOnTheBoardIsPinnedToItsLayer() throws {
        struct Tampered: ModelRunner {
            var inner = FirmwareRunner(board: .an386)
            var targetName: String { inner.targetName }
            mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic) -> BuildInfo? {
                let tamper = TamperingRunner(inner: HostRunner(), array: "model_w_fire3_squeeze1x1_bias")
                try tamper.edit(model, in: directory)
                return try inner.build(model, in: directory, trace: trace)
            }
            func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> RunResult {
                try inner.run(input, model: model, in: directory)
            }
        }
        let report = try HostValidationTests.validate(SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10), runner: Tampered())
        #expect(!report.passed)
        #expect(report.firstDivergence?.layer == "fire3")
    }
}

/// The row-streaming schedule: full-size fp32 SqueezeNet with DTCM (512 KiB)
/// as the only RAM, and the same numbers as the layer schedule.
@Suite(.serialized) struct StreamingScheduleTests {
    @Test(arguments: [(SqueezeNetConfig.Version.v1_1, 384 * 1024), (.v1_0, 600 * 1024)])
    func fullSizeStreamsInDTCMOnTheCortexM55(version: SqueezeNetConfig.Version, arenaLimit: Int) throws {
        let report = try HostValidationTests.validate(SqueezeNetConfig(version: version), runner: FirmwareRunner(board: .an547))
        #expect(report.passed, "relative error \(report.maxRelativeError)")
        #expect(report.arenaBytes <= arenaLimit, "arena \(report.arenaBytes) over the target \(arenaLimit)")
        let dtcm = report.ramRegions?.first { $0.region == "DTCM" }
        #expect(dtcm?.fits == true && dtcm?.capacity == 512 * 1024, "\(dtcm?.summary ?? "no DTCM figure") must fit the 512 KiB DTCM")
        #expect((report.instructionsPerMAC ?? 9) < 2.5)
    }

    /// (Full-size models run each schedule against the reference in
    /// fullSizeModelsOnTheDefaultBoard and StreamingScheduleTests; here
    /// 1000 classes at 128x128 keeps every layer's weights full-size.)
    @Test(arguments: [
        SqueezeNetConfig(version: .v1_1, inputSize: 128), SqueezeNetConfig(version: .v1_0, inputSize: 131, classes: 10, bypass: .complex),
        SqueezeNetConfig(version: .v1_1, inputSize: 77, classes: 10, bypass: .simple, softmax: true),
    ])
    func layerAndStreamSchedulesGiveIdenticalOutputs(config: SqueezeNetConfig) throws {
        let graph = try SqueezeNetBuilder.build(config).graph
        let inputs = HostValidationTests.inputs(graph, count: 2)
        var outputs: [[[Float]]] = []
        for schedule in [ScheduleKind.layer, .stream] {
            var validator = Validator(runner: HostRunner())
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-sched-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: work) }
            let result = try validator.validate(graph, inputs: inputs, options: CodegenOptions(prefix: "model", schedule: schedule),
                                                workDirectory: work)
            #expect(result.report.passed)
            outputs.append(result.outputs)
        }
        // Same kernels, same per-pixel arithmetic order: exactly equal.
        #expect(outputs[0] == outputs[1])
    }

    @Test func streamedLayersAreTracedRowByRowToFindADivergence() throws {
        let report = try HostValidationTests.validate(SqueezeNetConfig(version: .v1_0, inputSize: 64, classes: 10),
                                                      runner: TamperingRunner(inner: HostRunner(), array: "model_w_fire7_expand1x1_bias"))
        #expect(!report.passed)
        #expect(report.firstDivergence?.layer == "fire7")
        #expect(report.firstDivergence?.value == "fire7/concat")
    }
}

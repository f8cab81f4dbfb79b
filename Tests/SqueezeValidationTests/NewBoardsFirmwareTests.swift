import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeValidation

/// The boards added as description files: mps2-an385 (Cortex-M3: portable
/// int8 kernels, fp32 in soft float), mps2-an505 (Cortex-M33, booting Secure)
/// and netduinoplus2 (STM32F405: 1 MiB flash, 128 KiB SRAM). One fp32 and
/// one int8 model each, small enough for the STM32's RAM and flash.
@Suite(.serialized) struct NewBoardsFirmwareTests {
    static let boards = [Board.an385, .an505, .netduinoplus2]

    /// squeezenet1.1 at a quarter of the width: its fp32 weights (about
    /// 180 KB) fit netduinoplus2's flash.
    static let narrow = SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10, baseE: 32, incrE: 32)

    @Test(arguments: boards)
    func fp32WithinTolerance(board: Board) throws {
        let report = try HostValidationTests.validate(Self.narrow, runner: FirmwareRunner(board: board))
        #expect(report.passed, "\(board.name): relative error \(report.maxRelativeError)")
        Self.expectFigures(report, board)
    }

    @Test(arguments: boards)
    func int8BitExact(board: Board) throws {
        // The full-width trained digits model runs int8 on netduinoplus2 in BoardCommandTests.
        let report = try Int8ValidationTests.validate(Self.narrow, runner: FirmwareRunner(board: board))
        Int8ValidationTests.expectExact(report, board.name)
        Self.expectFigures(report, board)
    }

    static func expectFigures(_ report: ValidationReport, _ board: Board) {
        #expect((report.instructions ?? 0) > 100_000, "\(board.name)")
        #expect((report.instructionsPerMAC ?? 0) > 0.5, "\(board.name): an instruction count this low means the timer is wrong")
        #expect((report.stackBytes ?? 0) > 0 && (report.stackBytes ?? .max) < board.stackBytes)
        #expect((report.flashWeightsBytes ?? 0) >= report.weightBytes && (report.flashCodeBytes ?? 0) > 0)
        if board == .netduinoplus2 {
            // The part's limits, not QEMU's: everything in 1 MiB of flash and 128 KiB of SRAM.
            #expect((report.flashBytes ?? .max) <= 1 << 20)
            // Everything in RAM, the harness's images and the reserved stack included.
            let sram = report.ramRegions?.first { $0.region == "SRAM" }
            #expect(sram?.fits == true && sram?.capacity == 128 << 10 && sram?.parts.contains { $0.name == "stack" && $0.bytes == board.stackBytes } == true,
                    "\(sram?.summary ?? "no SRAM figure")")
            #expect((report.ramBytes ?? .max) - (report.stackBytes ?? 0) + board.stackBytes == sram?.bytes)
        }
    }

    @Test func aModelOverNetduinoplus2sLimitsIsRefusedWithTheNumbers() throws {
        // QEMU's model has 192 KiB of SRAM; the part has 128 KiB.
        var config = Self.narrow
        config.inputSize = 224
        let graph = try SqueezeNetBuilder.build(config).graph
        let model = try CodeGenerator.generate(graph, options: CodegenOptions(prefix: "model", schedule: .layer))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-fw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.write(to: dir)
        var runner = FirmwareRunner(board: .netduinoplus2)
        do {
            _ = try runner.build(model, in: dir, trace: false)
            Issue.record("the layer schedule at 224x224 cannot fit 128 KiB of SRAM")
        } catch {
            #expect(error.message.contains("does not fit netduinoplus2: SRAM needs"), "\(error)")
            #expect(error.message.contains("but has 131072"), "\(error)")
        }
    }
}

/// Test cases named by the board, not its whole description.
extension Board: CustomTestStringConvertible {
    public var testDescription: String { name }
}

import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeFrontend
import SqueezeIR
import SqueezePipeline
import SqueezeReference
import Testing
@testable import SqueezeValidation

/// `--input-type uint8` under QEMU (mps2-an386), int8: the firmware harness
/// (Firmware/common/sq_harness.c) reads raw uint8 rows over semihosting into
/// the end of each ring slot; the outputs are bit-identical to the Swift int8
/// reference, and the harness keeps one uint8 row of input.
@Suite(.serialized) struct RawInputFirmwareTests {
    @Test func int8RawRowsUnderQEMUAreBitExact() throws {
        var options = PipelineOptions(source: ModelSource(name: "squeezenet1.1", config: SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)),
                                      precision: .int8)
        options.inputType = .uint8
        options.rowInput = true
        let pipeline = CompilePipeline(options: options)
        let lowered = try pipeline.lowered()
        let model = try pipeline.generated(from: lowered, codegen: CodegenOptions(prefix: "model")).model
        #expect(model.harnessDefines.contains("-DSQ_INPUT_T=uint8_t"))
        let reference = try ModelInterpreters.make(lowered.reference.graph)
        let codes = try (1...2).map { try reference.encode(RawPixels.seeded(UInt64($0), for: model.graph.inputs[0], type: .uint8)) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-u8-fw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try model.write(to: work)
        var runner = FirmwareRunner(board: try #require(Board.named("mps2-an386")))
        let build = try #require(try runner.build(model, in: work, trace: false))
        for input in codes {
            let result = try runner.run(input, model: model, in: work)
            #expect(result.output.map(\.bitPattern) == (try reference.run(encoded: input)).map(\.bitPattern))
            #expect((result.instructions ?? 0) > 0)
        }
        let sizes = try #require(build.sizes)
        print("--input-type uint8 int8 64x64 on mps2-an386: RAM \(sizes.ram) B (arena \(sizes.arena), io \(sizes.io))")
    }
}

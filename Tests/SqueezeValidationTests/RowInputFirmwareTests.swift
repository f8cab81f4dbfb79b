import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezePipeline
import Testing
@testable import SqueezeValidation

/// `--row-input` under QEMU (mps2-an386): the firmware harness
/// (Firmware/common/sq_harness.c) runs the row entry point, reading every
/// row from the host over semihosting straight into the model's input ring,
/// so the firmware keeps no input image. Outputs are bit-identical to the
/// whole-image firmware, and its RAM is smaller by the image less the ring.
@Suite(.serialized) struct RowInputFirmwareTests {
    static func firmware(_ model: GeneratedModel, inputs: [[Float]]) throws -> (outputs: [[UInt32]], build: BuildInfo) {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-rows-fw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try model.write(to: work)
        var runner = FirmwareRunner(board: try #require(Board.named("mps2-an386")))
        let build = try #require(try runner.build(model, in: work, trace: false))
        let outputs = try inputs.map { try runner.run($0, model: model, in: work).output.map(\.bitPattern) }
        return (outputs, build)
    }

    @Test(arguments: [Precision.int8, .fp32])
    func rowsFromTheHostGiveTheWholeImageOutputs(precision: Precision) throws {
        let c = RowInputHostTests.Case(name: "squeezenet1.1 64",
                                       source: ModelSource(name: "squeezenet1.1", config: SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10)),
                                       precision: precision)
        let (whole, rows) = try RowInputHostTests.builds(c)
        let ring = try #require(rows.inputRing)
        let inputs = RowInputHostTests.inputs(rows, count: 2)
        let expected = try Self.firmware(whole, inputs: inputs)
        let streamed = try Self.firmware(rows, inputs: inputs)
        #expect(streamed.outputs == expected.outputs)
        let wholeSizes = try #require(expected.build.sizes)
        let rowSizes = try #require(streamed.build.sizes)
        #expect(rowSizes.arena == whole.arenaBytes + ring.bytes)
        #expect(wholeSizes.arena == whole.arenaBytes)
        // The harness's images: the whole input and the output, or one input row and the output.
        let element = rows.isInt8 ? 1 : 4
        let rowBytes = rows.inputImageBytes / rows.graph.inputs[0].type.shape.h
        #expect(element * rows.inputCount == rows.inputImageBytes)
        // (up to the 16-byte alignment of the two buffers)
        #expect(abs(wholeSizes.io - rowSizes.io - (rows.inputImageBytes - rowBytes)) < 32, "io: whole \(wholeSizes.io), rows \(rowSizes.io)")
        #expect(rowSizes.ram < wholeSizes.ram)
        print("row input \(precision): RAM whole image \(wholeSizes.ram) B (arena \(wholeSizes.arena)), "
              + "rows \(rowSizes.ram) B (arena \(rowSizes.arena))")
    }
}

extension RowInputFirmwareTests {
    /// squeezenet1.0 (7x7/2 conv1: a 7-row ring) with the complex bypass and a
    /// softmax after the stream: the row build compiles warning-free with
    /// arm-none-eabi-gcc (M4 -O0 and -O3, M55 -Os; trace and profile hooks
    /// too), and on the host gives the whole-image build's outputs.
    @Test func bypassAndSoftmaxTailCompileForCortexMAndMatchOnTheHost() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0, inputSize: 64, classes: 10, bypass: .complex, softmax: true)).graph
        let rows = try CompilePipeline.generate(graph, options: CodegenOptions(prefix: "net"), rowInput: true)
        let whole = try CompilePipeline.generate(graph, options: CodegenOptions(prefix: "net"))
        #expect(rows.inputRing?.rows == 7)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-arm-rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try rows.write(to: dir)
        // Three of the cpu x level x hooks combinations (test time): every level, both cores, with and without the hooks.
        let m4 = ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"], m55 = ["-mcpu=cortex-m55", "-mfloat-abi=hard"]
        let hooks = ["-DSQ_TRACE", "-DSQ_PROFILE"]
        for (cpu, level, defines) in [(m4, "-O0", hooks), (m4, "-O3", []), (m55, "-Os", hooks)] {
            let result = try ProcessRunner.run("arm-none-eabi-gcc", HostRunner.strictFlags + [level, "-mthumb"] + cpu + defines
                                               + ["-c", "net.c", "-o", "/dev/null"], directory: dir)
            #expect(result.status == 0, "\(cpu) \(level) \(defines): \(result.stderr.prefix(600))")
        }
        let inputs = RowInputHostTests.inputs(rows, count: 2)
        let runner = HostRunner(compiler: "gcc")
        #expect(try RowInputHostTests.outputs(rows, runner: runner, inputs: inputs) == RowInputHostTests.outputs(whole, runner: runner, inputs: inputs))
    }
}

import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePipeline
import Testing
@testable import SqueezeValidation

/// `--row-input` on the host: the generated C fed by a row function
/// (Templates/sq_host_main.c: it copies each row from the image and fails
/// unless rows come in order, each once, each into the ring slot of its row)
/// gives outputs bit-identical to the whole-image build without a ring, fp32
/// and int8, with gcc and with clang under ASan/UBSan (each case one of them). The row build's
/// whole-image entry point (rows copied into the same ring) agrees too.
@Suite(.serialized) struct RowInputHostTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var source: ModelSource
        var precision: Precision
        var calibrate: String?

        var description: String { "\(name) \(precision)" }
    }

    static let cases: [Case] = [
        Case(name: "squeezenet1.1 48", source: ModelSource(name: "squeezenet1.1", config: SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10)),
             precision: .fp32),
        Case(name: "squeezenet1.1 48", source: ModelSource(name: "squeezenet1.1", config: SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10)),
             precision: .int8),
        Case(name: "digits", source: ModelSource(name: DigitsData.model), precision: .fp32),
        Case(name: "digits", source: ModelSource(name: DigitsData.model), precision: .int8,
             calibrate: DigitsData.directory.appendingPathComponent("calibrate/3").path),
    ]

    static let runners: [(String, HostRunner)] = [
        ("gcc", HostRunner(compiler: "gcc")),
        ("clang+sanitizers", HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                                                        "-fno-omit-frame-pointer"])),
    ]

    /// The whole-image build and the row-input build of one lowered model.
    static func builds(_ c: Case) throws -> (whole: GeneratedModel, rows: GeneratedModel) {
        var options = PipelineOptions(source: c.source, precision: c.precision,
                                      calibration: CalibrationOptions(folder: c.calibrate, method: "minmax", file: nil))
        let pipeline = CompilePipeline(options: options)
        let lowered = try pipeline.lowered()
        let codegen = CodegenOptions(prefix: "model")
        let whole = try pipeline.generate(try pipeline.plan(lowered), codegen: codegen).model
        options.rowInput = true
        let rowPipeline = CompilePipeline(options: options)
        let rows = try rowPipeline.generate(try rowPipeline.plan(lowered), codegen: codegen).model
        return (whole, rows)
    }

    /// Seeded inputs: floats, or int8 codes over the whole range.
    static func inputs(_ model: GeneratedModel, count: Int) -> [[Float]] {
        (1...count).map { seed in
            var random = SeededRandom(seed: UInt64(seed), stream: "row-input")
            return (0..<model.inputCount).map { _ in model.isInt8 ? Float(Int(random.uniform(-128, 127.99))) : random.uniform(-2, 2) }
        }
    }

    static func outputs(_ model: GeneratedModel, runner: HostRunner, inputs: [[Float]]) throws -> [[UInt32]] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try model.write(to: work)
        var runner = runner
        _ = try runner.build(model, in: work, trace: false)
        return try inputs.map { try runner.run($0, model: model, in: work).output.map(\.bitPattern) }
    }

    @Test(arguments: cases)
    func rowsGiveTheWholeImageOutputs(_ c: Case) throws {
        let (whole, rows) = try Self.builds(c)
        let ring = try #require(rows.inputRing)
        #expect(whole.inputRing == nil)
        let input = rows.graph.inputs[0].type.shape
        #expect(ring.rows < input.h)
        #expect(rows.arenaBytes == whole.arenaBytes + ring.bytes)
        let header = try #require(rows.files.first { $0.name == "model.h" }?.contents)
        #expect(header.contains("#define MODEL_INPUT_RING_ROWS \(ring.rows)\n"))
        #expect(header.contains("int model_run_rows(model_row_source fetch, void *ctx, "))
        #expect(!(whole.files.first { $0.name == "model.h" }?.contents.contains("run_rows") ?? true))
        #expect(rows.harnessDefines.contains("-DSQ_RUN_ROWS=model_run_rows"))
        let inputs = Self.inputs(rows, count: 2)
        // Each case with one compiler (test time): the cases alternate between
        // gcc and clang under ASan/UBSan, so each compiler sees fp32 and int8 and
        // both models; the row build's whole-image entry point on the int8 cases.
        let index = Self.cases.firstIndex { $0.description == c.description } ?? 0
        let (name, runner) = Self.runners[(index + index / 2) % 2]
        let expected = try Self.outputs(whole, runner: runner, inputs: inputs)
        #expect(try Self.outputs(rows, runner: runner, inputs: inputs) == expected, "\(c) \(name): run_rows")
        if c.precision == .int8 {
            var copying = runner
            copying.extraFlags.append("-DSQ_WHOLE_IMAGE")
            #expect(try Self.outputs(rows, runner: copying, inputs: inputs) == expected, "\(c) \(name): run")
        }
    }
}

extension RowInputHostTests {
    /// A row function that fails stops the inference: `run_rows` returns -3
    /// and the function is not called again (the harness exits 4 if it is).
    @Test func aFailingRowFunctionStopsTheInference() throws {
        let (_, rows) = try Self.builds(Self.cases[1])
        var runner = HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                                                "-DSQ_FAIL_AT_ROW=5"])
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try rows.write(to: work)
        _ = try runner.build(rows, in: work, trace: false)
        let error = #expect(throws: Diagnostic.self) { try runner.run(Self.inputs(rows, count: 1)[0], model: rows, in: work) }
        #expect(error?.message.contains("exit status 3") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("model returned -3") == true, "\(error?.message ?? "")")
    }
}

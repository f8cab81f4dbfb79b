import Foundation
import SqueezeCodegen
import SqueezeEvaluation
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePipeline
import SqueezeReference
import Testing
@testable import SqueezeValidation

/// `--input-type uint8` on the host: the generated C takes raw 0..255 pixels
/// (the normalisation folded into conv1). fp32 agrees with the unfolded model
/// fed the normalised pixels within float tolerance, through the row entry
/// point (the harness writes each uint8 row at the end of its ring slot, the
/// model converts it in place; clang under ASan/UBSan) and the whole-image
/// entry point (-DSQ_WHOLE_IMAGE: rows converted as they are copied into the
/// ring; gcc). int8 is bit-exact against the Swift int8 reference (gcc,
/// whole image; its row entry point runs in InputTypeCommandTests and
/// RawInputFirmwareTests).
@Suite(.serialized) struct RawInputHostTests {
    static let source = ModelSource(name: "squeezenet1.1", config: SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10))

    static func pipeline(_ precision: Precision, inputType: InputType, schedule: ScheduleKind = .stream) -> CompilePipeline {
        var options = PipelineOptions(source: source, precision: precision, schedule: schedule)
        options.inputType = inputType
        return CompilePipeline(options: options)
    }

    static let runners: [(String, HostRunner)] = [
        ("gcc+whole-image", HostRunner(compiler: "gcc", extraFlags: ["-DSQ_WHOLE_IMAGE"])),
        ("clang+sanitizers", HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                                                        "-fno-omit-frame-pointer"])),
    ]

    static func outputs(_ model: GeneratedModel, runner: HostRunner, inputs: [[Float]]) throws -> [[Float]] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-u8-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try model.write(to: work)
        var runner = runner
        _ = try runner.build(model, in: work, trace: false)
        return try inputs.map { try runner.run($0, model: model, in: work).output }
    }

    static func pixels(_ model: GeneratedModel, count: Int) -> [[Float]] {
        (1...UInt64(count)).map { RawPixels.seeded($0, for: model.graph.inputs[0], type: .uint8) }
    }

    @Test func fp32RawPixelsMatchTheFloatModelOnNormalisedPixels() throws {
        let raw = Self.pipeline(.fp32, inputType: .uint8)
        let lowered = try raw.lowered()
        let model = try raw.generated(from: lowered, codegen: CodegenOptions(prefix: "model")).model
        #expect(model.graph.inputType == .uint8)
        #expect(model.inputImageBytes == 32 * 32 * 3)
        let header = try #require(model.files.first { $0.name == "model.h" }?.contents)
        #expect(header.contains("int model_run(const uint8_t *input, float *output);"))
        #expect(header.contains("#define MODEL_INPUT_TYPE \"uint8\""))
        #expect(header.contains("x[c] = (v[c] * 1/255 - mean[c]) / std[c]"))
        let source = try #require(model.files.first { $0.name == "model.c" }?.contents)
        #expect(source.contains("dst[i] = (float)src[i];"))

        let float = try Self.pipeline(.fp32, inputType: .float).loaded().graph
        let preprocessing = try #require(float.preprocessing)
        let reference = try ReferenceInterpreter(graph: float)
        let inputs = Self.pixels(model, count: 2)
        for (name, runner) in Self.runners {
            let outputs = try Self.outputs(model, runner: runner, inputs: inputs)
            for (input, output) in zip(inputs, outputs) {
                let normalised = input.enumerated().map { Float(preprocessing.normalise(Double($0.element), channel: $0.offset % 3)) }
                let expected = try reference.run(normalised)
                let scale = expected.map(abs).max() ?? 0
                let worst = zip(expected, output).map { abs($0 - $1) }.max() ?? .infinity
                #expect(scale > 0 && worst <= 1e-4 * max(scale, 1), "\(name): worst difference \(worst) of \(scale)")
            }
        }
    }

    @Test func int8RawPixelsAreBitExactAgainstTheReference() throws {
        let raw = Self.pipeline(.int8, inputType: .uint8)
        let lowered = try raw.lowered()
        let quantization = try #require(lowered.graph.quantization)
        #expect(quantization.values[lowered.graph.inputs[0].name] == InputType.rawQuantization)
        let model = try raw.generated(from: lowered, codegen: CodegenOptions(prefix: "model")).model
        let header = try #require(model.files.first { $0.name == "model.h" }?.contents)
        #expect(header.contains("int model_run(const uint8_t *input, int8_t *output);"))
        #expect(header.contains("int model_run_f32(const uint8_t *input, float *output);"))
        #expect(header.contains("the int8 input codes are v - 128"))
        let reference = try ModelInterpreters.make(lowered.reference.graph)
        let inputs = Self.pixels(model, count: 2)
        // The reference's input: the codes v - 128 (what the harness file is written from).
        let codes = try inputs.map { try reference.encode($0) }
        #expect(codes[0] == inputs[0].map { $0 - 128 })
        let expected = try codes.map { try reference.run(encoded: $0).map(\.bitPattern) }
        // One compile (test time): the whole-image entry point with gcc; the int8 row entry point
        // runs in InputTypeCommandTests (validate on the host) and RawInputFirmwareTests (QEMU).
        var whole = HostRunner(compiler: "gcc")
        whole.extraFlags.append("-DSQ_WHOLE_IMAGE")
        let outputs = try Self.outputs(model, runner: whole, inputs: codes)
        #expect(outputs.map { $0.map(\.bitPattern) } == expected)
    }

    @Test func theLayerScheduleIsRefused() throws {
        let error = #expect(throws: Diagnostic.self) { try Self.pipeline(.fp32, inputType: .uint8, schedule: .layer).lowered() }
        #expect(error?.kind == .usage)
        #expect(error?.message == CompilePipeline.layerRefusal)
    }
}

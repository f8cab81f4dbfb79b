import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeValidation

/// End-to-end on the host: generated C, compiled with strict flags, against
/// the Swift reference.
@Suite(.serialized) struct HostValidationTests {
    static func inputs(_ graph: Graph, count: Int) -> [Validator<HostRunner>.Input] {
        (1...count).map { seed in
            var random = SeededRandom(seed: UInt64(seed), stream: "input")
            return .init(name: "seed \(seed)", values: (0..<graph.inputs[0].type.shape.elementCount).map { _ in random.uniform(-2, 2) })
        }
    }

    static func validate<R: ModelRunner>(_ config: SqueezeNetConfig, runner: R, inputs: Int = 1,
                                         schedule: ScheduleKind = .stream) throws -> ValidationReport {
        let graph = try SqueezeNetBuilder.build(config).graph
        var validator = Validator(runner: runner)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let cases = Self.inputs(graph, count: inputs).map { Validator<R>.Input(name: $0.name, values: $0.values) }
        return try validator.validate(graph, inputs: cases, options: CodegenOptions(prefix: "model", schedule: schedule),
                                      workDirectory: work).report
    }

    @Test(arguments: [
        SqueezeNetConfig(version: .v1_0), SqueezeNetConfig(version: .v1_1),
        SqueezeNetConfig(version: .v1_0, inputSize: 67, classes: 10),
        SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 37, softmax: true),
        SqueezeNetConfig(version: .v1_0, inputSize: 96, classes: 10, bypass: .complex),
        SqueezeNetConfig(version: .v1_1, inputSize: 80, classes: 10, bypass: .simple),
    ])
    func generatedCodeMatchesTheReference(config: SqueezeNetConfig) throws {
        let report = try Self.validate(config, runner: HostRunner(), inputs: 2)
        #expect(report.passed, "relative error \(report.maxRelativeError)")
        #expect(report.maxRelativeError < 1e-5)
        #expect(report.inputs.allSatisfy { $0.referenceTop1 == $0.generatedTop1 })
        #expect(report.firstDivergence == nil)
    }

    @Test(arguments: [ScheduleKind.layer, .stream])
    func cleanUnderAddressAndUndefinedBehaviourSanitizers(schedule: ScheduleKind) throws {
        let runner = HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                                                 "-fno-omit-frame-pointer"])
        let report = try Self.validate(SqueezeNetConfig(version: .v1_1), runner: runner, schedule: schedule)
        #expect(report.passed)
    }

    /// The element-wise stages outside SqueezeNet's usual fusions (bypass
    /// add, a standalone ReLU, a concat of two plain values), rendered by the
    /// one stage emitter for both schedules, under the sanitizers.
    @Test(arguments: [ScheduleKind.layer, .stream])
    func unfusedElementwiseStagesMatchTheReference(schedule: ScheduleKind) throws {
        var constants: [String: Tensor] = [:]
        let initializer = WeightInitializer(seed: 5)
        func conv(_ name: String, _ input: String, inC: Int, out: Int, kernel: Int) -> Node {
            constants[name + ".weight"] = initializer.convWeight(name: name + ".weight", outChannels: out, kernel: .square(kernel), inChannels: inC)
            constants[name + ".bias"] = initializer.bias(name: name + ".bias", count: out)
            let a = Conv2DAttributes(outChannels: out, kernel: .square(kernel), stride: .square(1), padding: .uniform(kernel / 2))
            return Node(name: name, op: .conv2d(a), inputs: [input], parameters: [name + ".weight", name + ".bias"], output: name)
        }
        let nodes = [
            conv("a", "x", inC: 4, out: 4, kernel: 3),
            Node(name: "sum", op: .add, inputs: ["a", "x"], output: "sum"),
            Node(name: "r", op: .relu, inputs: ["sum"], output: "r"),
            Node(name: "cat", op: .concat, inputs: ["r", "x"], output: "cat"),
            conv("out", "cat", inC: 8, out: 3, kernel: 1),
        ]
        let graph = try ShapeInference.run(Graph(name: "elementwise", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 9, 7, 4)))],
                                                 outputs: ["out"], nodes: nodes, constants: constants))
        let runner = HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"])
        var validator = Validator(runner: runner)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let report = try validator.validate(graph, inputs: Self.inputs(graph, count: 2),
                                            options: CodegenOptions(prefix: "model", schedule: schedule), workDirectory: work).report
        #expect(report.passed, "relative error \(report.maxRelativeError)")
        #expect(report.maxRelativeError < 1e-5)
    }

    @Test func clangBuildsItWarningFree() throws {
        let report = try Self.validate(SqueezeNetConfig(version: .v1_0, inputSize: 99, bypass: .simple), runner: HostRunner(compiler: "clang"))
        #expect(report.passed)
    }

    @Test func aWrongWeightIsPinnedToItsLayer() throws {
        let report = try Self.validate(SqueezeNetConfig(version: .v1_1, inputSize: 64, classes: 10),
                                       runner: TamperingRunner(inner: HostRunner(), array: "model_w_fire5_expand3x3_bias"))
        #expect(!report.passed)
        let divergence = try #require(report.firstDivergence)
        #expect(divergence.layer == "fire5")
        #expect(divergence.value == "pool5")
    }
}

/// Builds the generated code after changing the first value of one weight
/// array: the validator must notice and name the layer.
struct TamperingRunner: ModelRunner {
    var inner: HostRunner
    var array: String
    /// The array's C element type and what is added to its first value.
    var elementType = "float"
    var addition = "7.5f"
    var targetName: String { "host (tampered)" }

    mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic) -> BuildInfo? {
        try edit(model, in: directory)
        return try inner.build(model, in: directory, trace: trace)
    }

    /// Adds `addition` to the first value of the array in the generated weights file.
    func edit(_ model: GeneratedModel, in directory: URL) throws(Diagnostic) {
        let file = directory.appendingPathComponent("\(model.prefix)_weights.c")
        guard var text = try? String(contentsOf: file, encoding: .utf8),
              let start = text.range(of: "const \(elementType) \(array)["),
              let open = text.range(of: "{\n    ", range: start.upperBound..<text.endIndex) else {
            throw .internal("array \(array) not found")
        }
        if !text[open.upperBound...].hasPrefix(addition) {
            text.insert(contentsOf: addition + " + ", at: open.upperBound)
        }
        do { try text.write(to: file, atomically: true, encoding: .utf8) } catch { throw .internal("cannot tamper") }
    }

    func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> RunResult {
        try inner.run(input, model: model, in: directory)
    }
}

import Foundation
import SqueezeCodegen
import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezePipeline
import SqueezeQuant
import Testing
@testable import SqueezeValidation

/// Compressed weights end to end on the host (Templates/sq_decode.h): a
/// model whose layers take every compressed format (codebooks of 2..5 bits,
/// sparse with and without a codebook, odd channel and tap counts, an
/// all-zero output channel, a fused global average) is generated twice,
/// dense and compressed, built with clang under ASan/UBSan, and the two
/// builds must give bit-identical outputs, fp32 and int8, on both schedules.
@Suite(.serialized) struct CompressedWeightsHostTests {
    enum Weights {
        /// Values drawn from `shared` (distinct per layer), a fraction `zeros` exactly zero.
        case shared(Int, zeros: Double)
        /// Mostly zero, the rest all different.
        case sparseRaw(zeros: Double)
    }

    static func weights(_ kind: Weights, count: Int, channels: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed, stream: "compressed-weights")
        let run = count / channels
        var values: [Float] = []
        switch kind {
        case .shared(let n, let zeros):
            let table = Self.table(n)
            for _ in 0..<count {
                let draw = random.uniform(0, 1)
                values.append(Double(draw) < zeros ? 0 : table[Int(random.uniform(0, Float(n) - 0.001))])
            }
        case .sparseRaw(let zeros):
            for _ in 0..<count {
                values.append(Double(random.uniform(0, 1)) < zeros ? 0 : random.uniform(-0.5, 0.5))
            }
        }
        // Output channel 1 all zero.
        for i in run..<(2 * run) where channels > 1 { values[i] = 0 }
        if case .shared(let n, _) = kind {
            // Every shared value occurs (the distinct count is exact), and
            // every channel but the zero one holds the largest magnitude, so
            // the int8 scales per channel agree and the codes are shared too.
            for i in 0..<n { values[2 * run + i] = table(n)[i] }
            for c in 0..<channels where c != 1 { values[c * run + run - 1] = table(n)[0] }
        }
        return values
    }

    /// n shared values, none zero, the first the largest in magnitude.
    static func table(_ n: Int) -> [Float] {
        (0..<n).map { i in (Float(i) - Float(n) / 2 + 0.25) * 0.17 }
    }

    /// x 9x7x5 -> a 3x3 (2-bit codebook, K = 45) -> b 1x1 (sparse + 4-bit
    /// codebook, 23 channels) -> c 3x3/2 (sparse, raw) -> d 1x1 + ReLU
    /// (5-bit codebook) -> global average.
    static func graph(storage: WeightStoragePolicy) throws -> Graph {
        var constants: [String: Tensor] = [:]
        var nodes: [Node] = []
        var seed: UInt64 = 1
        func conv(_ name: String, _ input: String, inC: Int, out: Int, kernel: Int, stride: Int = 1, relu: Bool = false, _ kind: Weights) {
            let count = out * kernel * kernel * inC
            constants[name + ".weight"] = Tensor(shape: TensorShape([out, kernel, kernel, inC]),
                                                 floats: weights(kind, count: count, channels: out, seed: seed))
            var random = SeededRandom(seed: seed, stream: "bias")
            constants[name + ".bias"] = Tensor(shape: TensorShape([out]), floats: (0..<out).map { _ in random.uniform(-0.1, 0.1) })
            seed += 1
            let a = Conv2DAttributes(outChannels: out, kernel: .square(kernel), stride: .square(stride), padding: .uniform(kernel / 2),
                                     activation: relu ? .relu : .none)
            nodes.append(Node(name: name, op: .conv2d(a), inputs: [input], parameters: [name + ".weight", name + ".bias"], output: name))
        }
        conv("a", "x", inC: 5, out: 6, kernel: 3, .shared(3, zeros: 0))
        conv("b", "a", inC: 6, out: 23, kernel: 1, .shared(16, zeros: 0.66))
        conv("c", "b", inC: 23, out: 12, kernel: 3, stride: 2, .sparseRaw(zeros: 0.85))
        conv("d", "c", inC: 12, out: 32, kernel: 1, relu: true, .shared(20, zeros: 0))
        nodes.append(Node(name: "gap", op: .globalAvgPool, inputs: ["d"], output: "gap"))
        var graph = try ShapeInference.run(Graph(name: "compressed", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 9, 7, 5)))],
                                                 outputs: ["gap"], nodes: nodes, constants: constants))
        graph.weightStorage = storage
        return try PassPipeline().run(graph)
    }

    static func int8(_ fused: Graph) throws -> Graph {
        let calibration = HostValidationTests.inputs(fused, count: 3).map { Calibrator.Input(name: $0.name, values: $0.values) }
        let ranges = try Calibrator().ranges(fused, inputs: calibration)
        return try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: calibration.map(\.name))).run(fused)
    }

    static let sanitized = HostRunner(compiler: "clang", extraFlags: ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"])

    /// The generated C's outputs on two inputs (validated against the reference), and the model.
    static func run<R: ModelRunner>(_ graph: Graph, schedule: ScheduleKind, runner: R) throws -> (outputs: [[Float]], model: GeneratedModel) {
        var validator = Validator(runner: runner)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try validator.validate(graph, inputs: HostValidationTests.inputs(graph, count: 2),
                                            options: CodegenOptions(prefix: "model", schedule: schedule), workDirectory: work)
        #expect(result.report.passed, "relative error \(result.report.maxRelativeError)")
        let model = try CompilePipeline.generate(graph, options: CodegenOptions(prefix: "model", schedule: schedule))
        return (result.outputs, model)
    }

    @Test(arguments: [ScheduleKind.layer, .stream], [false, true])
    func compressedBuildIsBitIdenticalToDense(schedule: ScheduleKind, quantized: Bool) throws {
        var dense = try Self.graph(storage: .dense)
        var auto = try Self.graph(storage: .auto)
        if quantized {
            dense = try Self.int8(dense)
            auto = try Self.int8(auto)
        }
        let plan = WeightStoragePlan(graph: auto)
        // Every layer compressed, in the format its weights call for.
        // Every layer compressed, in the format its weights call for (a: 3
        // values and the zero channel's 0; b: 16 values and zeros).
        #expect(plan.layers["a.weight"]?.format == .codebook(bits: 2))
        #expect(plan.layers["b.weight"]?.format == .sparse(bits: 4))
        #expect(plan.layers["c.weight"]?.format == .sparse(bits: nil))
        #expect(plan.layers["d.weight"]?.format == .codebook(bits: 5))
        #expect(WeightStoragePlan(graph: dense).isEmpty)

        let (denseOut, denseModel) = try Self.run(dense, schedule: schedule, runner: Self.sanitized)
        let (autoOut, autoModel) = try Self.run(auto, schedule: schedule, runner: Self.sanitized)
        #expect(autoModel.weightBytes < denseModel.weightBytes)
        #expect(autoModel.files.contains { $0.name == "sq_decode.h" })
        #expect(!denseModel.files.contains { $0.name == "sq_decode.h" })
        #expect(denseOut.count == 2 && autoOut.count == 2)
        for (d, a) in zip(denseOut, autoOut) {
            #expect(d.map(\.bitPattern) == a.map(\.bitPattern))
        }
    }

    /// The same under QEMU (fp32 and int8, streamed) on the Cortex-M4 (the
    /// DSP int8 kernels; the M7 board runs the same code) and the Cortex-M55
    /// (its DTCM layout; the 128 KiB variant differs only in size).
    @Test(arguments: [Board.an386, .an547])
    func compressedFirmwareIsBitIdenticalToDense(board: Board) throws {
        for quantized in [false, true] {
            var dense = try Self.graph(storage: .dense)
            var auto = try Self.graph(storage: .auto)
            if quantized {
                dense = try Self.int8(dense)
                auto = try Self.int8(auto)
            }
            let (denseOut, _) = try Self.run(dense, schedule: .stream, runner: FirmwareRunner(board: board))
            let (autoOut, _) = try Self.run(auto, schedule: .stream, runner: FirmwareRunner(board: board))
            #expect(denseOut.map { $0.map(\.bitPattern) } == autoOut.map { $0.map(\.bitPattern) }, "\(board.name) int8: \(quantized)")
        }
    }
}

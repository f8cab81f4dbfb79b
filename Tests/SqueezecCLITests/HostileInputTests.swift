import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezeTensorIO
import Testing

/// Issue 16: hostile models and inputs through the CLI. Each is refused with
/// exit 1 and one line on stderr naming the file (and the layer), or, where
/// the model is valid, compiled without a crash. The models are made by
/// scripts/make_hostile_fixtures.py (Tests/Fixtures/hostile).
@Suite(.serialized) struct HostileInputTests {
    static let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/hostile")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Exit 1, exactly one line on stderr, naming `file` and containing every one of `texts`.
    static func expectRefused(_ arguments: [String], file: String, _ texts: [String],
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let r = try CLIRunner.run(arguments)
        let lines = r.stderr.split(separator: "\n")
        #expect(r.status == 1, "\(arguments): exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count == 1, "\(arguments): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(URL(fileURLWithPath: file).lastPathComponent), "\(arguments): \(r.stderr)", sourceLocation: sourceLocation)
        for text in texts {
            #expect(r.stderr.contains(text), "\(arguments): '\(text)' not in \(r.stderr)", sourceLocation: sourceLocation)
        }
        #expect(!r.stderr.contains("internal error"), sourceLocation: sourceLocation)
    }

    /// `-o` in a fresh temporary folder for generate (never written: the model is refused first).
    static func outputOption(_ command: String) -> [String] {
        command == "generate" ? ["-o", FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-hostile-\(UUID().uuidString)").path] : []
    }

    @Test(arguments: ["deep_relu", "deep_conv"])
    func deepGraphsCompileWithoutACrash(model: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = Self.fixture("\(model).onnx")
        let analyze = try CLIRunner.run(["analyze", path, "--json"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        // The stream schedule's C would nest one call per chained layer: refused, naming the limit and the way out.
        let stream = try CLIRunner.run(["generate", path, "-o", dir.appendingPathComponent("stream").path])
        #expect(stream.status == 1 && stream.stderr.split(separator: "\n").count == 1, "\(stream.stderr)")
        #expect(stream.stderr.contains("the limit is 64") && stream.stderr.contains("use --schedule layer"), "\(stream.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("stream").path))
        let generate = try CLIRunner.run(["generate", path, "--schedule", "layer", "-o", dir.appendingPathComponent("out").path])
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/model.c").path))
    }

    @Test func nonFiniteWeightsAreRefusedAtLoad() throws {
        for (model, layer, value) in [("nan_weight", "conv_nan", "nan"), ("inf_bias", "conv_inf", "inf")] {
            let path = Self.fixture("\(model).onnx")
            for command in ["analyze", "run", "generate", "dump"] {
                try Self.expectRefused([command, path] + Self.outputOption(command),
                                       file: path, ["layer '\(layer)'", value])
            }
        }
    }

    @Test func nonFiniteWeightsInAnNpzAreRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10)).graph
        var arrays: [String: NpyArray] = [:]
        for (name, tensor) in graph.constants {
            let d = tensor.shape.dims
            let shape = d.count == 4 ? [d[0], d[3], d[1], d[2]] : d
            var values = [Float](repeating: 0.01, count: tensor.shape.elementCount)
            if name == "fire4/expand3x3.weight" { values[values.count / 2] = -.infinity }
            arrays[name] = NpyArray(shape: shape, floats: values)
        }
        let npz = dir.appendingPathComponent("bad weights.npz").path
        try NpzArchive.write(arrays, to: npz)
        try Self.expectRefused(["analyze", "squeezenet1.1", "--input-size", "32", "--classes", "10", "--weights", npz],
                               file: npz, ["layer 'fire4/expand3x3'", "inf"])
    }

    @Test func nonFiniteInputsAreRefusedWithTheFirstBadIndex() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("x.npy").path
        var values = [Float](repeating: 0.5, count: 3 * 64 * 64)
        values[70] = .nan
        values[900] = .infinity
        try NpyFormat.write(NpyArray(shape: [1, 3, 64, 64], floats: values), to: input)
        try Self.expectRefused(["run", "squeezenet1.1", "--input-size", "64", "--input", input], file: input, ["index 70", "nan"])
        try Self.expectRefused(["validate", "squeezenet1.1", "--input-size", "64", "--target", "host", "--input", input],
                               file: input, ["index 70"])
        // The same in a calibration folder.
        let folder = dir.appendingPathComponent("calib")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: input, toPath: folder.appendingPathComponent("a.npy").path)
        try Self.expectRefused(["analyze", "squeezenet1.1", "--input-size", "64", "--precision", "int8", "--calibrate", folder.path],
                               file: "a.npy", ["index 70"])
    }

    /// Rows no consumer reads (a squeeze conv with strides 8x1 on 7 rows; a
    /// 3x3/2 conv that stops before the last row; a floor-mode pool) once made
    /// the stream schedule fail with an internal error blaming the producer.
    /// They stream now, and the generated C matches the reference.
    @Test(arguments: ["fire_stride", "unread_rows"])
    func rowsNoConsumerReadsStream(model: String) throws {
        let path = Self.fixture("\(model).onnx")
        let analyze = try CLIRunner.run(["analyze", path])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        let validate = try CLIRunner.run(["validate", path, "--target", "host"])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("PASS"), "\(validate.stdout)")
    }

    /// Shape errors are found by shape inference, at the layer that has them.
    @Test func aKernelLargerThanItsInputIsAShapeErrorAtThatLayer() throws {
        let path = Self.fixture("kernel_too_big.onnx")
        for command in ["analyze", "run", "generate"] {
            try Self.expectRefused([command, path] + Self.outputOption(command), file: path, ["layer 'big_kernel'", "does not fit input"])
        }
    }

    /// Finite weights whose products overflow: reference and generated code
    /// agree on infinities, which is not agreement.
    @Test func nonFiniteOutputsFailValidationNamingTheFirstLayer() throws {
        let r = try CLIRunner.run(["validate", Self.fixture("overflow.onnx"), "--target", "host"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("FAIL") && !r.stdout.contains("PASS"), "\(r.stdout)")
        let last = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("NaN or infinite") && last.contains("first diverging layer 'conv2'"), "\(r.stderr)")
    }

    @Test func twoOutputsAreRefusedTheSameWayByEveryCommand() throws {
        let path = Self.fixture("two_outputs.onnx")
        for command in ["analyze", "run", "generate", "dump"] {
            try Self.expectRefused([command, path] + Self.outputOption(command),
                                   file: path, ["2 outputs", "exactly one output"])
        }
    }

    @Test func hostileNamesCompileWarningFree() throws {
        // validate compiles the generated C with -Werror and compares it with the reference.
        let path = Self.fixture("hostile_names.onnx")
        let r = try CLIRunner.run(["validate", path, "--target", "host"])
        #expect(r.status == 0, "\(r.stderr)")
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = try CLIRunner.run(["generate", path, "-o", dir.path + "/out"])
        #expect(g.status == 0, "\(g.stderr)")
        for file in ["model.c", "model.h", "model_data.h"] {
            let text = try String(contentsOfFile: dir.path + "/out/" + file, encoding: .utf8)
            let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(file) has non-ASCII text")
            #expect(!text.contains("int x;"), "\(file): a name became code")
        }
    }

    @Test func deadNodesAreRemovedAndReported() throws {
        let path = Self.fixture("dead_nodes.onnx")
        let analyze = try CLIRunner.run(["analyze", path])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stderr.contains("removed 3 node(s)") && analyze.stderr.contains("dead_conv, dead_relu, dead_add"), "\(analyze.stderr)")
        let validate = try CLIRunner.run(["validate", path, "--target", "host"])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stderr.contains("removed 3 node(s)"), "\(validate.stderr)")
    }

    @Test func sizesBeyondTheLimitsAreRefusedBeforeAllocating() throws {
        for option in ["--base-e", "--incr-e"] {
            let r = try CLIRunner.run(["analyze", "squeezenet1.1", option, "100000", "--input-size", "64"])
            #expect(r.status == 1, "\(option): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("layer 'fire") && r.stderr.contains("limit is") && r.stderr.contains("docs/limits.md"), "\(r.stderr)")
        }
    }
}

import Foundation
import Testing

/// Deep-Compression-style models (issue 13, "lossless, from the model"):
/// about two thirds of every convolution's weights exactly zero and at most
/// 16 shared values per layer, made elsewhere. `analyze` must find that
/// structure in the weight values alone and pick a lossless sparse + codebook
/// format for every layer. The fixtures:
/// - squeezenet1_1_dc: squeezec's squeezenet1.1 graph (1000 classes, 224x224,
///   seeded weights) pruned and shared by scripts/make_compressed_fixture.py;
/// - squeezenet1_1_digits32_pc: the trained digits model pruned and shared
///   the same way, without retraining (its metadata kept);
/// - squeezenet1_1_digits32_dc: the digits model compressed with retraining
///   (scripts/train_digits_dc.py, committed in Tests/Fixtures/digits).
/// The first two are not committed (5 MB): scripts/compressed_fixtures.sh
/// makes them once under .build/.
@Suite(.serialized) struct CompressedFixtureTests {
    static let digits = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/digits")

    static let generated: Result<URL, ScriptFailed> = {
        let dir = CLIRunner.packageRoot.appendingPathComponent(".build/compressed-fixtures")
        do {
            let r = try CLIRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), ["scripts/compressed_fixtures.sh", dir.path])
            return r.status == 0 ? .success(dir) : .failure(ScriptFailed(message: "scripts/compressed_fixtures.sh: exit \(r.status): \(r.stderr.suffix(2000))"))
        } catch {
            return .failure(ScriptFailed(message: "\(error)"))
        }
    }()

    struct ScriptFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { "fixture script failed: \(message)" }
    }

    /// A fixture's path: the committed one, or a generated one (the script's error as the test failure).
    static func path(_ name: String) throws -> String {
        if name == "squeezenet1_1_digits32_dc" { return digits.appendingPathComponent(name + ".onnx").path }
        return try generated.get().appendingPathComponent(name + ".onnx").path
    }

    static let fixtures = ["squeezenet1_1_dc", "squeezenet1_1_digits32_pc", "squeezenet1_1_digits32_dc"]

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// `analyze --json`'s weight_compression object.
    static func weights(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLIRunner.run(["analyze"] + arguments + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "--json is quiet")
        return try #require(try json(r.stdout)["weight_compression"] as? [String: Any])
    }

    /// "sparse-mask+codebook4/layer" -> (4, "layer"); nil for any other format.
    static func sparseCodebook(_ format: String) -> (bits: Int, tables: String)? {
        let prefix = "sparse-mask+codebook"
        guard format.hasPrefix(prefix) else { return nil }
        let rest = format.dropFirst(prefix.count).split(separator: "/")
        guard rest.count == 2, let bits = Int(rest[0]) else { return nil }
        return (bits, String(rest[1]))
    }

    /// The fixture scripts prune round(2/3 n) weights of every layer.
    static func prunedCount(_ weights: Int) -> Int {
        Int((Double(weights) * 2 / 3).rounded())
    }

    @Test(arguments: fixtures)
    func fp32LayersAreDetectedAsSparseWithOneSmallTableEach(fixture: String) throws {
        let report = try Self.weights([try Self.path(fixture)])
        #expect(report["precision"] as? String == "fp32")
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(layers.count == 26)
        for layer in layers {
            let name = layer["name"] as? String ?? "?"
            let weights = try #require(layer["weights"] as? Int)
            let format = try #require(layer["format"] as? String)
            #expect(layer["zeros"] as? Int == Self.prunedCount(weights), "\(fixture) \(name)")
            #expect((layer["distinct"] as? Int ?? 99) <= 17, "\(fixture) \(name): zero and at most 16 shared values")
            let parsed = try #require(Self.sparseCodebook(format), "\(fixture) \(name): \(format)")
            #expect(parsed.bits <= 4 && parsed.tables == "layer", "\(fixture) \(name): \(format)")
            // Under 8 bits a weight (dense: 32).
            #expect((layer["compressed_bytes"] as? Int ?? .max) < (layer["dense_bytes"] as? Int ?? 0) / 4, "\(fixture) \(name)")
        }
        let dense = try #require(report["dense_bytes"] as? Int)
        let compressed = try #require(report["compressed_bytes"] as? Int)
        #expect(dense == layers.reduce(0) { $0 + ($1["dense_bytes"] as? Int ?? 0) })
        #expect(compressed == layers.reduce(0) { $0 + ($1["compressed_bytes"] as? Int ?? 0) })
        print("\(fixture) fp32: conv weights \(dense) bytes dense, \(compressed) compressed; other \(report["other_bytes"] ?? "?")")
    }

    /// int8 (calibrated on the digits calibration images): the per-channel
    /// scales map a layer's 16 shared values to more than 16 codes where the
    /// channels' largest weights differ, so the table may need more bits, but
    /// the pruned zeros stay exact zeros and every layer stays sparse.
    /// (Measured formats, docs/compression.md "Fixtures": codebook4 to 7 bits,
    /// per layer or per channel.)
    @Test(arguments: fixtures)
    func int8CodesStaySparseAndShared(fixture: String) throws {
        let path = try Self.path(fixture)
        let fp32 = try #require(try Self.weights([path])["layers"] as? [[String: Any]])
        let report = try Self.weights([path, "--precision", "int8", "--calibrate", Self.digits.appendingPathComponent("calibrate").path])
        #expect(report["precision"] as? String == "int8")
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(layers.count == fp32.count)
        var formats: [String: Int] = [:]
        for (layer, float) in zip(layers, fp32) {
            let name = layer["name"] as? String ?? "?"
            #expect(name == float["name"] as? String)
            #expect(layer["weights"] as? Int == float["weights"] as? Int)
            // A pruned zero is code 0; a kept weight below half its channel's
            // step is too (measured: 14 in one layer of the retrained model).
            let zeros = try #require(layer["zeros"] as? Int)
            let floatZeros = try #require(float["zeros"] as? Int)
            let weights = try #require(layer["weights"] as? Int)
            #expect(zeros >= floatZeros && zeros - floatZeros <= weights / 1000, "\(fixture) \(name)")
            let format = try #require(layer["format"] as? String)
            let parsed = try #require(Self.sparseCodebook(format), "\(fixture) \(name): \(format)")
            // Enough index bits for the codes, no more than needed: K is the smallest with 2^K >= non-zero codes (K >= 2).
            let distinct = try #require(layer["distinct"] as? Int)
            if parsed.tables == "layer" {
                #expect(1 << parsed.bits >= distinct - 1 && (parsed.bits == 2 || 1 << (parsed.bits - 1) < distinct - 1), "\(fixture) \(name): \(format), \(distinct) distinct")
            }
            #expect((layer["compressed_bytes"] as? Int ?? .max) < (layer["dense_bytes"] as? Int ?? 0), "\(fixture) \(name)")
            formats[format, default: 0] += 1
        }
        let dense = try #require(report["dense_bytes"] as? Int)
        let compressed = try #require(report["compressed_bytes"] as? Int)
        #expect(compressed == layers.reduce(0) { $0 + ($1["compressed_bytes"] as? Int ?? 0) })
        print("\(fixture) int8: conv weights \(dense) bytes dense, \(compressed) compressed; other \(report["other_bytes"] ?? "?"); formats \(formats.sorted { $0.key < $1.key })")
    }

    /// The generated 1000-class model has the built-in squeezenet1.1's layers:
    /// the same names, weight counts and order (so the two compare layer by layer).
    @Test func generatedSqueezeNetHasTheBuiltInLayers() throws {
        let fixture = try #require(try Self.weights([try Self.path("squeezenet1_1_dc")])["layers"] as? [[String: Any]])
        let builtIn = try #require(try Self.weights(["squeezenet1.1"])["layers"] as? [[String: Any]])
        #expect(fixture.map { $0["name"] as? String } == builtIn.map { $0["name"] as? String })
        #expect(fixture.map { $0["weights"] as? Int } == builtIn.map { $0["weights"] as? Int })
        let r = try CLIRunner.run(["analyze", try Self.path("squeezenet1_1_dc"), "--json"])
        let object = try Self.json(r.stdout)
        #expect(object["output"] as? [Int] == [1, 1000])
        #expect(object["params"] as? Int == (try Self.json(CLIRunner.run(["analyze", "squeezenet1.1", "--json"]).stdout))["params"] as? Int)
    }

    /// The repo's venv python (scripts/venv.sh makes it once).
    static let python: Result<URL, ScriptFailed> = {
        do {
            let r = try CLIRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), ["scripts/venv.sh"])
            guard r.status == 0, let last = r.stdout.split(separator: "\n").last else {
                return .failure(ScriptFailed(message: "scripts/venv.sh: exit \(r.status): \(r.stderr.suffix(2000))"))
            }
            return .success(URL(fileURLWithPath: String(last)))
        } catch {
            return .failure(ScriptFailed(message: "\(error)"))
        }
    }()

    /// Runs scripts/make_compressed_fixture.py in the repo's venv.
    static func generator(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(executable: try python.get(), ["scripts/make_compressed_fixture.py"] + arguments)
    }

    /// --sparsity and --bits reach every layer; the same arguments give the same bytes.
    @Test func generatorOptionsAndDeterminism() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/onnx/squeezenet1_1_64.onnx").path
        let a = dir.appendingPathComponent("a.onnx").path
        let b = dir.appendingPathComponent("b.onnx").path
        for out in [a, b] {
            let r = try Self.generator(["--sparsity", "0.5", "--bits", "2", input, out])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
        let report = try Self.weights([a])
        let layers = try #require(report["layers"] as? [[String: Any]])
        #expect(layers.count == 26)
        for layer in layers {
            let weights = try #require(layer["weights"] as? Int)
            #expect(layer["zeros"] as? Int == Int((Double(weights) / 2).rounded(.toNearestOrEven)))
            #expect((layer["distinct"] as? Int ?? 99) <= 5)
            #expect(layer["format"] as? String == "sparse-mask+codebook2/layer")
        }
    }

    @Test func generatorErrorsNameTheFileAndWriteNothing() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.onnx").path
        let missing = try Self.generator(["/nonexistent/model.onnx", out])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/model.onnx"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let range = try Self.generator(["--sparsity", "1.5", "squeezenet1.1", out])
        #expect(range.status == 2)
        #expect(range.stderr.contains("--sparsity 1.5"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

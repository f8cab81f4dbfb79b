import Foundation
import SqueezeFrontend
import SqueezeTensorIO
import Testing

/// ONNX models through the CLI, against onnxruntime's outputs stored beside
/// the fixtures (Tests/Fixtures/onnx, made by scripts/make_onnx_fixtures.py).
@Suite(.serialized) struct ONNXCommandTests {
    static let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/onnx")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// max |a - e| relative to the range of e.
    static func relativeError(_ a: [Float], _ e: [Float]) -> Double {
        let range = Double((e.max() ?? 0) - (e.min() ?? 0))
        let worst = zip(a, e).map { Double(abs($0 - $1)) }.max() ?? .infinity
        return worst / max(range, 1e-12)
    }

    @Test(arguments: ["squeezenet1_0_64", "squeezenet1_1_64", "squeezenet1_1_64_floatdata", "squeezenet1_1_224", "bn_conv",
                            "family_ops"])
    func referenceMatchesOnnxruntime(model: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for k in 0..<3 {
            let out = dir.appendingPathComponent("y\(k).npy").path
            let r = try CLIRunner.run(["run", Self.fixture("\(model).onnx"), "--input", Self.fixture("\(model).input\(k).npy"),
                                       "--output", out])
            #expect(r.status == 0, "\(r.stderr)")
            let actual = try #require(try NpyFormat.read(path: out).floats)
            let expected = try #require(try NpyFormat.read(path: Self.fixture("\(model).output\(k).npy")).floats)
            #expect(actual.count == expected.count)
            #expect(Self.relativeError(actual, expected) < 1e-4, "\(model) input \(k)")
        }
    }

    @Test(arguments: ["host", "mps2-an386", "mps3-an547"])
    func generatedCodeMatchesOnnxruntime(target: String) throws {
        for model in ["squeezenet1_0_64", "squeezenet1_1_64"] {
            let dir = try CLIRunner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("y.npy").path
            let r = try CLIRunner.run(["validate", Self.fixture("\(model).onnx"), "--target", target,
                                       "--input", Self.fixture("\(model).input0.npy"), "--output", out])
            #expect(r.status == 0, "\(target) \(model): \(r.stderr)")
            let actual = try #require(try NpyFormat.read(path: out).floats)
            let expected = try #require(try NpyFormat.read(path: Self.fixture("\(model).output0.npy")).floats)
            #expect(Self.relativeError(actual, expected) < 1e-4, "\(target) \(model)")
        }
    }

    @Test func anExportAnalysesLikeTheBuiltInModel() throws {
        func report(_ model: String, _ extra: [String] = []) throws -> [String: Any] {
            let r = try CLIRunner.run(["analyze", model, "--json"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        }
        let imported = try report(Self.fixture("squeezenet1_1_224.onnx"))
        let builtIn = try report("squeezenet1.1")
        for key in ["peak_ram_bytes", "lower_bound_bytes", "layer_arena_bytes", "stream_arena_bytes", "macs", "params"] {
            #expect(imported[key] as? Int == builtIn[key] as? Int, "\(key)")
        }
        let ops = { (r: [String: Any]) in (r["schedule"] as? [[String: Any]])?.compactMap { $0["op"] as? String } ?? [] }
        #expect(ops(imported) == ops(builtIn))
        #expect((imported["fire_modules"] as? [Any])?.count == 8)
    }

    @Test func badFilesAreOneLineInputErrors() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let truncated = dir.appendingPathComponent("truncated.onnx")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("bn_conv.onnx")))
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        for path in [truncated.path, dir.appendingPathComponent("missing.onnx").path] {
            let r = try CLIRunner.run(["analyze", path])
            #expect(r.status == 1, "\(path): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(r.stderr.contains(URL(fileURLWithPath: path).lastPathComponent))
        }
    }
}

/// The ONNX project's own backend node tests for the supported operators
/// (listed by scripts/onnx_node_tests.py, in the venv scripts/venv.sh makes).
@Suite struct ONNXNodeTests {
    @Test func backendNodeTestsPassThroughRun() throws {
        let root = CLIRunner.packageRoot
        let venv = try CLIRunner.run(executable: root.appendingPathComponent("scripts/venv.sh"), [])
        #expect(venv.status == 0, "\(venv.stderr)")
        let python = venv.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let lister = root.appendingPathComponent("scripts/onnx_node_tests.py").path
        let listing = try CLIRunner.run(executable: URL(fileURLWithPath: python), [lister, "--freeze"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let tests = listing.stdout.split(separator: "\n").map(String.init)
        #expect(tests.count >= 20, "node tests found: \(tests.count)")
        // The family's ops are among them (element-wise tests lifted to [1, C, H, W] by the lister).
        let names = tests.map { URL(fileURLWithPath: $0).lastPathComponent }
        // Batch tests of per-item ops split into batch-1 data sets (standalone BatchNormalization), and
        // 2-D Gemm/MatMul/Softmax tests as heads after a Flatten, one data set per row.
        for op in ["test_clip", "test_leakyrelu", "test_sigmoid", "test_relu", "autopad_same", "same_upper", "test_batchnorm_example",
                   "test_gemm_default_vector_bias", "test_gemm_transposeB", "test_matmul_2d", "test_softmax_example",
                   "test_mul_bcast", "test_add_bcast", "test_sub_example", "test_div", "test_constant_pad"] {
            #expect(names.contains { $0.hasPrefix(op) || $0.contains(op) }, "no listed node test for \(op): \(names)")
        }
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var failures: [String] = []
        var dataSets = 0
        for test in tests {
            // Every data set (a batch test split by the lister has one per item).
            let sets = ((try? FileManager.default.contentsOfDirectory(atPath: test)) ?? []).filter { $0.hasPrefix("test_data_set_") }.sorted()
            if sets.isEmpty { failures.append("\(URL(fileURLWithPath: test).lastPathComponent): no test_data_set_*") }
            for set in sets {
                dataSets += 1
                let data = URL(fileURLWithPath: test).appendingPathComponent(set)
                let out = dir.appendingPathComponent("out.npy").path
                let r = try CLIRunner.run(["run", URL(fileURLWithPath: test).appendingPathComponent("model.onnx").path,
                                           "--input", data.appendingPathComponent("input_0.pb").path, "--output", out, "--top", "0"])
                guard r.status == 0, let actual = try? NpyFormat.read(path: out).floats,
                      let expected = try? TensorProtoFile.read(path: data.appendingPathComponent("output_0.pb").path).floats,
                      actual.count == expected.count,
                      // The ONNX backend tests' own tolerance (rtol 1e-3, atol 1e-7): some expected values are rounded.
                      zip(actual, expected).allSatisfy({ abs($0 - $1) <= 1e-7 + 1e-3 * abs($1) })
                else {
                    failures.append("\(URL(fileURLWithPath: test).lastPathComponent)/\(set): \(r.stderr.prefix(200))")
                    continue
                }
            }
        }
        #expect(dataSets >= tests.count)
        #expect(failures.isEmpty, "\(failures.count) of \(tests.count) node tests failed: \(failures.joined(separator: "; "))")
    }
}

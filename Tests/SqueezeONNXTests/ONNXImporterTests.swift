import SqueezeIR
import SqueezePasses
import SqueezeReference
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

/// Models encoded by hand, imported, and checked against the same network
/// built directly in the IR.
@Suite struct ONNXImporterTests {
    static let weights = TestSupport.randomFloats(4 * 3 * 3 * 3, seed: 1)   // OIHW [4, 3, 3, 3]
    static let bias = TestSupport.randomFloats(4, seed: 2)
    static let input = TestSupport.randomFloats(3 * 8 * 8, seed: 3)        // NHWC [1, 8, 8, 3]

    /// OIHW -> OHWI, written out here rather than taken from `Layout`.
    static func ohwi(_ w: [Float], o: Int, i: Int, kh: Int, kw: Int) -> [Float] {
        var result = [Float](repeating: 0, count: w.count)
        for a in 0..<o { for b in 0..<i { for y in 0..<kh { for x in 0..<kw {
            result[((a * kh + y) * kw + x) * i + b] = w[((a * i + b) * kh + y) * kw + x]
        } } } }
        return result
    }

    /// x[1,3,8,8] -> Conv 3x3 pad 1 (+bias) -> Relu -> MaxPool 3/2 ceil -> GlobalAveragePool -> Flatten.
    static func tinyModel(opset: Int64 = 13) -> ONNXModelBuilder {
        var b = ONNXModelBuilder()
        b.opsets = [("", opset)]
        b.initializer(.floats("W", [4, 3, 3, 3], weights))
        b.initializer(.floats("B", [4], bias, raw: false))
        b.node("Conv", ["x", "W", "B"], ["c"], [.ints("kernel_shape", [3, 3]), .ints("pads", [1, 1, 1, 1]), .ints("strides", [1, 1])])
        b.node("Relu", ["c"], ["r"])
        b.node("MaxPool", ["r"], ["p"], [.ints("kernel_shape", [3, 3]), .ints("strides", [2, 2]), .int("ceil_mode", 1)])
        b.node("GlobalAveragePool", ["p"], ["g"])
        b.node("Flatten", ["g"], ["y"], [.int("axis", 1)])
        b.output("y", dims: [1, 4])
        return b
    }

    static func tinyIR() throws -> Graph {
        let conv = Conv2DAttributes(outChannels: 4, kernel: .square(3), padding: .uniform(1), hasBias: true)
        let pool = PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)
        let graph = Graph(
            name: "test", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 8, 8, 3)))], outputs: ["y"],
            nodes: [
                Node(name: "c", op: .conv2d(conv), inputs: ["x"], parameters: ["W", "B"], output: "c"),
                Node(name: "r", op: .relu, inputs: ["c"], output: "r"),
                Node(name: "p", op: .maxPool(pool), inputs: ["r"], output: "p"),
                Node(name: "g", op: .globalAvgPool, inputs: ["p"], output: "g"),
                Node(name: "y", op: .flatten, inputs: ["g"], output: "y"),
            ],
            constants: [
                "W": Tensor(shape: TensorShape([4, 3, 3, 3]), floats: ohwi(weights, o: 4, i: 3, kh: 3, kw: 3)),
                "B": Tensor(shape: TensorShape([4]), floats: bias),
            ])
        return try ShapeInference.run(graph)
    }

    static func load(_ b: ONNXModelBuilder) throws -> Graph {
        try ONNXImporter.load(bytes: b.encode(), file: "test.onnx")
    }

    // MARK: End to end

    @Test func tinyModelMatchesTheSameGraphBuiltInIR() throws {
        let imported = try Self.load(Self.tinyModel())
        let direct = try Self.tinyIR()
        #expect(imported == direct)
        #expect(try imported.type(of: "p").shape == .nhwc(1, 4, 4, 4))   // ceil mode: 4, not 3
        let a = try TestSupport.run(imported, Self.input)
        let b = try TestSupport.run(direct, Self.input)
        #expect(a == b)
        #expect(a.count == 4)
    }

    @Test(arguments: [11, 12, 13, 17, 21] as [Int64])
    func everySupportedOpsetImports(opset: Int64) throws {
        #expect(try Self.load(Self.tinyModel(opset: opset)) == (try Self.tinyIR()))
    }

    @Test func kernelShapeIsOptionalAndChecked() throws {
        var b = Self.tinyModel()
        b.nodes[0] = ProtoWriter.encode { w in
            for input in ["x", "W", "B"] { w.string(1, input) }
            w.string(2, "c"); w.string(3, "c"); w.string(4, "Conv")
            w.message(5) { a in a.string(1, "pads"); for p in [1, 1, 1, 1] as [Int64] { a.int(8, p) }; a.int(20, 7) }
        }
        #expect(try Self.load(b) == (try Self.tinyIR()))

        var wrong = Self.tinyModel()
        wrong.nodes[0] = ProtoWriter.encode { w in
            for input in ["x", "W", "B"] { w.string(1, input) }
            w.string(2, "c"); w.string(3, "c"); w.string(4, "Conv")
            w.message(5) { a in a.string(1, "kernel_shape"); a.int(8, 5); a.int(8, 5); a.int(20, 7) }
        }
        let e = TestSupport.importError(wrong.encode())
        #expect(e.kind == .input)
        #expect(e.location == SqueezeIR.SourceLocation(file: "test.onnx", node: "c"))
        #expect(e.message.contains("kernel_shape [5, 5] does not match the weight's [3, 3]"))
    }

    @Test func convWithoutBiasAndAveragePoolAttributes() throws {
        var b = ONNXModelBuilder()
        b.initializer(.floats("W", [4, 3, 3, 3], Self.weights))
        b.node("Conv", ["x", "W"], ["c"], [.ints("strides", [2, 1]), .ints("pads", [0, 1, 1, 0])])
        b.node("AveragePool", ["c"], ["a"], [.ints("kernel_shape", [2, 3]), .ints("strides", [1, 2]), .ints("pads", [1, 1, 0, 1]),
                                             .int("count_include_pad", 1), .int("ceil_mode", 1)])
        b.output("a")
        let g = try Self.load(b)
        #expect(g.nodes[0].op == .conv2d(Conv2DAttributes(outChannels: 4, kernel: .square(3), stride: Size2(2, 1),
                                                          padding: Padding(top: 0, left: 1, bottom: 1, right: 0), hasBias: false)))
        #expect(g.nodes[0].parameters == ["W"])
        #expect(g.nodes[1].op == .avgPool(PoolAttributes(kernel: Size2(2, 3), stride: Size2(1, 2),
                                                         padding: Padding(top: 1, left: 1, bottom: 0, right: 1),
                                                         ceilMode: true, countIncludePad: true)))
    }

    // MARK: SqueezeNet

    static func squeezeNet(_ version: SqueezeNetConfig.Version, bypass: SqueezeNetConfig.Bypass = .none, softmax: Bool = false) throws -> Graph {
        try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, inputSize: 64, classes: 10, bypass: bypass, softmax: softmax)).graph
    }

    @Test(arguments: [SqueezeNetConfig.Version.v1_0, .v1_1])
    func importedSqueezeNetHasEightFireModulesThatFuse(version: SqueezeNetConfig.Version) throws {
        let built = try Self.squeezeNet(version)
        let imported = try ONNXImporter.load(bytes: ONNXExport.encode(built, symbolicBatch: true), file: "squeezenet.onnx")
        #expect(imported.nodes.map(\.name) == built.nodes.map(\.name))
        #expect(FireModuleMatcher.match(imported).map(\.name) == (2...9).map { "fire\($0)" })

        let input = TestSupport.randomFloats(64 * 64 * 3, seed: 9)
        #expect(try TestSupport.run(imported, input) == (try TestSupport.run(built, input)))

        let fused = try PassPipeline().run(imported)
        let fires = fused.nodes.filter { if case .fire = $0.op { true } else { false } }
        #expect(fires.count == 8)
        #expect(!fused.nodes.contains { if case .dropout = $0.op { true } else { false } })
        let difference = TestSupport.maxAbsDifference(try TestSupport.run(fused, input), try TestSupport.run(built, input))
        #expect(difference < 1e-5)
    }

    @Test func bypassSqueezeNetWithSoftmaxImports() throws {
        // Add (simple and complex bypass) and Softmax.
        let built = try Self.squeezeNet(.v1_0, bypass: .complex, softmax: true)
        let imported = try ONNXImporter.load(bytes: ONNXExport.encode(built, opset: 11), file: "bypass.onnx")
        #expect(imported.nodes.contains { $0.op == .add })
        let input = TestSupport.randomFloats(64 * 64 * 3, seed: 10)
        #expect(try TestSupport.run(imported, input) == (try TestSupport.run(built, input)))
    }

    // MARK: BatchNormalization

    static let gamma: [Float] = [1.5, -0.5, 2, 0.25]
    static let beta: [Float] = [0.1, -0.2, 0.3, 0]
    static let mean: [Float] = [0.05, -0.1, 0.2, 0.3]
    static let variance: [Float] = [0.5, 2, 0.1, 1]

    static func batchNormModel(bias: Bool, epsilon: Float = 1e-3) -> ONNXModelBuilder {
        var b = ONNXModelBuilder()
        b.initializer(.floats("W", [4, 3, 3, 3], weights))
        if bias { b.initializer(.floats("B", [4], Self.bias)) }
        for (name, values) in [("gamma", gamma), ("beta", beta), ("mean", mean), ("var", variance)] {
            b.initializer(.floats(name, [4], values))
        }
        b.node("Conv", ["x", "W"] + (bias ? ["B"] : []), ["c"], name: "conv", [.ints("pads", [1, 1, 1, 1])])
        b.node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["bn"], name: "bn", [.float("epsilon", epsilon)])
        b.node("Relu", ["bn"], ["y"])
        b.output("y")
        return b
    }

    @Test(arguments: [false, true])
    func batchNormIsFoldedIntoTheConv(bias: Bool) throws {
        let epsilon: Float = 1e-3
        let g = try Self.load(Self.batchNormModel(bias: bias, epsilon: epsilon))
        #expect(g.nodes.count == 2)
        #expect(g.nodes[0].name == "conv")
        #expect(g.nodes[0].output == "bn")
        #expect(g.nodes[0].fusedFrom == ["conv", "bn"])
        guard case .conv2d(let a) = g.nodes[0].op else { Issue.record("not a conv"); return }
        #expect(a.hasBias)

        // By hand: the convolution alone, then batch normalization, then ReLU.
        var direct = try Self.tinyIR()
        direct.nodes = [direct.nodes[0]]
        direct.outputs = ["c"]
        if !bias {
            direct.constants["B"] = Tensor(shape: TensorShape([4]), floats: [0, 0, 0, 0])
        }
        let conv = try TestSupport.run(try ShapeInference.run(direct), Self.input)
        let expected = conv.enumerated().map { index, value in
            let c = index % 4
            let normalized = (value - Self.mean[c]) / (Self.variance[c] + epsilon).squareRoot() * Self.gamma[c] + Self.beta[c]
            return max(normalized, 0)
        }
        let actual = try TestSupport.run(g, Self.input)
        let scale = expected.map(abs).max() ?? 1
        #expect(TestSupport.maxAbsDifference(actual, expected) <= 1e-5 * scale)
        #expect(expected.contains { $0 > 0 } && expected.contains { $0 == 0 })
    }

    /// Not right after a Conv (or the Conv's output read elsewhere): a
    /// per-channel affine op `x * s + (beta - mean * s)`, `s = gamma / sqrt(var + eps)`.
    @Test func batchNormNotAfterAConvBecomesAnAffineOp() throws {
        let epsilon: Float = 1e-3
        func expectAffine(_ b: ONNXModelBuilder, input value: String, _ label: String) throws {
            let g = try Self.load(b)
            let node = try #require(g.nodes.first { $0.name == "bn" }, "\(label)")
            #expect(node.op == .affine(channels: 4), "\(label)")
            let values = try ReferenceInterpreter(graph: g).runCapturingAll(Self.input)
            let x = try #require(values[value]), y = try #require(values[node.output])
            let expected = x.enumerated().map { index, v in
                let c = index % 4
                return (v - Self.mean[c]) / (Self.variance[c] + epsilon).squareRoot() * Self.gamma[c] + Self.beta[c]
            }
            #expect(TestSupport.maxAbsDifference(y, expected) <= 1e-5, "\(label)")
        }
        // Relu between Conv and BN.
        var b = Self.batchNormModel(bias: true, epsilon: epsilon)
        b.nodes = []
        b.node("Conv", ["x", "W", "B"], ["c"], name: "conv", [.ints("pads", [1, 1, 1, 1])])
        b.node("Relu", ["c"], ["r"], name: "relu")
        b.node("BatchNormalization", ["r", "gamma", "beta", "mean", "var"], ["y"], name: "bn", [.float("epsilon", epsilon)])
        try expectAffine(b, input: "r", "after a Relu")

        // Conv output also read by another node.
        var shared = Self.batchNormModel(bias: true, epsilon: epsilon)
        shared.nodes = []
        shared.node("Conv", ["x", "W", "B"], ["c"], name: "conv", [.ints("pads", [1, 1, 1, 1])])
        shared.node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["bn"], name: "bn", [.float("epsilon", epsilon)])
        shared.node("Add", ["bn", "c"], ["y"], name: "add")
        try expectAffine(shared, input: "c", "conv output shared")

        // At the graph input.
        var atInput = ONNXModelBuilder(dims: [1, 4, 5, 5])
        for (name, values) in [("gamma", Self.gamma), ("beta", Self.beta), ("mean", Self.mean), ("var", Self.variance)] {
            atInput.initializer(.floats(name, [4], values))
        }
        atInput.node("BatchNormalization", ["x", "gamma", "beta", "mean", "var"], ["y"], name: "bn", [.float("epsilon", epsilon)])
        atInput.output("y")
        let g = try Self.load(atInput)
        let x = TestSupport.randomFloats(100, seed: 9)
        let y = try TestSupport.run(g, x)
        let expected = x.enumerated().map { index, v in
            let c = index % 4
            return (v - Self.mean[c]) / (Self.variance[c] + epsilon).squareRoot() * Self.gamma[c] + Self.beta[c]
        }
        #expect(TestSupport.maxAbsDifference(y, expected) <= 1e-5)
    }

    @Test func batchNormParametersAreChecked() {
        var b = Self.batchNormModel(bias: true)
        b.initializers[2] = .floats("gamma", [3], [1, 1, 1])
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .input)
        #expect(e.location.node == "bn")
        #expect(e.message.contains("scale 'gamma' has shape [3]; the Conv has 4 output channels"))

        var negative = Self.batchNormModel(bias: true, epsilon: 0)
        negative.initializers[5] = .floats("var", [4], [1, -1, 1, 1])
        #expect(TestSupport.importError(negative.encode()).message.contains("must be positive"))
    }

    // MARK: Reshape, Constant, Identity, Dropout

    /// Conv -> Relu -> GAP -> Reshape(Constant [1, -1]) -> Identity -> Dropout -> Softmax -> Identity (output).
    static func headModel(shape: [Int64] = [1, -1], constantNode: Bool = true, opset: Int64 = 13) -> ONNXModelBuilder {
        var b = ONNXModelBuilder()
        b.opsets = [("", opset)]
        b.initializer(.floats("W", [4, 3, 3, 3], weights))
        b.initializer(.floats("B", [4], bias))
        b.node("Identity", ["W"], ["W_copy"], name: "weight_identity")
        b.node("Conv", ["x", "W_copy", "B"], ["c"], [.ints("pads", [1, 1, 1, 1])])
        b.node("Relu", ["c"], ["r"])
        b.node("GlobalAveragePool", ["r"], ["g"])
        if constantNode {
            b.node("Constant", [], ["shape"], name: "", [.tensor("value", .int64s("", shape))])
        } else {
            b.initializer(.int64s("shape", shape, raw: false))
        }
        b.node("Reshape", ["g", "shape"], ["flat"])
        b.node("Identity", ["flat"], ["flat_copy"])
        if opset >= 12 {
            b.initializer(.floats("ratio", [], [0.3]))
            b.initializer(TensorSpec(name: "training", dims: [], data: .bytes(dataType: 9, [0])))
            b.node("Dropout", ["flat_copy", "ratio", "training"], ["d", "mask"], name: "drop")
        } else {
            b.node("Dropout", ["flat_copy"], ["d", "mask"], name: "drop", [.float("ratio", 0.3)])
        }
        b.node("Softmax", ["d"], ["prob"], [.int("axis", 1)])
        b.node("Identity", ["prob"], ["out"])
        b.output("out", dims: [.param("N"), 4])
        return b
    }

    @Test(arguments: [(11, true), (13, true), (13, false)] as [(Int64, Bool)])
    func reshapeConstantIdentityAndDropout(opset: Int64, constantNode: Bool) throws {
        let g = try Self.load(Self.headModel(constantNode: constantNode, opset: opset))
        #expect(g.nodes.map(\.name) == ["c", "r", "g", "flat", "drop", "prob"])
        #expect(g.nodes.map(\.op.name) == ["conv2d", "relu", "global_avgpool", "flatten", "dropout", "softmax"])
        #expect(g.nodes[4].op == .dropout(ratio: 0.3))
        #expect(g.nodes[4].inputs == ["flat"])                  // Identity rewired
        #expect(g.nodes[0].parameters == ["W", "B"])            // weights through an Identity
        #expect(g.outputs == ["out"])                           // output keeps its ONNX name
        #expect(g.nodes[5].output == "out")
        #expect(g.constants.keys.sorted() == ["B", "W"])

        var reference = try Self.tinyIR()
        reference.nodes = [reference.nodes[0], reference.nodes[1],
                           Node(name: "g", op: .globalAvgPool, inputs: ["r"], output: "g"),
                           Node(name: "f", op: .flatten, inputs: ["g"], output: "f"),
                           Node(name: "s", op: .softmax, inputs: ["f"], output: "s")]
        reference.outputs = ["s"]
        reference.valueTypes = [:]
        #expect(try TestSupport.run(g, Self.input) == (try TestSupport.run(reference, Self.input)))
    }

    @Test func reshapeToChannelsAfterAOneByOneMap() throws {
        let g = try Self.load(Self.headModel(shape: [1, 4]))
        #expect(try g.type(of: "flat").shape == TensorShape([1, 4]))
        #expect(try Self.load(Self.headModel(shape: [-1, 4])).nodes[3].op == .flatten)
        #expect(try Self.load(Self.headModel(shape: [0, -1])).nodes[3].op == .flatten)

        let wrong = TestSupport.importError(Self.headModel(shape: [1, 6]).encode())
        #expect(wrong.kind == .unsupported)
        #expect(wrong.location.node == "flat")
        #expect(wrong.message.contains("needs 6 values per image"))

        let unsupported = TestSupport.importError(Self.headModel(shape: [2, -1]).encode())
        #expect(unsupported.message == "1 unsupported node: 'flat' (Reshape): Reshape to [2, -1] is not supported (only flattening to [1, -1] or [1, C])")
        #expect(TestSupport.importError(Self.headModel(shape: [1, 2, 2]).encode()).kind == .unsupported)
    }

    @Test func reshapeNeedsAConstantShape() {
        var b = ONNXModelBuilder()
        b.node("Relu", ["x"], ["r"])
        b.node("Shape", ["r"], ["s"])
        b.node("Reshape", ["r", "s"], ["y"])
        b.output("y")
        let e = TestSupport.importError(b.encode())
        #expect(e.message == "2 unsupported nodes (1 Shape, 1 Reshape): 's', 'y'")
        #expect(e.details == ["'s' (Shape): operator not supported",
                              "'y' (Reshape): input 's' must be a constant (an initializer or Constant), but it is computed"])
    }

    @Test func usedDropoutMaskIsUnsupported() {
        var b = ONNXModelBuilder()
        b.node("Dropout", ["x"], ["d", "mask"], name: "drop")
        b.node("Add", ["d", "mask"], ["y"])
        b.output("y")
        #expect(TestSupport.importError(b.encode()).message.contains("'drop' (Dropout): its output 2 ('mask') is used"))
        // Training mode.
        var t = ONNXModelBuilder()
        t.initializer(TensorSpec(name: "on", dims: [], data: .bytes(dataType: 9, [1])))
        t.node("Dropout", ["x", "", "on"], ["y"], name: "drop")
        t.output("y")
        #expect(TestSupport.importError(t.encode()).message.contains("training_mode is true"))
    }

    @Test func concatAxes() throws {
        for axis in [1, -3] as [Int64] {
            var b = ONNXModelBuilder()
            b.node("Relu", ["x"], ["a"])
            b.node("Concat", ["a", "x", "a"], ["y"], [.int("axis", axis)])
            b.output("y", dims: [1, 9, 8, 8])
            #expect(try Self.load(b).type(of: "y").shape == .nhwc(1, 8, 8, 9))
        }
        var b = ONNXModelBuilder()
        b.node("Concat", ["x", "x"], ["y"], [.int("axis", 2)])
        b.output("y")
        #expect(TestSupport.importError(b.encode()).message.contains("axis=2 is not supported"))
    }

    @Test func anIdentityOutputOfAnotherGraphOutputKeepsTheSourceName() throws {
        // Output 'r' is read by an Identity output 'y' too: both stay.
        var b = ONNXModelBuilder()
        b.node("Relu", ["x"], ["r"])
        b.node("Identity", ["r"], ["y"])
        b.output("r")
        b.output("y")
        let g = try Self.load(b)
        #expect(g.outputs == ["r", "r"])
    }

    // MARK: Opsets and inputs

    @Test func opsetsOutsideElevenToTwentyFiveAreRejected() throws {
        for version in [11, 17, 21, 22, 25] as [Int64] {
            _ = try Self.load(Self.tinyModel(opset: version))
        }
        for version in [10, 26] as [Int64] {
            let e = TestSupport.importError(Self.tinyModel(opset: version).encode())
            #expect(e.kind == .unsupported)
            #expect(e.message == "opset \(version) of the default ONNX domain is not supported (squeezec reads opsets 11 through 25)")
            #expect(e.location.file == "test.onnx")
        }
        var none = Self.tinyModel()
        none.opsets = [("com.microsoft", 1)]
        #expect(TestSupport.importError(none.encode()).message.contains("imports no operator set of the default ONNX domain"))
        var twice = Self.tinyModel()
        twice.opsets = [("", 13), ("ai.onnx", 14)]
        #expect(TestSupport.importError(twice.encode()).message.contains("several versions: [13, 14]"))
    }

    @Test func otherDomainsAreAcceptedOnlyWhenUnused() throws {
        var b = Self.tinyModel()
        b.opsets = [("ai.onnx", 13), ("com.microsoft", 1)]
        #expect(try Self.load(b) == (try Self.tinyIR()))
        b.node("FusedGemm", ["y"], ["z"], name: "gemm", domain: "com.microsoft")
        let e = TestSupport.importError(b.encode())
        #expect(e.message == "1 unsupported node: 'gemm' (FusedGemm): operator not supported")
        var other = Self.tinyModel()
        other.opsets = [("ai.onnx", 13), ("org.example", 1)]
        other.node("Custom", ["y"], ["z"], name: "custom", domain: "org.example")
        #expect(TestSupport.importError(other.encode()).message
            == "1 unsupported node: 'custom' (Custom): domain 'org.example' is not supported (only the default ONNX domain and com.microsoft's quantised operators)")
    }

    @Test func symbolicBatchIsTakenAsOne() throws {
        for batch in [DimSpec.param("batch_size"), .unknown] {
            var b = Self.tinyModel()
            b.inputs[0].dims = [batch, 3, 8, 8]
            let g = try Self.load(b)
            #expect(g.inputs == [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 8, 8, 3)))])
        }
    }

    @Test func inputErrors() {
        func error(_ change: (inout ONNXModelBuilder) -> Void) -> Diagnostic {
            var b = Self.tinyModel()
            change(&b)
            return TestSupport.importError(b.encode())
        }
        #expect(error { $0.inputs[0].dims = [1, 3, .param("H"), 8] }.message == "graph input 'x' has dynamic height 'H'; export with a fixed input size")
        #expect(error { $0.inputs[0].dims = [1, 3, 8, .unknown] }.message.contains("unknown width"))
        #expect(error { $0.inputs[0].dims = [2, 3, 8, 8] }.message.contains("batch size 2"))
        #expect(error { $0.inputs[0].dims = [1, 3, 8] }.message.contains("rank 3"))
        #expect(error { $0.inputs[0].dims = nil }.message.contains("has no shape"))
        #expect(error { $0.inputs[0].dims = [1, 3, 0, 8] }.message.contains("height 0"))
        #expect(error { $0.inputs[0].dims = [1, 3, .value(1 << 40), 8] }.kind == .input)
        #expect(error { $0.inputs[0].dims = [1, .value(1 << 16), .value(1 << 16), .value(1 << 16)] }.message.contains("too large"))
        #expect(error { $0.inputs[0].elementType = 7 }.message == "graph input 'x' is INT64; squeezec needs a float32 image")
        #expect(error { $0.inputs.append(ONNXModelBuilder.ValueInfoSpec(name: "x2", dims: [1, 3, 8, 8])) }.message.contains("2 inputs ('x', 'x2')"))
        #expect(error { $0.inputs = [] }.message.contains("no input"))
        #expect(error { $0.outputs = [] }.message.contains("no output"))
        #expect(error { $0.irVersion = 0 }.message.contains("ir_version is missing"))
    }

    @Test func initializersListedAsInputsAreNotInputs() throws {
        var b = Self.tinyModel()
        b.inputs.append(ONNXModelBuilder.ValueInfoSpec(name: "W", dims: [4, 3, 3, 3]))
        b.inputs.insert(ONNXModelBuilder.ValueInfoSpec(name: "B", dims: [4]), at: 0)
        #expect(try Self.load(b) == (try Self.tinyIR()))
    }

    // MARK: Pre-flight

    @Test func preflightListsEveryUnsupportedNodeInOneDiagnostic() {
        var b = Self.tinyModel()
        b.initializer(.floats("W2", [4, 2, 3, 3], TestSupport.randomFloats(72, seed: 5)))
        b.node("LSTM", ["y"], ["l"], name: "n1")
        b.node("Conv", ["c", "W2"], ["g2"], name: "n2", [.int("group", 2), .ints("dilations", [1, 2])])
        b.node("MaxPool", ["r"], ["m"], name: "n3", [.ints("kernel_shape", [2, 2]), .ints("dilations", [2, 2])])
        b.node("Conv", ["r", "W"], ["s"], name: "n4", [.string("auto_pad", "SAME_MIDDLE")])
        b.node("Relu", ["l"], ["after"], name: "n5")   // supported, reads an unsupported node's output
        b.node("Softmax", ["y"], ["sm"], name: "n6", [.int("axis", 0)])
        b.node("", ["y"], ["z"], name: "")
        let e = TestSupport.importError(b.encode(), file: "model.onnx")
        #expect(e.kind == .unsupported)
        #expect(e.location == SqueezeIR.SourceLocation(file: "model.onnx", node: nil))
        // A short summary: counts per op type and the first names; every node in `details` (--verbose).
        #expect(e.message == "6 unsupported nodes (1 LSTM, 2 Conv, 1 MaxPool, 1 Softmax, 1 ''): 'n1', 'n2', 'n3', ... (--verbose lists all 6)")
        #expect(e.details == ["'n1' (LSTM): operator not supported",
                              "'n2' (Conv): dilations [1, 2] are not supported (only 1)",
                              "'n3' (MaxPool): dilations [2, 2] are not supported (only 1)",
                              "'n4' (Conv): auto_pad=SAME_MIDDLE is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)",
                              "'n6' (Softmax): axis=0 is not supported (only the last axis of a 2-D tensor)",
                              "'node_11' (): operator not supported"])
        #expect(!e.message.contains("\n"))
        #expect(e.description.hasPrefix("model.onnx: 6 unsupported nodes ("))
    }

    @Test func unnamedNodesGetUniqueNames() throws {
        var b = ONNXModelBuilder()
        b.node("Relu", ["x"], ["a"], name: "")
        b.node("Relu", ["a"], ["b"], name: "")
        b.node("Relu", ["b"], ["c"], name: "Relu_0")
        b.node("Relu", ["c"], ["d"], name: "Relu_0")
        b.output("d")
        #expect(try Self.load(b).nodes.map(\.name) == ["Relu_0", "Relu_1", "Relu_0_2", "Relu_0_3"])
    }

    // MARK: Graph validity

    @Test func nodesOutOfOrderAreSorted() throws {
        var b = Self.tinyModel()
        b.nodes.reverse()
        #expect(try Self.load(b) == (try Self.tinyIR()))
    }

    @Test func cyclesAreErrors() {
        var b = ONNXModelBuilder()
        b.node("Add", ["x", "q"], ["p"], name: "first")
        b.node("Relu", ["p"], ["q"], name: "second")
        b.output("q")
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .input)
        #expect(e.message == "nodes 'first' -> 'second' -> 'first' form a cycle")
        #expect(e.location.node == "first")

        var selfLoop = ONNXModelBuilder()
        selfLoop.node("Add", ["x", "s"], ["s"], name: "loop")
        selfLoop.output("s")
        #expect(TestSupport.importError(selfLoop.encode()).message == "nodes 'loop' -> 'loop' form a cycle")
    }

    @Test func missingInitializersAndUndefinedInputsNameTheNode() {
        var b = Self.tinyModel()
        b.initializers.removeFirst()   // W
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .input)
        #expect(e.location == SqueezeIR.SourceLocation(file: "test.onnx", node: "c"))
        #expect(e.message == "input 'W' is not a graph input, an initializer or the output of an earlier node")

        var undefined = Self.tinyModel()
        undefined.node("Add", ["y", "ghost"], ["z"], name: "adder")
        let u = TestSupport.importError(undefined.encode())
        #expect(u.location.node == "adder")
        #expect(u.message.contains("'ghost'"))
    }

    @Test func valuesWrittenTwiceAreErrors() {
        var b = Self.tinyModel()
        b.node("Relu", ["x"], ["r"], name: "again")
        #expect(TestSupport.importError(b.encode()).message.contains("value 'r' is written twice"))
        var overInitializer = Self.tinyModel()
        overInitializer.node("Relu", ["x"], ["W"], name: "w")
        #expect(TestSupport.importError(overInitializer.encode()).message.contains("also an initializer"))
        var duplicateInitializer = Self.tinyModel()
        duplicateInitializer.initializer(.floats("B", [4], Self.bias))
        #expect(TestSupport.importError(duplicateInitializer.encode()).message.contains("initializer 'B' is given twice"))
    }

    @Test func shapeMismatchesAreCaughtByShapeInference() {
        var b = Self.tinyModel()
        b.inputs[0].dims = [1, 5, 8, 8]   // weights expect 3 input channels
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .input)
        #expect(e.location == SqueezeIR.SourceLocation(file: "test.onnx", node: "c"))
        #expect(e.message.contains("weight shape 4x3x3x3 does not match input 1x8x8x5"))

        var add = ONNXModelBuilder()
        add.node("MaxPool", ["x"], ["p"], [.ints("kernel_shape", [2, 2]), .ints("strides", [2, 2])])
        add.node("Add", ["x", "p"], ["y"], name: "sum")
        add.output("y")
        #expect(TestSupport.importError(add.encode()).location.node == "sum")
    }

    @Test func declaredOutputShapesMustMatch() {
        var b = Self.tinyModel()
        b.outputs = []
        b.output("y", dims: [1, 5])
        let e = TestSupport.importError(b.encode())
        #expect(e.message == "graph output 'y' is declared as [1, 5] but computes to [1, 4]")
        #expect(e.location.node == "y")
    }

    @Test func malformedAttributesAndConstantsAreInputErrors() {
        var b = Self.tinyModel()
        b.node("Conv", ["y", "W"], ["z"], name: "bad", [.float("group", 1)])
        let e = TestSupport.importError(b.encode())
        #expect(e.message == "attribute 'group' should be INT, got FLOAT")
        #expect(e.location.node == "bad")

        var pads = Self.tinyModel()
        pads.node("MaxPool", ["r"], ["z"], name: "pool", [.ints("kernel_shape", [2, 2]), .ints("pads", [0, 0, 1])])
        #expect(TestSupport.importError(pads.encode()).message.contains("'pads' has 3 values"))

        var huge = Self.tinyModel()
        huge.node("MaxPool", ["r"], ["z"], name: "pool", [.ints("kernel_shape", [1 << 40, 2])])
        #expect(TestSupport.importError(huge.encode()).message.contains("out of range"))

        var stride = Self.tinyModel()
        stride.node("MaxPool", ["r"], ["z"], name: "pool", [.ints("kernel_shape", [2, 2]), .ints("strides", [0, 1])])
        #expect(TestSupport.importError(stride.encode()).kind == .input)

        var int64Weights = Self.tinyModel()
        int64Weights.initializers[0] = TensorSpec(name: "W", dims: [4, 3, 3, 3], data: .int64s([Int64](repeating: 1, count: 108), raw: true))
        #expect(TestSupport.importError(int64Weights.encode()).message.contains("'W' is INT64; only FLOAT"))
    }

    /// Adding a constant is a per-channel affine op on 4-D maps only (ONNXFamilyOpsTests).
    @Test func addingAConstantAfterFlattenIsUnsupported() {
        var b = Self.tinyModel()
        b.node("Add", ["y", "B"], ["z"], name: "plus")
        #expect(TestSupport.importError(b.encode()).message.contains(
            "'plus' (Add): only 4-D [N, C, H, W] inputs are supported here; the input is [1, 4]"))
    }
}

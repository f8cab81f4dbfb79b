import Foundation
import SqueezeIR
import SqueezeReference
import SqueezeTensorIO
import Testing
@testable import SqueezeFrontend

/// Importing Clip, LeakyRelu, Sigmoid, Mul/Add/Sub/Div by a constant, Pad
/// and `auto_pad`, and the refusals of their unsupported variants (one line
/// naming the node).
@Suite struct ONNXFamilyOpsTests {
    static let input = TestSupport.randomFloats(4 * 6 * 6, seed: 21, in: -3...3)   // NHWC [1, 6, 6, 4]

    /// x[1,4,6,6] -> `op` -> y.
    static func model(_ op: String, inputs: [String] = [], opset: Int64 = 13, _ attributes: [AttributeSpec] = [],
                      initializers: [TensorSpec] = []) -> ONNXModelBuilder {
        var b = ONNXModelBuilder(dims: [1, 4, 6, 6])
        b.opsets = [("", opset)]
        for i in initializers { b.initializer(i) }
        b.node(op, ["x"] + inputs, ["y"], name: "n", attributes)
        b.output("y")
        return b
    }

    static func load(_ b: ONNXModelBuilder) throws -> Graph {
        try ONNXImporter.load(bytes: b.encode(), file: "test.onnx")
    }

    static func refusal(_ b: ONNXModelBuilder) -> String {
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .unsupported)
        #expect(e.location.node == "n")
        #expect(!e.message.contains("\n"))
        return e.message
    }

    /// Imports and runs; checks every output value against `f` of its input value (and channel).
    static func expectElementwise(_ b: ONNXModelBuilder, op: Op, _ f: (Float, Int) -> Float,
                                  sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let g = try load(b)
        #expect(g.nodes.map(\.op) == [op], sourceLocation: sourceLocation)
        let y = try TestSupport.run(g, input)
        let expected = input.enumerated().map { f($1, $0 % 4) }
        #expect(TestSupport.maxAbsDifference(y, expected) <= 1e-6, sourceLocation: sourceLocation)
    }

    // MARK: Activations

    @Test func clipWithConstantBounds() throws {
        let bounds: [TensorSpec] = [.floats("lo", [], [-1]), .floats("hi", [], [2])]
        try Self.expectElementwise(Self.model("Clip", inputs: ["lo", "hi"], initializers: bounds), op: .activation(.clip(min: -1, max: 2))) { x, _ in
            min(max(x, -1), 2)
        }
        let relu6: [TensorSpec] = [.floats("lo", [], [0]), .floats("hi", [], [6])]
        try Self.expectElementwise(Self.model("Clip", inputs: ["lo", "hi"], opset: 11, initializers: relu6),
                                   op: .activation(.clip(min: 0, max: 6))) { x, _ in min(max(x, 0), 6) }
        // Only a max: unbounded below.
        try Self.expectElementwise(Self.model("Clip", inputs: ["", "hi"], initializers: bounds),
                                   op: .activation(.clip(min: -.greatestFiniteMagnitude, max: 2))) { x, _ in min(x, 2) }
        // Clip(0, +inf) is a ReLU (so Fire modules and fusion see one).
        try Self.expectElementwise(Self.model("Clip", inputs: ["zero"], initializers: [.floats("zero", [], [0])]), op: .relu) { x, _ in
            max(x, 0)
        }
    }

    @Test func clipWithComputedBoundsIsRefused() {
        var b = Self.model("Clip", inputs: ["r"])
        b.nodes.insert(ProtoWriter.encode { w in
            w.string(1, "x"); w.string(2, "r"); w.string(3, "relu"); w.string(4, "Relu")
        }, at: 0)
        #expect(Self.refusal(b).contains("'n' (Clip): Clip min 'r' is computed; only constant bounds are supported"))
    }

    @Test func leakyReluAndSigmoid() throws {
        try Self.expectElementwise(Self.model("LeakyRelu", [.float("alpha", 0.2)]), op: .activation(.leakyRelu(alpha: 0.2))) { x, _ in
            x < 0 ? 0.2 * x : x
        }
        try Self.expectElementwise(Self.model("LeakyRelu"), op: .activation(.leakyRelu(alpha: 0.01))) { x, _ in x < 0 ? 0.01 * x : x }
        try Self.expectElementwise(Self.model("Sigmoid"), op: .activation(.sigmoid)) { x, _ in 1 / (1 + Float(exp(Double(-x)))) }
    }

    // MARK: Arithmetic with a constant

    static let perChannel: [Float] = [0.5, -2, 3, 0.25]

    @Test func mulAddSubDivByScalarsAndPerChannelConstants() throws {
        let c = TensorSpec.floats("c", [4, 1, 1], Self.perChannel)
        let s = TensorSpec.floats("s", [], [1.5])
        let k = Self.perChannel
        try Self.expectElementwise(Self.model("Mul", inputs: ["c"], initializers: [c]), op: .affine(channels: 4)) { x, ch in x * k[ch] }
        try Self.expectElementwise(Self.model("Add", inputs: ["s"], initializers: [s]), op: .affine(channels: 4)) { x, _ in x + 1.5 }
        try Self.expectElementwise(Self.model("Sub", inputs: ["c"], initializers: [c]), op: .affine(channels: 4)) { x, ch in x - k[ch] }
        try Self.expectElementwise(Self.model("Div", inputs: ["c"], initializers: [c]), op: .affine(channels: 4)) { x, ch in x * (1 / k[ch]) }
        // [1, C, 1, 1] too.
        let c4 = TensorSpec.floats("c", [1, 4, 1, 1], Self.perChannel)
        try Self.expectElementwise(Self.model("Mul", inputs: ["c"], initializers: [c4]), op: .affine(channels: 4)) { x, ch in x * k[ch] }
        // The constant first: c - x.
        var b = ONNXModelBuilder(dims: [1, 4, 6, 6])
        b.initializer(c)
        b.node("Sub", ["c", "x"], ["y"], name: "n")
        b.output("y")
        try Self.expectElementwise(b, op: .affine(channels: 4)) { x, ch in k[ch] - x }
    }

    /// A constant that varies along the width and height too (numpy broadcasting, right-aligned):
    /// `[h, w, C]` affine parameters, value (y, x, c) taking the constant's (c, y, x) entry.
    @Test func constantsBroadcastAlongHeightAndWidth() throws {
        let k6: [Float] = [0.5, -1, 2, 1.5, -0.25, 3]
        let perColumn = TensorSpec.floats("c", [6], k6)
        var g = try Self.load(Self.model("Mul", inputs: ["c"], initializers: [perColumn]))
        #expect(g.constants[g.nodes[0].parameters[0]]?.shape.dims == [1, 6, 4])
        var y = try TestSupport.run(g, Self.input)
        // NHWC index i: channel i % 4, column (i / 4) % 6, row i / 24.
        #expect(TestSupport.maxAbsDifference(y, Self.input.enumerated().map { $1 * k6[($0 / 4) % 6] }) <= 1e-6)
        let perValue = TensorSpec.floats("c", [4, 6, 6], (0..<144).map { Float($0) / 10 })
        g = try Self.load(Self.model("Add", inputs: ["c"], initializers: [perValue]))
        #expect(g.constants[g.nodes[0].parameters[1]]?.shape.dims == [6, 6, 4])
        y = try TestSupport.run(g, Self.input)
        let nchw = { (i: Int) -> Int in (i % 4) * 36 + (i / 24) * 6 + (i / 4) % 6 }
        #expect(TestSupport.maxAbsDifference(y, Self.input.enumerated().map { $1 + Float(nchw($0)) / 10 }) <= 1e-6)
    }

    @Test func unsupportedArithmeticIsRefusedNamingTheNode() {
        // [5] broadcasts against the width (6): it does not fit.
        let wide = TensorSpec.floats("c", [5], [1, 2, 3, 4, 5])
        #expect(Self.refusal(Self.model("Mul", inputs: ["c"], initializers: [wide]))
            .contains("'n' (Mul): Mul by a constant of shape [5] is not supported (only one that broadcasts to the input [1, 4, 6, 6])"))
        var two = ONNXModelBuilder(dims: [1, 4, 6, 6])
        two.node("Relu", ["x"], ["r"], name: "relu")
        two.node("Mul", ["x", "r"], ["y"], name: "n")
        two.output("y")
        #expect(Self.refusal(two).contains("'n' (Mul): Mul of two computed tensors is not supported (only by a constant)"))
        var divided = ONNXModelBuilder(dims: [1, 4, 6, 6])
        divided.initializer(.floats("c", [], [2]))
        divided.node("Div", ["c", "x"], ["y"], name: "n")
        divided.output("y")
        #expect(Self.refusal(divided).contains("'n' (Div): Div of a constant by a computed tensor is not supported"))
    }

    // MARK: Pad

    @Test func padWithConstantPads() throws {
        let pads: [Int64] = [0, 0, 1, 2, 0, 0, 0, 1]
        for b in [Self.model("Pad", inputs: ["pads"], initializers: [.int64s("pads", pads)]),
                  Self.model("Pad", inputs: ["pads", "zero"], opset: 11, [.string("mode", "constant")],
                             initializers: [.int64s("pads", pads), .floats("zero", [], [0])])] {
            let g = try Self.load(b)
            #expect(g.nodes.map(\.op) == [.pad(Padding(top: 1, left: 2, bottom: 0, right: 1), value: 0)])
            #expect(try g.type(of: "y").shape == .nhwc(1, 7, 9, 4))
            let y = try TestSupport.run(g, Self.input)
            for r in 0..<7 { for c in 0..<9 { for ch in 0..<4 {
                let (sr, sc) = (r - 1, c - 2)
                let expected = (0..<6).contains(sr) && (0..<6).contains(sc) ? Self.input[(sr * 6 + sc) * 4 + ch] : 0
                #expect(y[(r * 9 + c) * 4 + ch] == expected)
            } } }
        }
        // opset 18 axes: height and width only.
        let axes = Self.model("Pad", inputs: ["pads", "", "axes"], opset: 18,
                              initializers: [.int64s("pads", [1, 1, 1, 1]), .int64s("axes", [-2, -1])])
        #expect(try Self.load(axes).nodes.map(\.op) == [.pad(.uniform(1), value: 0)])
        // A non-zero constant_value fills the border with it.
        let valued = try Self.load(Self.model("Pad", inputs: ["pads", "v"], initializers: [.int64s("pads", [0, 0, 1, 0, 0, 0, 0, 1]),
                                                                                          .floats("v", [], [1.5])]))
        #expect(valued.nodes.map(\.op) == [.pad(Padding(top: 1, left: 0, bottom: 0, right: 1), value: 1.5)])
        let y = try TestSupport.run(valued, Self.input)
        #expect(Array(y[0..<(7 * 4)]) == [Float](repeating: 1.5, count: 7 * 4))   // the new top row
        #expect(y[(7 + 6) * 4] == 1.5 && y[7 * 4] == Self.input[0])               // the right column; the map starts a row down
    }

    @Test func unsupportedPadsAreRefusedNamingTheNode() {
        #expect(Self.refusal(Self.model("Pad", inputs: ["pads"], [.string("mode", "reflect")], initializers: [.int64s("pads", [0, 0, 1, 1, 0, 0, 1, 1])]))
            .contains("'n' (Pad): mode=reflect is not supported (only constant padding)"))
        #expect(Self.refusal(Self.model("Pad", inputs: ["pads"], initializers: [.int64s("pads", [0, 1, 0, 0, 0, 0, 0, 0])]))
            .contains("'n' (Pad): pads [0, 1, 0, 0, 0, 0, 0, 0] pad the batch or channel axis (only height and width)"))
        #expect(Self.refusal(Self.model("Pad", inputs: ["pads"], initializers: [.int64s("pads", [0, 0, -1, 0, 0, 0, 0, 0])]))
            .contains("only non-negative padding"))
    }

    // MARK: auto_pad

    /// SAME_UPPER puts the odd padding at the end, SAME_LOWER at the
    /// beginning; VALID is none. 7x7 input, 3x3 kernel, stride 2: output 4,
    /// total padding (4 - 1) * 2 + 3 - 7 = 2 (1 + 1); 2x2 kernel stride 2 on
    /// 7: output 4, total 1.
    @Test func autoPadIsResolvedToExplicitPads() throws {
        func pads(_ op: String, _ mode: String, kernel: Int, _ extra: [AttributeSpec] = []) throws -> Padding {
            let k = Int64(kernel)
            var b = ONNXModelBuilder(dims: [1, 2, 7, 7])
            b.initializer(.floats("W", [3, 2, kernel, kernel], TestSupport.randomFloats(6 * kernel * kernel, seed: 4)))
            let inputs = op == "Conv" ? ["x", "W"] : ["x"]
            b.node(op, inputs, ["y"], name: "n", [.ints("kernel_shape", [k, k]), .ints("strides", [2, 2]),
                                                   .string("auto_pad", mode)] + extra)
            b.output("y")
            let g = try ONNXImporter.load(bytes: b.encode(), file: "t.onnx")
            switch g.nodes[0].op {
            case .conv2d(let a): return a.padding
            case .maxPool(let a), .avgPool(let a): return a.padding
            default: Issue.record("unexpected \(g.nodes[0].op)"); return .zero
            }
        }
        #expect(try pads("Conv", "SAME_UPPER", kernel: 3) == .uniform(1))
        #expect(try pads("Conv", "SAME_UPPER", kernel: 2) == Padding(top: 0, left: 0, bottom: 1, right: 1))
        #expect(try pads("Conv", "SAME_LOWER", kernel: 2) == Padding(top: 1, left: 1, bottom: 0, right: 0))
        #expect(try pads("Conv", "VALID", kernel: 3) == .zero)
        #expect(try pads("MaxPool", "SAME_UPPER", kernel: 2) == Padding(top: 0, left: 0, bottom: 1, right: 1))
        #expect(try pads("AveragePool", "SAME_LOWER", kernel: 2) == Padding(top: 1, left: 1, bottom: 0, right: 0))
    }

    // MARK: The fixture

    /// family_ops.onnx (scripts/make_family_fixtures.py) against onnxruntime's outputs.
    @Test func familyFixtureMatchesOnnxruntime() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/onnx")
        let g = try ONNXImporter.load(path: dir.appendingPathComponent("family_ops.onnx").path)
        let ops = Set(g.nodes.map(\.op.name))
        #expect(ops.isSuperset(of: ["pad", "clip", "leaky_relu", "sigmoid", "affine"]))
        for i in 0..<3 {
            let x = try NpyFormat.read(path: dir.appendingPathComponent("family_ops.input\(i).npy").path)
            let expected = try #require(try NpyFormat.read(path: dir.appendingPathComponent("family_ops.output\(i).npy").path).floats)
            let nhwc = Layout.nchwToNHWC(try #require(x.floats), n: 1, c: 3, h: 16, w: 16)
            let y = try TestSupport.run(g, nhwc)
            #expect(TestSupport.maxAbsDifference(y, expected) <= 1e-5)
        }
    }
}

import Foundation
import SqueezeIR
import Testing
import SqueezeReference

/// A tiny SqueezeNet-like graph:
/// conv 3x3 (pad 1) -> relu -> fire (squeeze 1x1 + relu, expand 1x1 + relu,
/// expand 3x3 pad 1 + relu, concat) + bypass add of a bias-free 1x1 conv ->
/// maxpool 3 s2 ceil -> avgpool 2 s1 pad 1 count_include_pad -> dropout ->
/// global avg pool -> flatten -> softmax.
private func tinyGraph(batch: Int, seed: UInt64) -> Graph {
    var rng = SeededGenerator(seed: seed)
    var constants: [String: Tensor] = [:]
    var nodes: [Node] = []
    func conv(_ name: String, _ input: String, inC: Int, outC: Int, k: Int, pad: Int = 0, stride: Int = 1, bias: Bool = true) {
        constants[name + ".w"] = Tensor(shape: TensorShape([outC, k, k, inC]), floats: randomFloats(outC * k * k * inC, using: &rng))
        var parameters = [name + ".w"]
        if bias {
            constants[name + ".b"] = Tensor(shape: TensorShape([outC]), floats: randomFloats(outC, in: -0.5...0.5, using: &rng))
            parameters.append(name + ".b")
        }
        let a = Conv2DAttributes(outChannels: outC, kernel: .square(k), stride: .square(stride), padding: .uniform(pad), hasBias: bias)
        nodes.append(Node(name: name, op: .conv2d(a), inputs: [input], parameters: parameters, output: name))
    }
    func op(_ name: String, _ op: Op, _ inputs: String...) {
        nodes.append(Node(name: name, op: op, inputs: inputs, output: name))
    }
    conv("conv1", "data", inC: 3, outC: 4, k: 3, pad: 1)
    op("relu1", .relu, "conv1")
    conv("fire/squeeze", "relu1", inC: 4, outC: 2, k: 1)
    op("fire/squeeze_relu", .relu, "fire/squeeze")
    conv("fire/e1", "fire/squeeze_relu", inC: 2, outC: 3, k: 1)
    op("fire/e1_relu", .relu, "fire/e1")
    conv("fire/e3", "fire/squeeze_relu", inC: 2, outC: 3, k: 3, pad: 1)
    op("fire/e3_relu", .relu, "fire/e3")
    op("fire/concat", .concat, "fire/e1_relu", "fire/e3_relu")
    conv("bypass", "relu1", inC: 4, outC: 6, k: 1, bias: false)
    op("sum", .add, "fire/concat", "bypass")
    op("pool", .maxPool(PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)), "sum")
    op("avg", .avgPool(PoolAttributes(kernel: .square(2), stride: .square(1), padding: .uniform(1), countIncludePad: true)), "pool")
    op("drop", .dropout(ratio: 0.5), "avg")
    op("gap", .globalAvgPool, "drop")
    op("flat", .flatten, "gap")
    op("prob", .softmax, "flat")
    return Graph(name: "tiny", inputs: [ValueInfo(name: "data", type: TensorType(.float32, .nhwc(batch, 8, 8, 3)))],
                 outputs: ["prob"], nodes: nodes, constants: constants)
}

// MARK: - A naive textbook implementation in NCHW, used only as a cross-check.

/// An NCHW tensor with Double elements.
private struct NCHW {
    var n, c, h, w: Int
    var data: [Double]
    init(n: Int, c: Int, h: Int, w: Int) {
        (self.n, self.c, self.h, self.w) = (n, c, h, w)
        data = Array(repeating: 0, count: n * c * h * w)
    }
    subscript(n: Int, c: Int, h: Int, w: Int) -> Double {
        get { data[((n * self.c + c) * self.h + h) * self.w + w] }
        set { data[((n * self.c + c) * self.h + h) * self.w + w] = newValue }
    }
}

private func fromNHWC(_ x: [Float], _ s: TensorShape) -> NCHW {
    var t = NCHW(n: s.n, c: s.c, h: s.h, w: s.w)
    for n in 0..<s.n { for h in 0..<s.h { for w in 0..<s.w { for c in 0..<s.c {
        t[n, c, h, w] = Double(x[((n * s.h + h) * s.w + w) * s.c + c])
    } } } }
    return t
}

private func toNHWC(_ t: NCHW) -> [Float] {
    var x: [Float] = []
    for n in 0..<t.n { for h in 0..<t.h { for w in 0..<t.w { for c in 0..<t.c { x.append(Float(t[n, c, h, w])) } } } }
    return x
}

/// Runs the graph with the naive kernels; returns NHWC values by name.
private func naiveRun(_ graph: Graph, _ input: [Float]) -> [String: [Float]] {
    var values: [String: NCHW] = ["data": fromNHWC(input, graph.inputs[0].type.shape)]
    var flat: [String: [Double]] = [:]  // rank-2 values
    for node in graph.nodes {
        let x = node.inputs.first.flatMap { values[$0] }
        switch node.op {
        case .conv2d(let a):
            #expect(a.activation == .none && a.pool == nil, "the textbook interpreter runs unfused graphs only")
            let x = x!, k = a.kernel.h, s = a.stride.h, p = a.padding.top
            let weights = graph.constants[node.parameters[0]]!.floats!  // OHWI
            let bias = a.hasBias ? graph.constants[node.parameters[1]]!.floats! : nil
            let oh = (x.h + 2 * p - k) / s + 1, ow = (x.w + 2 * p - k) / s + 1
            var y = NCHW(n: x.n, c: a.outChannels, h: oh, w: ow)
            for n in 0..<x.n {
                for o in 0..<a.outChannels {
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var sum = bias.map { Double($0[o]) } ?? 0
                            for ci in 0..<x.c {
                                for kh in 0..<k {
                                    for kw in 0..<k {
                                        let r = i * s - p + kh, q = j * s - p + kw
                                        let v = (r >= 0 && r < x.h && q >= 0 && q < x.w) ? x[n, ci, r, q] : 0
                                        sum += v * Double(weights[((o * k + kh) * k + kw) * x.c + ci])
                                    }
                                }
                            }
                            y[n, o, i, j] = sum
                        }
                    }
                }
            }
            values[node.output] = y
        case .relu:
            var y = x!
            y.data = y.data.map { max($0, 0) }
            values[node.output] = y
        case .maxPool(let a), .avgPool(let a):
            let x = x!, k = a.kernel.h, s = a.stride.h, p = a.padding.top
            let isMax: Bool
            if case .maxPool = node.op { isMax = true } else { isMax = false }
            // Output size: ceil or floor, dropping a last window starting in the end padding.
            func size(_ inSize: Int) -> Int {
                var o = a.ceilMode ? Int((Double(inSize + 2 * p - k) / Double(s)).rounded(.up)) + 1 : (inSize + 2 * p - k) / s + 1
                if a.ceilMode && (o - 1) * s >= inSize + p { o -= 1 }
                return o
            }
            var y = NCHW(n: x.n, c: x.c, h: size(x.h), w: size(x.w))
            for n in 0..<x.n { for c in 0..<x.c { for i in 0..<y.h { for j in 0..<y.w {
                var best = -Double.infinity, sum = 0.0, real = 0, padded = 0
                for kh in 0..<k {
                    for kw in 0..<k {
                        let r = i * s - p + kh, q = j * s - p + kw
                        if r < x.h + p && q < x.w + p { padded += 1 }
                        guard r >= 0, r < x.h, q >= 0, q < x.w else { continue }
                        best = max(best, x[n, c, r, q]); sum += x[n, c, r, q]; real += 1
                    }
                }
                y[n, c, i, j] = isMax ? best : sum / Double(a.countIncludePad ? padded : real)
            } } } }
            values[node.output] = y
        case .globalAvgPool:
            let x = x!
            var y = NCHW(n: x.n, c: x.c, h: 1, w: 1)
            for n in 0..<x.n { for c in 0..<x.c {
                var sum = 0.0
                for h in 0..<x.h { for w in 0..<x.w { sum += x[n, c, h, w] } }
                y[n, c, 0, 0] = sum / Double(x.h * x.w)
            } }
            values[node.output] = y
        case .concat:
            let parts = node.inputs.map { values[$0]! }
            var y = NCHW(n: parts[0].n, c: parts.reduce(0) { $0 + $1.c }, h: parts[0].h, w: parts[0].w)
            var offset = 0
            for part in parts {
                for n in 0..<y.n { for c in 0..<part.c { for h in 0..<y.h { for w in 0..<y.w {
                    y[n, offset + c, h, w] = part[n, c, h, w]
                } } } }
                offset += part.c
            }
            values[node.output] = y
        case .add:
            var y = values[node.inputs[0]]!
            let b = values[node.inputs[1]]!
            for i in y.data.indices { y.data[i] += b.data[i] }
            values[node.output] = y
        case .dropout:
            values[node.output] = x!
        case .flatten:
            flat[node.output] = x!.data  // NCHW memory order is the ONNX flatten order
        case .softmax:
            let logits = flat[node.inputs[0]]!
            let rows = graph.inputs[0].type.shape.n, width = logits.count / rows
            var y: [Double] = []
            for r in 0..<rows {
                let row = logits[(r * width)..<((r + 1) * width)]
                let e = row.map { exp($0 - row.max()!) }
                let sum = e.reduce(0, +)
                y += e.map { $0 / sum }
            }
            flat[node.output] = y
        case .fire:
            // Fused ops are checked against their unfused graphs (SqueezePassesTests).
            Issue.record("the textbook interpreter runs unfused graphs only")
        case .activation, .affine, .pad:
            // Checked against their own textbook definitions (FamilyOpsReferenceTests).
            Issue.record("the textbook interpreter runs the paper's ops only")
        }
    }
    var result: [String: [Float]] = [:]
    for (name, t) in values { result[name] = toNHWC(t) }
    for (name, v) in flat { result[name] = v.map(Float.init) }
    return result
}

// MARK: - Tests

@Suite struct ReferenceInterpreterTests {
    @Test(arguments: [1, 2])
    func tinyGraphMatchesNaiveImplementation(batch: Int) throws {
        let graph = tinyGraph(batch: batch, seed: 5)
        let interpreter = try ReferenceInterpreter(graph: graph)
        var rng = SeededGenerator(seed: 99)
        let input = randomFloats(batch * 8 * 8 * 3, in: -2...2, using: &rng)
        let all = try interpreter.runCapturingAll(input)
        let naive = naiveRun(graph, input)
        for node in graph.nodes {
            let got = try #require(all[node.output])
            let expected = try #require(naive[node.output])
            #expect(maxAbsDifference(got, expected) < 1e-5, "value '\(node.output)'")
        }
        // The shapes along the way are the expected ones (ceil mode 8 -> 4, avg pad -> 5).
        #expect(interpreter.graph.valueTypes["pool"]?.shape == .nhwc(batch, 4, 4, 6))
        #expect(interpreter.graph.valueTypes["avg"]?.shape == .nhwc(batch, 5, 5, 6))
        let prob = try interpreter.run(input)
        #expect(prob == all["prob"])
        #expect(prob.count == batch * 6)
        #expect(abs(prob[0..<6].reduce(0, +) - 1) < 1e-6)
    }

    @Test func runCapturingAllHasEveryValue() throws {
        let graph = tinyGraph(batch: 1, seed: 1)
        var rng = SeededGenerator(seed: 8)
        let all = try ReferenceInterpreter(graph: graph).runCapturingAll(randomFloats(192, using: &rng))
        #expect(Set(all.keys) == Set(["data"] + graph.nodes.map(\.output)))
    }

    @Test func runIsDeterministic() throws {
        let interpreter = try ReferenceInterpreter(graph: tinyGraph(batch: 1, seed: 2))
        var rng = SeededGenerator(seed: 3)
        let input = randomFloats(192, using: &rng)
        let first = try interpreter.run(input)
        let second = try interpreter.run(input)
        #expect(first == second)
    }

    @Test func wrongInputSizeThrowsNamingTheShape() throws {
        let interpreter = try ReferenceInterpreter(graph: tinyGraph(batch: 1, seed: 1))
        let error = #expect(throws: Diagnostic.self) { try interpreter.run([Float](repeating: 0, count: 191)) }
        #expect(error?.kind == .input)
        #expect(error?.message.contains("1x8x8x3") == true)
        #expect(error?.message.contains("191") == true)
    }

    @Test func namedInputsMustMatchTheGraph() throws {
        let interpreter = try ReferenceInterpreter(graph: tinyGraph(batch: 1, seed: 1))
        let zeros = [Float](repeating: 0, count: 192)
        #expect(throws: Diagnostic.self) { try interpreter.run(inputs: [:]) }
        #expect(throws: Diagnostic.self) { try interpreter.run(inputs: ["data": zeros, "extra": zeros]) }
        let outputs = try interpreter.run(inputs: ["data": zeros])
        #expect(Array(outputs.keys) == ["prob"])
    }

    @Test func multipleInputsOrOutputsNeedNamedRun() throws {
        // add(a, b) with outputs sum and a relu of it.
        let type = TensorType(.float32, .nhwc(1, 1, 2, 1))
        let graph = Graph(name: "two", inputs: [ValueInfo(name: "a", type: type), ValueInfo(name: "b", type: type)],
                          outputs: ["sum", "r"],
                          nodes: [Node(name: "sum", op: .add, inputs: ["a", "b"], output: "sum"),
                                  Node(name: "r", op: .relu, inputs: ["sum"], output: "r")],
                          constants: [:])
        let interpreter = try ReferenceInterpreter(graph: graph)
        let error = #expect(throws: Diagnostic.self) { try interpreter.run([1, 2]) }
        #expect(error?.kind == .unsupported)
        let outputs = try interpreter.run(inputs: ["a": [1, -5], "b": [2, 3]])
        #expect(outputs == ["sum": [3, -2], "r": [3, 0]])
    }

    @Test func int8ConstantsAreUnsupported() throws {
        var graph = tinyGraph(batch: 1, seed: 1)
        graph.constants["conv1.w"] = Tensor(shape: TensorShape([4, 3, 3, 3]), storage: .int8(Array(repeating: 1, count: 108)))
        let error = #expect(throws: Diagnostic.self) { try ReferenceInterpreter(graph: graph) }
        #expect(error?.kind == .unsupported)
        #expect(error?.location.node == "conv1")
    }

    @Test func invalidGraphIsRejectedAtInit() {
        var graph = tinyGraph(batch: 1, seed: 1)
        graph.nodes.swapAt(0, 1)  // relu1 reads conv1 before it is produced
        #expect(throws: Diagnostic.self) { try ReferenceInterpreter(graph: graph) }
    }

    @Test func precomputedValueTypesAreAccepted() throws {
        let typed = try ShapeInference.run(tinyGraph(batch: 1, seed: 4))
        let input = [Float](repeating: 0.25, count: 192)
        let fromTyped = try ReferenceInterpreter(graph: typed).run(input)
        let fromUntyped = try ReferenceInterpreter(graph: tinyGraph(batch: 1, seed: 4)).run(input)
        #expect(fromTyped == fromUntyped)
    }
}

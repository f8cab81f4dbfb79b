import SqueezeIR
import SqueezeReference
import Testing
@testable import SqueezePasses

/// AffineFolding, PadFolding and the clip / leaky ReLU epilogues of
/// ActivationFusion: the folded graph computes the same values (to float
/// rounding: folding reorders multiplications) and what must not fold stays.
@Suite struct FamilyFoldingTests {
    static let x = ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 6, 6, 3)))

    static func tensor(_ dims: [Int], seed: UInt64) -> Tensor {
        var random = SeededRandom(seed: seed)
        let shape = TensorShape(dims)
        return Tensor(shape: shape, floats: (0..<shape.elementCount).map { _ in random.uniform(-1, 1) })
    }

    static func graph(_ nodes: [Node], output: String, constants: [String: Tensor]) throws -> Graph {
        var all = constants
        all["w3"] = tensor([4, 3, 3, 3], seed: 1)
        all["b4"] = tensor([4], seed: 2)
        all["w1"] = tensor([4, 1, 1, 3], seed: 3)
        all["s3"] = tensor([3], seed: 4)
        all["t3"] = tensor([3], seed: 5)
        all["s4"] = tensor([4], seed: 6)
        all["t4"] = tensor([4], seed: 7)
        return try ShapeInference.run(Graph(name: "g", inputs: [x], outputs: [output], nodes: nodes, constants: all))
    }

    static func conv(_ name: String, _ input: String, kernel: Int, padding: Padding = .zero, bias: Bool = true) -> Node {
        let a = Conv2DAttributes(outChannels: 4, kernel: .square(kernel), padding: padding, hasBias: bias)
        return Node(name: name, op: .conv2d(a), inputs: [input], parameters: [kernel == 3 ? "w3" : "w1"] + (bias ? ["b4"] : []), output: name)
    }

    static func affine(_ name: String, _ input: String, channels: Int) -> Node {
        Node(name: name, op: .affine(channels: channels), inputs: [input], parameters: channels == 3 ? ["s3", "t3"] : ["s4", "t4"], output: name)
    }

    /// Same output to 1e-5 relative to its range.
    static func expectClose(_ a: Graph, _ b: Graph, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var random = SeededRandom(seed: 9)
        let input = (0..<a.inputs[0].type.shape.elementCount).map { _ in random.uniform(-2, 2) }
        let ya = try ReferenceInterpreter(graph: a).run(input)
        let yb = try ReferenceInterpreter(graph: b).run(input)
        let range = (ya.max() ?? 0) - (ya.min() ?? 0)
        #expect(range > 0, sourceLocation: sourceLocation)
        #expect(zip(ya, yb).allSatisfy { abs($0 - $1) <= 1e-5 * max(range, 1) }, sourceLocation: sourceLocation)
    }

    @Test func affineAfterAConvFoldsIntoWeightsAndBias() throws {
        for bias in [true, false] {
            let g = try Self.graph([Self.conv("c", "x", kernel: 3, padding: .uniform(1), bias: bias), Self.affine("a", "c", channels: 4)],
                                   output: "a", constants: [:])
            let folded = try AffineFolding().run(g)
            #expect(folded.nodes.count == 1)
            #expect(folded.nodes[0].output == "a")
            #expect(folded.nodes[0].fusedFrom == ["c", "a"])
            try Self.expectClose(g, folded)
        }
    }

    @Test func affineBeforeAnUnpaddedConvFoldsIntoIt() throws {
        let g = try Self.graph([Self.affine("a", "x", channels: 3), Self.conv("c", "a", kernel: 3)], output: "c", constants: [:])
        let folded = try AffineFolding().run(g)
        #expect(folded.nodes.count == 1)
        #expect(folded.nodes[0].inputs == ["x"])
        try Self.expectClose(g, folded)
    }

    @Test func affineThatCannotFoldStays() throws {
        // Before a padded conv: a padded tap would read 0, not the shift.
        let padded = try Self.graph([Self.affine("a", "x", channels: 3), Self.conv("c", "a", kernel: 3, padding: .uniform(1))],
                                    output: "c", constants: [:])
        #expect(try AffineFolding().run(padded).nodes.count == 2)
        // After a conv with an activation.
        var relu = Self.conv("c", "x", kernel: 1)
        if case .conv2d(var a) = relu.op { a.activation = .relu; relu.op = .conv2d(a) }
        let activated = try Self.graph([relu, Self.affine("a", "c", channels: 4)], output: "a", constants: [:])
        #expect(try AffineFolding().run(activated).nodes.count == 2)
        // The conv output is also a graph output.
        var shared = try Self.graph([Self.conv("c", "x", kernel: 1), Self.affine("a", "c", channels: 4)], output: "a", constants: [:])
        shared.outputs = ["a", "c"]
        #expect(try AffineFolding().run(shared).nodes.count == 2)
    }

    @Test func padFoldsIntoAConvAnAveragePoolAndAMaxPoolOfNonNegativeValues() throws {
        let pad = Node(name: "p", op: .pad(Padding(top: 1, left: 0, bottom: 1, right: 2), value: 0), inputs: ["x"], output: "p")
        let g = try Self.graph([pad, Self.conv("c", "p", kernel: 3)], output: "c", constants: [:])
        let folded = try PadFolding().run(g)
        #expect(folded.nodes.count == 1)
        guard case .conv2d(let a) = folded.nodes[0].op else { Issue.record("not a conv"); return }
        #expect(a.padding == Padding(top: 1, left: 0, bottom: 1, right: 2))
        try Self.expectClose(g, folded)

        let pool = PoolAttributes(kernel: .square(3), stride: .square(2))
        let avg = try Self.graph([pad, Node(name: "q", op: .avgPool(pool), inputs: ["p"], output: "q")], output: "q", constants: [:])
        let avgFolded = try PadFolding().run(avg)
        #expect(avgFolded.nodes.count == 1)
        guard case .avgPool(let b) = avgFolded.nodes[0].op else { Issue.record("not an average pool"); return }
        #expect(b.countIncludePad && b.padding == Padding(top: 1, left: 0, bottom: 1, right: 2))
        try Self.expectClose(avg, avgFolded)

        // A max pool only when its input cannot be negative (here: after a ReLU).
        let max = try Self.graph([pad, Node(name: "q", op: .maxPool(pool), inputs: ["p"], output: "q")], output: "q", constants: [:])
        #expect(try PadFolding().run(max).nodes.count == 2)
        let relu = Node(name: "r", op: .relu, inputs: ["x"], output: "r")
        let afterRelu = Node(name: "p", op: .pad(Padding(top: 1, left: 0, bottom: 1, right: 2), value: 0), inputs: ["r"], output: "p")
        let nonNegative = try Self.graph([relu, afterRelu, Node(name: "q", op: .maxPool(pool), inputs: ["p"], output: "q")], output: "q",
                                         constants: [:])
        let maxFolded = try PadFolding().run(nonNegative)
        #expect(maxFolded.nodes.count == 2)
        guard case .maxPool(let m) = maxFolded.nodes[1].op else { Issue.record("not a max pool"); return }
        #expect(m.padding == Padding(top: 1, left: 0, bottom: 1, right: 2))
        try PassTestSupport.expectSameValues(nonNegative, maxFolded)

        // Padding as large as the kernel stays a pad op.
        let wide = Node(name: "p", op: .pad(.uniform(3), value: 0), inputs: ["x"], output: "p")
        #expect(try PadFolding().run(try Self.graph([wide, Self.conv("c", "p", kernel: 3)], output: "c", constants: [:])).nodes.count == 2)

        // A pad with another value than 0 is no convolution padding: it stays.
        let valued = Node(name: "p", op: .pad(Padding(top: 1, left: 0, bottom: 1, right: 2), value: 0.5), inputs: ["x"], output: "p")
        #expect(try PadFolding().run(try Self.graph([valued, Self.conv("c", "p", kernel: 3)], output: "c", constants: [:])).nodes.count == 2)
    }

    @Test(arguments: [Activation.clip(min: 0, max: 6), .clip(min: -0.5, max: 0.5), .leakyRelu(alpha: 0.1)])
    func clipAndLeakyReluFuseIntoTheConv(activation: Activation) throws {
        let g = try Self.graph([Self.conv("c", "x", kernel: 3, padding: .uniform(1)),
                                Node(name: "r", op: .activation(activation), inputs: ["c"], output: "r")], output: "r", constants: [:])
        let fused = try ActivationFusion().run(g)
        #expect(fused.nodes.count == 1)
        guard case .conv2d(let a) = fused.nodes[0].op else { Issue.record("not a conv"); return }
        #expect(a.activation == activation)
        try PassTestSupport.expectSameValues(g, fused)
    }

    /// ReLU6 (a clip) in a Fire module: still one Fire step, each conv with its own clamp.
    @Test func fireModulesTakeClipsAsTheirActivations() throws {
        var k: [String: Tensor] = [:]
        func conv(_ name: String, _ input: String, inC: Int, out: Int, kernel: Int) -> Node {
            k[name + ".w"] = Self.tensor([out, kernel, kernel, inC], seed: UInt64(name.count))
            let a = Conv2DAttributes(outChannels: out, kernel: .square(kernel), padding: .uniform(kernel / 2), hasBias: false)
            return Node(name: name, op: .conv2d(a), inputs: [input], parameters: [name + ".w"], output: name)
        }
        let six = Activation.clip(min: 0, max: 6)
        let nodes = [
            conv("s", "x", inC: 3, out: 2, kernel: 1), Node(name: "sr", op: .activation(six), inputs: ["s"], output: "sr"),
            conv("e1", "sr", inC: 2, out: 3, kernel: 1), Node(name: "e1r", op: .activation(six), inputs: ["e1"], output: "e1r"),
            conv("e3", "sr", inC: 2, out: 3, kernel: 3), Node(name: "e3r", op: .relu, inputs: ["e3"], output: "e3r"),
            Node(name: "cat", op: .concat, inputs: ["e1r", "e3r"], output: "cat"),
        ]
        let g = try ShapeInference.run(Graph(name: "fire", inputs: [Self.x], outputs: ["cat"], nodes: nodes, constants: k))
        let fused = try FireFusion().run(g)
        #expect(fused.nodes.count == 1)
        guard case .fire(let a) = fused.nodes[0].op else { Issue.record("not a fire"); return }
        #expect([a.squeeze.activation, a.expand1x1.activation, a.expand3x3.activation] == [six, six, .relu])
        try PassTestSupport.expectSameValues(g, fused)
        // A leaky ReLU is not a clamp: no Fire step.
        var leaky = g
        leaky.nodes[1].op = .activation(.leakyRelu(alpha: 0.1))
        #expect(try FireFusion().run(leaky).nodes.count == 7)
    }

    @Test func sigmoidStaysStandalone() throws {
        let g = try Self.graph([Self.conv("c", "x", kernel: 1), Node(name: "s", op: .activation(.sigmoid), inputs: ["c"], output: "s")],
                               output: "s", constants: [:])
        #expect(try ActivationFusion().run(g).nodes.count == 2)
    }
}

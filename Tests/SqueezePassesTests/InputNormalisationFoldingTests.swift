import SqueezeIR
import SqueezeReference
import Testing
@testable import SqueezePasses

@Suite struct InputNormalisationFoldingTests {
    static let preprocessing = Preprocessing(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// x 1x6x6x3 -> conv 3x3/2 (4 outputs) -> relu, with seeded weights.
    func graph(pad: Int = 0, bias: Bool = true, extraReader: Bool = false) throws -> Graph {
        var random = SeededRandom(seed: 11)
        let w = Tensor(shape: TensorShape([4, 3, 3, 3]), floats: (0..<108).map { _ in random.uniform(-1, 1) })
        let b = Tensor(shape: TensorShape([4]), floats: [0.5, -0.25, 0.125, 1])
        let conv = Conv2DAttributes(outChannels: 4, kernel: .square(3), stride: .square(2), padding: .uniform(pad), hasBias: bias)
        var nodes = [Node(name: "conv1", op: .conv2d(conv), inputs: ["x"], parameters: bias ? ["w", "b"] : ["w"], output: "c"),
                     Node(name: "r", op: .relu, inputs: ["c"], output: "r")]
        var outputs = ["r"]
        if extraReader {
            nodes.append(Node(name: "spy", op: .relu, inputs: ["x"], output: "spy"))
            outputs.append("spy")
        }
        var graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 6, 6, 3)))], outputs: outputs,
                          nodes: nodes, constants: bias ? ["w": w, "b": b] : ["w": w])
        graph.preprocessing = Self.preprocessing
        return try ShapeInference.run(graph)
    }

    func pixels(seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<108).map { _ in Float(Int(random.uniform(0, 256)).clamped(0, 255)) }
    }

    func normalised(_ raw: [Float]) -> [Float] {
        raw.enumerated().map { Float(Self.preprocessing.normalise(Double($0.element), channel: $0.offset % 3)) }
    }

    @Test(arguments: [true, false]) func foldedConvOnRawPixelsEqualsTheOriginalOnNormalisedValues(bias: Bool) throws {
        let original = try graph(bias: bias)
        let folded = try InputNormalisationFolding().run(original)
        #expect(folded.inputType == .uint8)
        #expect(folded.preprocessing == Preprocessing(mean: [0, 0, 0], std: [1, 1, 1], scale: Preprocessing.Scale(1)))
        guard case .conv2d(let a) = folded.nodes[0].op else { Issue.record("expected conv"); return }
        #expect(a.hasBias)
        try GraphVerifier.verify(folded)
        for seed in [1, 2, 3] as [UInt64] {
            let raw = pixels(seed: seed)
            let expected = try ReferenceInterpreter(graph: original).run(normalised(raw))
            let actual = try ReferenceInterpreter(graph: folded).run(raw)
            #expect(expected.count == actual.count)
            let worst = zip(expected, actual).map { abs($0 - $1) }.max() ?? .infinity
            // The accumulations reach about 10^2 (raw 0..255 times weights of 1/(255*0.22)).
            #expect(worst < 1e-4, "worst difference \(worst)")
            #expect(expected.contains { $0 > 0 })
        }
        // Folding twice does nothing more.
        #expect(try InputNormalisationFolding().run(folded) == folded)
    }

    @Test func refusesAPaddedFirstConvolution() throws {
        #expect {
            try InputNormalisationFolding().run(try graph(pad: 1))
        } throws: { error in
            let d = error as! Diagnostic
            return d.location.node == "conv1" && d.message.contains("padded") && d.message.contains("mean/scale")
        }
    }

    @Test func refusesAnInputReadTwiceOrWithoutPreprocessing() throws {
        #expect {
            try InputNormalisationFolding().run(try graph(extraReader: true))
        } throws: { error in
            (error as! Diagnostic).message.contains("exactly one convolution; it feeds 2 node(s) (conv1, spy)")
        }
        var unknown = try graph()
        unknown.preprocessing = nil
        #expect {
            try InputNormalisationFolding().run(unknown)
        } throws: { error in
            (error as! Diagnostic).message.contains("preprocessing (mean, std, scale) is unknown")
        }
    }
}

private extension Int {
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}

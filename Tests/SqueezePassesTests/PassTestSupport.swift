import SqueezeFrontend
import SqueezeIR
import SqueezeReference
import Testing

enum PassTestSupport {
    static func model(_ version: SqueezeNetConfig.Version, size: Int = 64, bypass: SqueezeNetConfig.Bypass = .none,
                      softmax: Bool = false) throws -> Graph {
        try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, inputSize: size, classes: 10, bypass: bypass, softmax: softmax)).graph
    }

    static func input(for graph: Graph, seed: UInt64 = 5) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<graph.inputs[0].type.shape.elementCount).map { _ in random.uniform(-2, 2) }
    }

    /// Every value both graphs compute must be bit-identical.
    static func expectSameValues(_ original: Graph, _ transformed: Graph, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let x = input(for: original)
        let a = try ReferenceInterpreter(graph: original).runCapturingAll(x)
        let b = try ReferenceInterpreter(graph: transformed).runCapturingAll(x)
        #expect(a[original.outputs[0]] != nil, sourceLocation: sourceLocation)
        for (name, value) in b {
            #expect(a[name] == value, "value \(name) differs", sourceLocation: sourceLocation)
        }
        #expect(original.outputs == transformed.outputs, sourceLocation: sourceLocation)
    }
}

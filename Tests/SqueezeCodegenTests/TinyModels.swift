import SqueezeFrontend
import SqueezeIR

/// Small hand-built models for snippet and golden tests, with seeded weights.
enum TinyModels {
    static func conv(_ name: String, _ input: String, inC: Int, out: Int, kernel: Int, stride: Int = 1, pad: Int = 0,
                     constants: inout [String: Tensor]) -> Node {
        let initializer = WeightInitializer(seed: 3)
        constants[name + ".weight"] = initializer.convWeight(name: name + ".weight", outChannels: out, kernel: .square(kernel), inChannels: inC)
        constants[name + ".bias"] = initializer.bias(name: name + ".bias", count: out)
        let a = Conv2DAttributes(outChannels: out, kernel: .square(kernel), stride: .square(stride), padding: .uniform(pad))
        return Node(name: name, op: .conv2d(a), inputs: [input], parameters: [name + ".weight", name + ".bias"], output: name)
    }

    static func relu(_ name: String, _ input: String) -> Node {
        Node(name: name, op: .relu, inputs: [input], output: name)
    }

    static func maxPool(_ name: String, _ input: String) -> Node {
        Node(name: name, op: .maxPool(PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)), inputs: [input], output: name)
    }

    static func graph(_ name: String, h: Int, w: Int, c: Int, nodes: [Node], constants: [String: Tensor]) throws -> Graph {
        try ShapeInference.run(Graph(name: name, inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, h, w, c)))],
                                     outputs: [nodes.last!.output], nodes: nodes, constants: constants))
    }

    /// One Fire module (squeeze 4, expand 4 + 4) and a max pool.
    static func firePool() throws -> Graph {
        var k: [String: Tensor] = [:]
        let nodes = [
            conv("fire/squeeze1x1", "x", inC: 6, out: 4, kernel: 1, constants: &k), relu("fire/relu_squeeze", "fire/squeeze1x1"),
            conv("fire/expand1x1", "fire/relu_squeeze", inC: 4, out: 4, kernel: 1, constants: &k), relu("fire/relu_e1", "fire/expand1x1"),
            conv("fire/expand3x3", "fire/relu_squeeze", inC: 4, out: 4, kernel: 3, pad: 1, constants: &k), relu("fire/relu_e3", "fire/expand3x3"),
            Node(name: "fire/concat", op: .concat, inputs: ["fire/relu_e1", "fire/relu_e3"], output: "fire/concat"),
            maxPool("pool", "fire/concat"),
        ]
        return try graph("fire_pool", h: 9, w: 7, c: 6, nodes: nodes, constants: k)
    }

    /// conv 3x3 stride 2 + ReLU + max pool.
    static func convPool() throws -> Graph {
        var k: [String: Tensor] = [:]
        let nodes = [conv("conv1", "x", inC: 3, out: 5, kernel: 3, stride: 2, constants: &k), relu("relu1", "conv1"), maxPool("pool1", "relu1")]
        return try graph("conv_pool", h: 15, w: 12, c: 3, nodes: nodes, constants: k)
    }

    /// conv 1x1 + ReLU + global average pool + flatten + softmax, plus an
    /// unfused add and avg pool on the way.
    static func head() throws -> Graph {
        var k: [String: Tensor] = [:]
        let nodes = [
            conv("a", "x", inC: 4, out: 4, kernel: 1, constants: &k),
            Node(name: "sum", op: .add, inputs: ["a", "x"], output: "sum"),
            Node(name: "avg", op: .avgPool(PoolAttributes(kernel: .square(2), stride: .square(1), padding: .uniform(1), countIncludePad: true)),
                 inputs: ["sum"], output: "avg"),
            conv("conv10", "avg", inC: 4, out: 6, kernel: 1, constants: &k), relu("relu10", "conv10"),
            Node(name: "pool10", op: .globalAvgPool, inputs: ["relu10"], output: "pool10"),
            Node(name: "flatten", op: .flatten, inputs: ["pool10"], output: "flatten"),
            Node(name: "prob", op: .softmax, inputs: ["flatten"], output: "prob"),
        ]
        return try graph("head", h: 5, w: 5, c: 4, nodes: nodes, constants: k)
    }
}

extension TinyModels {
    /// conv 1x1 + ReLU + global average pool + flatten over a 4x5 map: the
    /// classifier head as int8 supports it.
    static func classifierHead() throws -> Graph {
        var k: [String: Tensor] = [:]
        let nodes = [
            conv("conv10", "x", inC: 8, out: 6, kernel: 1, constants: &k), relu("relu10", "conv10"),
            Node(name: "pool10", op: .globalAvgPool, inputs: ["relu10"], output: "pool10"),
            Node(name: "flatten", op: .flatten, inputs: ["pool10"], output: "flatten"),
        ]
        return try graph("classifier_head", h: 4, w: 5, c: 8, nodes: nodes, constants: k)
    }
}

extension TinyModels {
    /// The element-wise stages unfused: conv, bypass add, a standalone ReLU,
    /// a concat of two plain values (not a Fire module) and a conv after it.
    static func elementwise() throws -> Graph {
        var k: [String: Tensor] = [:]
        let nodes = [
            conv("a", "x", inC: 4, out: 4, kernel: 3, pad: 1, constants: &k),
            Node(name: "sum", op: .add, inputs: ["a", "x"], output: "sum"),
            relu("r", "sum"),
            Node(name: "cat", op: .concat, inputs: ["r", "x"], output: "cat"),
            conv("out", "cat", inC: 8, out: 3, kernel: 1, constants: &k),
        ]
        return try graph("elementwise", h: 6, w: 5, c: 4, nodes: nodes, constants: k)
    }
}

import SqueezeIR

/// Small hand-built graphs for IR tests.
enum TestGraphs {
    static func conv(_ name: String, _ input: String, out: Int, kernel: Int, inC: Int, pad: Int = 0, stride: Int = 1,
                     constants: inout [String: Tensor]) -> Node {
        let w = name + ".weight"
        let b = name + ".bias"
        constants[w] = Tensor(shape: TensorShape([out, kernel, kernel, inC]), floats: Array(repeating: 0.5, count: out * kernel * kernel * inC))
        constants[b] = Tensor(shape: TensorShape([out]), floats: Array(repeating: 0.25, count: out))
        let attributes = Conv2DAttributes(outChannels: out, kernel: .square(kernel), stride: .square(stride), padding: .uniform(pad))
        return Node(name: name, op: .conv2d(attributes), inputs: [input], parameters: [w, b], output: name)
    }

    static func relu(_ name: String, _ input: String) -> Node {
        Node(name: name, op: .relu, inputs: [input], output: name)
    }

    /// input 1x8x8x4 -> one Fire module (s=2, e=3+3) -> maxpool.
    static func fire(extraReaderOfSqueeze: Bool = false) -> Graph {
        var constants: [String: Tensor] = [:]
        var nodes = [
            conv("f/squeeze", "x", out: 2, kernel: 1, inC: 4, constants: &constants),
            relu("f/relu_s", "f/squeeze"),
            conv("f/e1", "f/relu_s", out: 3, kernel: 1, inC: 2, constants: &constants),
            relu("f/relu_e1", "f/e1"),
            conv("f/e3", "f/relu_s", out: 3, kernel: 3, inC: 2, pad: 1, constants: &constants),
            relu("f/relu_e3", "f/e3"),
            Node(name: "f/concat", op: .concat, inputs: ["f/relu_e1", "f/relu_e3"], output: "f/concat"),
            Node(name: "pool", op: .maxPool(PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)),
                 inputs: ["f/concat"], output: "pool"),
        ]
        var outputs = ["pool"]
        if extraReaderOfSqueeze {
            nodes.append(relu("spy", "f/relu_s"))
            outputs.append("spy")
        }
        return Graph(name: "tiny", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 8, 8, 4)))],
                     outputs: outputs, nodes: nodes, constants: constants)
    }
}

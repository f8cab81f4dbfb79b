import SqueezeIR

/// Appends nodes to a graph under construction; every node's output value is
/// named after the node. Used by the built-in model builders.
struct GraphBuilder {
    var nodes: [Node] = []
    var constants: [String: Tensor] = [:]
    /// Alternative names of parameters (e.g. torchvision state_dict keys).
    var aliases: [String: String] = [:]
    let initializer: WeightInitializer
    /// Weight bytes allocated so far, and the first size limit crossed
    /// (`SizeLimits`): from then on no weight is allocated, and the builder's
    /// caller throws it once the nodes are built.
    private(set) var weightBytes = 0
    private(set) var failure: Diagnostic?
    /// Channels of every value built so far.
    private(set) var channels: [String: Int] = [:]

    init(initializer: WeightInitializer, input: String, inputChannels: Int) {
        self.initializer = initializer
        channels[input] = inputChannels
    }

    mutating func add(_ name: String, _ op: Op, _ inputs: [String], parameters: [String] = [], channels out: Int) -> String {
        nodes.append(Node(name: name, op: op, inputs: inputs, parameters: parameters, output: name))
        channels[name] = out
        return name
    }

    /// A convolution with seeded weights; `alias` is the torchvision prefix.
    mutating func conv(_ name: String, _ input: String, out: Int, kernel: Int, stride: Int = 1, pad: Int = 0,
                       classifier: Bool = false, alias: String? = nil) -> String {
        let inChannels = channels[input]!
        let weight = name + ".weight"
        let bias = name + ".bias"
        let count = SizeLimits.product([out, kernel, kernel, inChannels])
        if failure == nil {
            do {
                try SizeLimits.checkTensor(elements: count, "weight '\(weight)' (\(out)x\(kernel)x\(kernel)x\(inChannels))", node: name)
                weightBytes = SizeLimits.sum(weightBytes, SizeLimits.product(SizeLimits.sum(count, out), 4))
                try SizeLimits.checkWeights(bytes: weightBytes, node: name)
            } catch {
                failure = error
            }
        }
        if failure == nil {
            constants[weight] = initializer.convWeight(name: weight, outChannels: out, kernel: .square(kernel),
                                                       inChannels: inChannels, classifier: classifier)
            constants[bias] = initializer.bias(name: bias, count: out)
        }
        if let alias {
            aliases[alias + ".weight"] = weight
            aliases[alias + ".bias"] = bias
        }
        let attributes = Conv2DAttributes(outChannels: out, kernel: .square(kernel), stride: .square(stride),
                                          padding: .uniform(pad), hasBias: true)
        return add(name, .conv2d(attributes), [input], parameters: [weight, bias], channels: out)
    }

    mutating func relu(_ name: String, _ input: String) -> String {
        add(name, .relu, [input], channels: channels[input]!)
    }

    /// 3x3 stride-2 max pool in ceil mode, as in the reference implementations.
    mutating func maxPool(_ name: String, _ input: String) -> String {
        let attributes = PoolAttributes(kernel: .square(3), stride: .square(2), ceilMode: true)
        return add(name, .maxPool(attributes), [input], channels: channels[input]!)
    }
}

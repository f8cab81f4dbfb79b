import SqueezeIR

/// A built-in model: the graph (shapes inferred) and alternative names its
/// parameters may carry in weight files.
public struct BuiltModel: Sendable {
    public var graph: Graph
    /// torchvision `state_dict` key -> squeezec parameter name.
    public var aliases: [String: String]
}

/// Builds SqueezeNet v1.0 / v1.1 exactly as published (layer names follow the
/// original Caffe release: conv1, fire2/squeeze1x1, ..., conv10, pool10).
public enum SqueezeNetBuilder {
    public static func build(_ config: SqueezeNetConfig) throws(Diagnostic) -> BuiltModel {
        guard config.inputSize > 0, config.inputSize <= 4096 else {
            throw .input("input size must be between 1 and 4096 (got \(config.inputSize))")
        }
        guard config.classes > 0, config.classes <= 100_000 else {
            throw .input("classes must be between 1 and 100000 (got \(config.classes))")
        }
        let fires = try config.fireChannels()
        let input = "data"
        var b = GraphBuilder(initializer: WeightInitializer(seed: config.seed), input: input, inputChannels: 3)
        // torchvision numbers the children of `features`; track the index.
        var feature = 0
        func nextFeature(_ count: Int = 1) -> String {
            defer { feature += count }
            return "features.\(feature)"
        }

        var x: String
        switch config.version {
        case .v1_0:
            x = b.conv("conv1", input, out: 96, kernel: 7, stride: 2, alias: nextFeature())
        case .v1_1:
            x = b.conv("conv1", input, out: 64, kernel: 3, stride: 2, alias: nextFeature())
        }
        x = b.relu("relu_conv1", x)
        _ = nextFeature()
        x = b.maxPool("pool1", x)
        _ = nextFeature()

        let poolsAfter: Set<Int> = config.version == .v1_0 ? [4, 8] : [3, 5]
        for (i, channels) in fires.enumerated() {
            let index = i + 2
            x = fire(&b, index: index, input: x, channels: channels, bypass: config.bypass, alias: nextFeature())
            if poolsAfter.contains(index) {
                x = b.maxPool("pool\(index)", x)
                _ = nextFeature()
            }
        }

        x = b.add("drop9", .dropout(ratio: 0.5), [x], channels: b.channels[x]!)
        x = b.conv("conv10", x, out: config.classes, kernel: 1, classifier: true, alias: "classifier.1")
        x = b.relu("relu_conv10", x)
        x = b.add("pool10", .globalAvgPool, [x], channels: config.classes)
        x = b.add("flatten", .flatten, [x], channels: config.classes)
        if config.softmax {
            x = b.add("prob", .softmax, [x], channels: config.classes)
        }

        // A weight over the size limits was not allocated: refuse the model.
        if let failure = b.failure { throw failure }
        let size = config.inputSize
        let graph = Graph(
            name: config.version.rawValue,
            inputs: [ValueInfo(name: input, type: TensorType(.float32, .nhwc(1, size, size, 3)))],
            outputs: [x], nodes: b.nodes, constants: b.constants)
        let inferred = try ShapeInference.run(graph)
        try SizeLimits.check(inferred)
        return BuiltModel(graph: inferred, aliases: b.aliases)
    }

    /// fireN: squeeze 1x1 + ReLU -> (expand 1x1 + ReLU, expand 3x3 + ReLU) -> concat,
    /// plus the optional bypass.
    static func fire(_ b: inout GraphBuilder, index: Int, input: String, channels: SqueezeNetConfig.FireChannels,
                     bypass: SqueezeNetConfig.Bypass, alias: String) -> String {
        let p = "fire\(index)/"
        var s = b.conv(p + "squeeze1x1", input, out: channels.squeeze, kernel: 1, alias: alias + ".squeeze")
        s = b.relu(p + "relu_squeeze1x1", s)
        var e1 = b.conv(p + "expand1x1", s, out: channels.expand1x1, kernel: 1, alias: alias + ".expand1x1")
        e1 = b.relu(p + "relu_expand1x1", e1)
        var e3 = b.conv(p + "expand3x3", s, out: channels.expand3x3, kernel: 3, pad: 1, alias: alias + ".expand3x3")
        e3 = b.relu(p + "relu_expand3x3", e3)
        let out = b.add(p + "concat", .concat, [e1, e3], channels: channels.output)

        let inChannels = b.channels[input]!
        switch bypass {
        case .none:
            return out
        case .simple where inChannels != channels.output:
            return out
        case .simple, .complex:
            var shortcut = input
            if inChannels != channels.output {
                shortcut = b.conv(p + "bypass1x1", input, out: channels.output, kernel: 1)
            }
            return b.add(p + "bypass", .add, [out, shortcut], channels: channels.output)
        }
    }
}

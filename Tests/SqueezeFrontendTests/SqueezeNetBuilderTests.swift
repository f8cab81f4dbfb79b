import SqueezeIR
import Testing
@testable import SqueezeFrontend

@Suite struct SqueezeNetBuilderTests {
    func graph(_ version: SqueezeNetConfig.Version, size: Int = 224, bypass: SqueezeNetConfig.Bypass = .none) throws -> Graph {
        try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, inputSize: size, bypass: bypass)).graph
    }

    @Test func v10MatchesPublishedParametersAndMACs() throws {
        let g = try graph(.v1_0)
        #expect(CostModel.totalParameters(g) == 1_248_424)
        // 818.9 M conv MACs at 224x224.
        #expect((Double(CostModel.totalMACs(g)) / 1e5).rounded() == 8189)
    }

    @Test func v11MatchesPublishedParametersAndMACs() throws {
        let g = try graph(.v1_1)
        #expect(CostModel.totalParameters(g) == 1_235_496)
        #expect((Double(CostModel.totalMACs(g)) / 1e5).rounded() == 3492)
    }

    @Test func v10SpatialSizesFollowDelayedDownsampling() throws {
        let g = try graph(.v1_0)
        #expect(try g.type(of: "conv1").shape == .nhwc(1, 109, 109, 96))
        #expect(try g.type(of: "pool1").shape == .nhwc(1, 54, 54, 96))
        #expect(try g.type(of: "fire4/concat").shape == .nhwc(1, 54, 54, 256))
        #expect(try g.type(of: "pool4").shape == .nhwc(1, 27, 27, 256))
        #expect(try g.type(of: "pool8").shape == .nhwc(1, 13, 13, 512))
        #expect(try g.type(of: "conv10").shape == .nhwc(1, 13, 13, 1000))
        #expect(try g.type(of: "flatten").shape == TensorShape([1, 1000]))
        #expect(g.nodes.filter { if case .maxPool = $0.op { true } else { false } }.map(\.name) == ["pool1", "pool4", "pool8"])
    }

    @Test func v11SpatialSizes() throws {
        let g = try graph(.v1_1)
        #expect(try g.type(of: "conv1").shape == .nhwc(1, 111, 111, 64))
        #expect(try g.type(of: "pool1").shape == .nhwc(1, 55, 55, 64))
        #expect(try g.type(of: "pool3").shape == .nhwc(1, 27, 27, 128))
        #expect(try g.type(of: "pool5").shape == .nhwc(1, 13, 13, 256))
        #expect(try g.type(of: "fire9/concat").shape == .nhwc(1, 13, 13, 512))
    }

    @Test func fireTableMatchesTheSeed() throws {
        let expected: [(Int, Int)] = [(16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192), (64, 256), (64, 256)]
        for version in SqueezeNetConfig.Version.allCases {
            let g = try graph(version)
            let modules = FireModuleMatcher.match(g)
            #expect(modules.map(\.name) == (2...9).map { "fire\($0)" })
            for (module, (s, e)) in zip(modules, expected) {
                #expect(try g.type(of: g.nodes[module.squeeze].output).shape.c == s)
                #expect(try g.type(of: g.nodes[module.expand1x1].output).shape.c == e)
                #expect(try g.type(of: g.nodes[module.expand3x3].output).shape.c == e)
            }
        }
    }

    @Test func dropoutBeforeConv10AndReluAfter() throws {
        let g = try graph(.v1_0)
        let names = g.nodes.suffix(5).map(\.name)
        #expect(names == ["drop9", "conv10", "relu_conv10", "pool10", "flatten"])
        #expect(g.node(named: "drop9")?.op == .dropout(ratio: 0.5))
    }

    @Test func softmaxIsOptional() throws {
        let g = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, softmax: true)).graph
        #expect(g.outputs == ["prob"])
        #expect(g.nodes.last?.op == .softmax)
    }

    @Test func metaparametersChangeTheTable() throws {
        let config = SqueezeNetConfig(version: .v1_0, baseE: 64, incrE: 64, freq: 1, pct3x3: 0.25, squeezeRatio: 0.25)
        let channels = try config.fireChannels()
        // e_i = 64 + 64 * i; e3 = e / 4; s = e / 4.
        #expect(channels[0] == .init(squeeze: 16, expand1x1: 48, expand3x3: 16))
        #expect(channels[7] == .init(squeeze: 128, expand1x1: 384, expand3x3: 128))
        _ = try SqueezeNetBuilder.build(config)
    }

    @Test func invalidMetaparametersAreErrors() {
        #expect(throws: Diagnostic.self) { try SqueezeNetConfig(version: .v1_0, pct3x3: 1).fireChannels() }
        #expect(throws: Diagnostic.self) { try SqueezeNetConfig(version: .v1_0, squeezeRatio: 0).fireChannels() }
        #expect(throws: Diagnostic.self) { try SqueezeNetConfig(version: .v1_0, baseE: 4, squeezeRatio: 0.1).fireChannels() }
        #expect(throws: Diagnostic.self) { try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0, classes: 0)) }
    }

    @Test func tooSmallInputNamesTheLayer() {
        do {
            _ = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0, inputSize: 16))
            Issue.record("expected an error")
        } catch {
            #expect(error.location.node != nil)
            #expect(error.description.contains("layer '"))
        }
    }

    @Test func simpleBypassWrapsFiresWithMatchingChannels() throws {
        let g = try graph(.v1_1, bypass: .simple)
        let adds = g.nodes.filter { $0.op == .add }.map(\.name)
        #expect(adds == ["fire3/bypass", "fire5/bypass", "fire7/bypass", "fire9/bypass"])
        #expect(FireModuleMatcher.match(g).count == 8)
        #expect(g.nodes.first { $0.name == "fire3/bypass" }?.inputs == ["fire3/concat", "fire2/concat"])
    }

    @Test func complexBypassAddsOneByOneConvolutions() throws {
        let g = try graph(.v1_0, bypass: .complex)
        let adds = g.nodes.filter { $0.op == .add }
        #expect(adds.count == 8)
        let convs = g.nodes.filter { $0.name.hasSuffix("bypass1x1") }.map(\.name)
        #expect(convs == ["fire2/bypass1x1", "fire4/bypass1x1", "fire6/bypass1x1", "fire8/bypass1x1"])
        #expect(try g.type(of: "fire2/bypass1x1").shape == .nhwc(1, 54, 54, 128))
    }

    @Test func torchvisionAliasesPointAtRealParameters() throws {
        for version in SqueezeNetConfig.Version.allCases {
            let built = try SqueezeNetBuilder.build(SqueezeNetConfig(version: version))
            #expect(built.aliases.count == built.graph.constants.count)
            for target in built.aliases.values { #expect(built.graph.constants[target] != nil) }
            #expect(built.aliases["classifier.1.weight"] == "conv10.weight")
            #expect(built.aliases["features.12.expand3x3.bias"] == "fire9/expand3x3.bias")
        }
        let v10 = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_0)).aliases
        let v11 = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1)).aliases
        #expect(v10["features.7.squeeze.weight"] == "fire5/squeeze1x1.weight")
        #expect(v11["features.6.squeeze.weight"] == "fire4/squeeze1x1.weight")
    }
}

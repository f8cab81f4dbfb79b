import Testing
import SqueezeFrontend
import SqueezeIR
@testable import SqueezeQuant

/// `--prune` and `--codebook`: magnitude pruning, seeded k-means and the graph pass.
@Suite struct WeightCompressionPassTests {
    static func floats(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed, stream: "kmeans")
        return (0..<count).map { _ in Float(rng.next(below: 20001) - 10000) / 7919 }
    }

    @Test(arguments: [0.0, 0.1, 0.5, 0.66, 0.9, 0.999])
    func pruningZeroesExactlyTheFractionWithTheSmallestMagnitudes(sparsity: Double) {
        let weights = Self.floats(1001, seed: 4)
        let pruned = MagnitudePruning.prune(weights, sparsity: sparsity)
        let expected = Int((sparsity * 1001).rounded())
        #expect(pruned.count { $0 == 0 } == max(expected, weights.count { $0 == 0 }))
        let zeroed = weights.indices.filter { pruned[$0] == 0 && weights[$0] != 0 }
        let kept = weights.indices.filter { pruned[$0] != 0 }
        // Every pruned magnitude is at most every kept one; kept weights are untouched.
        if let largestPruned = zeroed.map({ abs(weights[$0]) }).max(), let smallestKept = kept.map({ abs(weights[$0]) }).min() {
            #expect(largestPruned <= smallestKept)
        }
        #expect(kept.allSatisfy { pruned[$0] == weights[$0] })
    }

    @Test func pruningBreaksTiesByPosition() {
        let weights: [Float] = [1, -1, 2, 1, -1, 0.5]
        // Three pruned: 0.5, then the first two of the four |w| = 1 ties.
        #expect(MagnitudePruning.prune(weights, sparsity: 0.5) == [0, 0, 2, 1, -1, 0])
    }

    @Test(arguments: [2, 3, 4, 6, 8])
    func kMeansSharesAtMostTwoToTheBitsValuesDeterministically(bits: Int) {
        let weights = MagnitudePruning.prune(Self.floats(3000, seed: UInt64(bits)), sparsity: 0.5)
        let shared = KMeansCodebook.share(weights, bits: bits)
        #expect(Set(shared.filter { $0 != 0 }).count <= 1 << bits)
        #expect(Set(shared.filter { $0 != 0 }).count > 1 << (bits - 1))
        // Zeros stay zero, nothing else becomes zero.
        #expect(weights.indices.allSatisfy { (weights[$0] == 0) == (shared[$0] == 0) })
        // The same result every run, and sharing again changes nothing.
        #expect(KMeansCodebook.share(weights, bits: bits) == shared)
        #expect(KMeansCodebook.share(shared, bits: bits) == shared)
        // Each weight takes its nearest centroid.
        let table = KMeansCodebook.centroids(weights, bits: bits)
        for (w, s) in zip(weights, shared) where w != 0 {
            let nearest = table.map { abs(Double($0) - Double(w)) }.min()!
            #expect(abs(Double(s) - Double(w)) == nearest)
        }
    }

    @Test func kMeansOnTwoClustersFindsTheirMeans() {
        let weights: [Float] = [1, 1.5, 2, 10, 10.5, 11]
        #expect(KMeansCodebook.centroids(weights, bits: 1) == [1.5, 10.5])
        #expect(KMeansCodebook.share(weights, bits: 1) == [1.5, 1.5, 1.5, 10.5, 10.5, 10.5])
        // Few distinct values already: unchanged.
        #expect(KMeansCodebook.share([0, 3, 3, -2], bits: 2) == [0, 3, 3, -2])
    }

    @Test func thePassPrunesAndSharesEveryConvWeightAndNoBias() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10, seed: 3)).graph
        let pass = WeightCompressionPass(options: CompressionOptions(sparsity: 0.66, codebookBits: 4))
        let compressed = try pass.run(graph)
        #expect(try pass.run(graph).constants == compressed.constants)
        var layers = 0
        for (name, tensor) in graph.constants {
            let after = try #require(compressed.constants[name]?.floats)
            guard tensor.shape.rank == 4 else { #expect(after == tensor.floats); continue }
            layers += 1
            #expect(after.count { $0 == 0 } == MagnitudePruning.prunedCount(after.count, sparsity: 0.66))
            #expect(Set(after.filter { $0 != 0 }).count <= 16)
            // Lossless detection then stores the layer sparse with a 4-bit codebook.
            let best = try #require(WeightCompression.best(after.map(\.bitPattern), channels: tensor.shape.dims[0]))
            #expect(best.format == .sparse(zeros: .bitmask, codebook: .init(bits: 4, perChannel: false)))
        }
        #expect(layers == 26)
    }

    /// The evidence for the bitmask: on squeezenet1.1 pruned to 2/3 zeros and
    /// shared to 16 values, the bitmask layout is smaller than relative
    /// indices at every gap width, layer by layer.
    @Test func theBitmaskBeatsRelativeIndicesAtTwoThirdsZeros() throws {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10, seed: 3)).graph
        let compressed = try WeightCompressionPass(options: CompressionOptions(sparsity: 0.66, codebookBits: 4)).run(graph)
        var totals = [String: Int]()
        for (_, tensor) in compressed.constants where tensor.shape.rank == 4 {
            let values = try #require(tensor.floats).map(\.bitPattern)
            let channels = tensor.shape.dims[0]
            let codebook = WeightFormat.SparseCodebook(bits: 4, perChannel: false)
            let mask = try #require(WeightEncoder.encode(values, channels: channels, format: .sparse(zeros: .bitmask, codebook: codebook)))
            totals["mask", default: 0] += mask.byteCount
            for gap in 1...8 {
                // 15 shared values and the filler zero still fit 4 bits only when k-means left one free; allow 5.
                let shared = WeightFormat.SparseCodebook(bits: 5, perChannel: false)
                let relative = try #require(WeightEncoder.encode(values, channels: channels, format: .sparse(zeros: .relative(gapBits: gap), codebook: shared)))
                #expect(WeightEncoder.decode(relative) == values)
                // Even granting relative indices 4-bit indices, the bitmask is smaller.
                let atFourBits = relative.byteCount - relative.indices.count + (relative.entries * 4 + 7) / 8 - relative.tables.count * 16 * 4
                #expect(mask.byteCount < atFourBits, "gap \(gap)")
                totals["rel\(gap)", default: 0] += atFourBits
            }
        }
        // Measured (10 classes): bitmask 221,359 bytes; relative 1..8-bit gaps 279,748, 234,664, 230,908 (best), 254,278, ...
        let mask = try #require(totals["mask"])
        #expect(totals.filter { $0.key != "mask" }.allSatisfy { $0.value > mask })
    }

    @Test func optionRangesAreChecked() {
        for bad in [CompressionOptions(sparsity: 1), CompressionOptions(sparsity: -0.1), CompressionOptions(sparsity: .nan),
                    CompressionOptions(codebookBits: 1), CompressionOptions(codebookBits: 9)] {
            #expect(throws: Diagnostic.self) { try bad.check() }
        }
        #expect(throws: Never.self) { try CompressionOptions(sparsity: 0, codebookBits: 2).check() }
        #expect(throws: Never.self) { try CompressionOptions(sparsity: 0.99, codebookBits: 8).check() }
    }
}

/// `--prune-layer` / `--codebook-layer` on a graph: resolution by layer or weight name, and the errors.
@Suite struct WeightCompressionOverrideTests {
    static func graph() throws -> Graph {
        try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10, seed: 3)).graph
    }

    static func zeros(_ tensor: Tensor?) -> Int { tensor?.floats?.count { $0 == 0 } ?? -1 }
    static func distinct(_ tensor: Tensor?) -> Int { Set(tensor?.floats?.filter { $0 != 0 } ?? []).count }

    @Test func layerNamesAreNodeAndWeightNames() throws {
        let names = WeightCompressionPass.layerNames(of: try Self.graph())
        #expect(names.count == 52)
        #expect(names.contains { $0.name == "conv1" && $0.weight == "conv1.weight" })
        #expect(names.contains { $0.name == "conv1.weight" && $0.weight == "conv1.weight" })
        #expect(names.contains { $0.name == "fire9/expand3x3" && $0.weight == "fire9/expand3x3.weight" })
        // Node names as ONNX exports write them: the weight's stem names the layer too.
        var graph = try Self.graph()
        let index = try #require(graph.nodes.firstIndex { $0.parameters.contains("conv1.weight") })
        graph.nodes[index].name = "/conv1/Conv"
        let renamed = WeightCompressionPass.layerNames(of: graph)
        #expect(renamed.filter { $0.weight == "conv1.weight" }.map(\.name) == ["/conv1/Conv", "conv1.weight", "conv1"])
        let pruned = try WeightCompressionPass(options: CompressionOptions(layerSparsity: ["conv1": 0.5])).run(graph)
        #expect(Self.zeros(pruned.constants["conv1.weight"]) == 864)
    }

    @Test func overridesReplaceTheGlobalSettingForTheirLayer() throws {
        let graph = try Self.graph()
        let options = CompressionOptions(codebookBits: 4, layerSparsity: ["fire9/expand3x3": 0.5],
                                         layerCodebookBits: ["conv10": nil, "conv1.weight": 3])
        let result = try WeightCompressionPass(options: options).run(graph)
        let expand = result.constants["fire9/expand3x3.weight"]
        #expect(Self.zeros(expand) == MagnitudePruning.prunedCount(expand?.floats?.count ?? 0, sparsity: 0.5))
        #expect(Self.distinct(expand) <= 16 && Self.distinct(expand) > 8)
        // none: untouched; 3 bits: at most 8 values.
        #expect(result.constants["conv10.weight"] == graph.constants["conv10.weight"])
        #expect(Self.distinct(result.constants["conv1.weight"]) <= 8)
        // Every other layer: the global setting (shared, not pruned).
        for name in WeightCompressionPass.convWeights(of: graph) where !["fire9/expand3x3.weight", "conv10.weight", "conv1.weight"].contains(name) {
            #expect(Self.distinct(result.constants[name]) <= 16, "\(name)")
            #expect(Self.distinct(result.constants[name]) > 8, "\(name)")
            #expect(Self.zeros(result.constants[name]) == Self.zeros(graph.constants[name]), "\(name)")
        }
        // Biases untouched.
        for (name, tensor) in graph.constants where tensor.shape.rank != 4 { #expect(result.constants[name] == tensor) }
    }

    @Test func overridesApplyWithoutTheGlobalOption() throws {
        let graph = try Self.graph()
        let result = try WeightCompressionPass(options: CompressionOptions(layerSparsity: ["fire2/squeeze1x1": 0.66])).run(graph)
        let changed = graph.constants.keys.filter { result.constants[$0] != graph.constants[$0] }
        #expect(changed == ["fire2/squeeze1x1.weight"])
        // A zero sparsity or 'none' everywhere changes nothing.
        let none = CompressionOptions(layerSparsity: ["conv1": 0], layerCodebookBits: ["conv10": nil])
        #expect(try WeightCompressionPass(options: none).run(graph).constants == graph.constants)
    }

    @Test func unknownLayersAreOneLineUsageErrorsListingValidNames() throws {
        let graph = try Self.graph()
        let error = #expect(throws: Diagnostic.self) {
            try WeightCompressionPass(options: CompressionOptions(codebookBits: 4, layerCodebookBits: ["fire99/expand3x3": 3])).run(graph)
        }
        #expect(error?.kind == .usage)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("--codebook-layer fire99/expand3x3: no conv layer 'fire99/expand3x3'"), "\(message)")
        #expect(message.contains("conv1, fire2/squeeze1x1") && message.contains("conv10 (26 in all)"), "\(message)")
        #expect(!message.contains("\n"))
        #expect(throws: Diagnostic.self) { try WeightCompressionPass(options: CompressionOptions(layerSparsity: ["relu1": 0.5])).run(graph) }
    }

    @Test func oneLayerNamedTwiceIsAUsageError() throws {
        let graph = try Self.graph()
        let error = #expect(throws: Diagnostic.self) {
            try WeightCompressionPass(options: CompressionOptions(layerSparsity: ["conv1": 0.5, "conv1.weight": 0.25])).run(graph)
        }
        #expect(error?.kind == .usage && error?.message.contains("same layer") == true)
        // The same layer by different names in the two options is fine.
        let mixed = CompressionOptions(layerSparsity: ["conv1": 0.5], layerCodebookBits: ["conv1.weight": 2])
        let conv1 = try WeightCompressionPass(options: mixed).run(graph).constants["conv1.weight"]
        #expect(Self.distinct(conv1) <= 4 && Self.zeros(conv1) > 0)
    }
}

import SqueezeFrontend
import SqueezeIR
import SqueezeQuant
import Testing
@testable import SqueezeCodegen

/// Which layers the generated C stores compressed, and how (lossless,
/// decided from the values; within the decode budget).
@Suite struct WeightStoragePlanTests {
    static func squeezenet(_ options: CompressionOptions) throws -> Graph {
        try WeightCompressionPass(options: options).run(try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 64)).graph)
    }

    @Test func randomWeightsStayDense() throws {
        #expect(WeightStoragePlan(graph: try Self.squeezenet(CompressionOptions())).isEmpty)
    }

    @Test func sharedWeightsBecomeCodebooksAndPrunedOnesSparse() throws {
        let shared = WeightStoragePlan(graph: try Self.squeezenet(CompressionOptions(codebookBits: 4)))
        #expect(shared.layers.count == 26)
        #expect(shared.layers.values.allSatisfy { $0.format == .codebook(bits: 4) })
        let pruned = WeightStoragePlan(graph: try Self.squeezenet(CompressionOptions(sparsity: 0.66, codebookBits: 4)))
        #expect(pruned.layers.count == 26)
        #expect(pruned.layers.values.allSatisfy { $0.format == .sparse(bits: 4) })
        let raw = WeightStoragePlan(graph: try Self.squeezenet(CompressionOptions(sparsity: 0.9)))
        #expect(raw.layers["conv10.weight"]?.format == .sparse(bits: nil))
        for layout in (shared.layers.values.map { $0 } + pruned.layers.values.map { $0 }) {
            #expect(layout.bytes <= Int(WeightStoragePlan.savingLimit * Double(layout.denseBytes)))
            #expect(layout.decodedBytes <= WeightStoragePlan.fp32DecodeBudget || layout.block == 4)
            #expect(layout.block % 4 == 0)
            #expect(layout.blockLength * layout.blocks >= layout.length)
        }
    }

    @Test func theDecodeBudgetBoundsTheBlocksDownToTheSmallestBlock() throws {
        var graph = try Self.squeezenet(CompressionOptions(codebookBits: 4, decodeScratch: 4096))
        #expect(graph.decodeScratchBytes == 4096)
        let small = WeightStoragePlan(graph: graph)
        graph.decodeScratchBytes = nil
        let standard = WeightStoragePlan(graph: graph)
        graph.decodeScratchBytes = 65536
        let large = WeightStoragePlan(graph: graph)
        for (name, layout) in small.layers {
            // Over 4 KiB only where four channels alone take more (the 3x3 expands: k = 9 x squeeze channels).
            #expect(layout.decodedBytes <= 4096 || layout.block == 4, "\(name)")
            #expect(layout.block <= standard.layers[name]!.block && standard.layers[name]!.block <= large.layers[name]!.block, "\(name)")
        }
        let widest = try #require(small.layers.values.max { $0.decodedBytes < $1.decodedBytes })
        #expect(widest.block == 4 && widest.decodedBytes == 4 * 4 * 576)  // fire9's expand3x3: 3x3x64 inputs
        #expect(large.layers.values.map(\.decodedBytes).max()! > standard.layers.values.map(\.decodedBytes).max()!)
    }

    @Test func theDensePolicyCompressesNothing() throws {
        var graph = try Self.squeezenet(CompressionOptions(codebookBits: 4))
        graph.weightStorage = .dense
        #expect(WeightStoragePlan(graph: graph).isEmpty)
    }

    @Test func int8BlocksArePairsWithinEightKiB() throws {
        let graph = try Int8CodegenTests.int8(try Self.squeezenet(CompressionOptions(sparsity: 0.66, codebookBits: 4)))
        let plan = WeightStoragePlan(graph: graph)
        #expect(plan.layers.count >= 20)
        // Sparse layers only: the position table, no pair table.
        #expect(plan.needsPositions && plan.pairsOffset == WeightStoragePlan.positionBytes)
        #expect(plan.dataOffset == WeightStoragePlan.positionBytes)
        for (name, layout) in plan.layers {
            #expect(layout.block % 2 == 0, "\(name)")
            #expect(layout.decodedBytes <= WeightStoragePlan.int8DecodeBudget, "\(name)")
            #expect(layout.decodedBytes == plan.dataOffset + layout.blockLength)
        }
    }

    @Test func sizesCountTablesIndicesMasksAndOffsets() {
        // 8 x 1x1x8 fp32, 4 distinct values, no zeros: a 2-bit codebook of
        // 64 packed elements: 16 table bytes + 16 index bytes.
        let values = (0..<64).map { Float($0 % 4 + 1) }
        let layout = WeightStoragePlan.layout(Tensor(shape: TensorShape([8, 1, 1, 8]), floats: values), quantized: false, name: "w", workBytes: 0,
                                              budget: WeightStoragePlan.fp32DecodeBudget)
        #expect(layout?.format == .codebook(bits: 2))
        #expect(layout?.bytes == 16 + 16)
        #expect(layout?.denseBytes == 256)
        #expect(layout?.block == 8)
    }
}

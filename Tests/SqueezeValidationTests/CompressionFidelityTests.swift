import SqueezeEvaluation
import SqueezeFrontend
import SqueezeIR
import SqueezePipeline
import SqueezeQuant
import SqueezeReference
import Testing
@testable import SqueezeValidation

/// `squeezec fidelity`'s driver: compressed vs uncompressed lowering of a
/// small built-in squeezenet1.1, fp32 and int8, on the Swift reference.
@Suite struct CompressionFidelityTests {
    static let config = SqueezeNetConfig(version: .v1_1, inputSize: 32, classes: 10)

    static func lowered(_ precision: Precision, _ compression: CompressionOptions) throws -> LoweredStage {
        try CompilePipeline(options: PipelineOptions(source: ModelSource(name: "squeezenet1.1", config: config), precision: precision,
                                                     compression: compression)).lowered()
    }

    static func inputs(_ graph: Graph, labels: Bool = false) -> [CompressionFidelity.Input] {
        (1...4).map { .init(name: "seed \($0)", values: InputFiles.seeded(UInt64($0), for: graph.inputs[0]), label: labels ? $0 % 10 : nil) }
    }

    @Test func aModelAgainstItselfIsIdentical() throws {
        let dense = try Self.lowered(.int8, CompressionOptions())
        let rows = try CompressionFidelity(dense: dense, compressed: dense).rows(Self.inputs(dense.graph), classes: [])
        #expect(rows.map(\.precision) == ["fp32", "int8"])
        for row in rows {
            #expect(row.fidelity.minSQNR == 99 && row.fidelity.top1Agreement == 1 && row.fidelity.top5Agreement == 1)
        }
    }

    @Test func rowsCompareEachPrecisionsOwnOutputs() throws {
        let dense = try Self.lowered(.int8, CompressionOptions())
        let shared = try Self.lowered(.int8, CompressionOptions(codebookBits: 6))
        let pruned = try Self.lowered(.int8, CompressionOptions(sparsity: 0.9))
        let inputs = Self.inputs(dense.graph, labels: true)
        let sharedRows = try CompressionFidelity(dense: dense, compressed: shared).rows(inputs, classes: (0..<10).map(String.init))
        let prunedRows = try CompressionFidelity(dense: dense, compressed: pruned).rows(inputs, classes: (0..<10).map(String.init))
        // The fp32 row: the fused fp32 graphs' outputs; the int8 row: each int8 reference's, dequantised.
        let floatDense = try ReferenceInterpreter(graph: dense.float), floatShared = try ReferenceInterpreter(graph: shared.float)
        let int8Dense = try Int8ReferenceInterpreter(graph: dense.graph), int8Shared = try Int8ReferenceInterpreter(graph: shared.graph)
        for (i, input) in inputs.enumerated() {
            #expect(sharedRows[0].fidelity.inputs[i].sqnrDB == Fidelity.sqnr(try floatDense.infer(input.values), try floatShared.infer(input.values)))
            #expect(sharedRows[1].fidelity.inputs[i].sqnrDB == Fidelity.sqnr(try int8Dense.infer(input.values), try int8Shared.infer(input.values)))
        }
        // 64 shared values lose far less than pruning 90% of every layer.
        for (s, p) in zip(sharedRows, prunedRows) {
            #expect(s.fidelity.meanSQNR > p.fidelity.meanSQNR + 10, "\(s.precision): \(s.fidelity.meanSQNR) vs \(p.fidelity.meanSQNR)")
        }
        // Labelled: accuracy of both, the dense one the same in both comparisons.
        #expect(sharedRows[1].dense == prunedRows[1].dense)
        #expect(sharedRows[0].dense?.images == 4)
        let expected = try inputs.count { TopK.argmax(try int8Dense.infer($0.values)) == $0.label }
        #expect(sharedRows[1].dense?.top1Correct == expected)
    }

    @Test func fp32HasOneRow() throws {
        let dense = try Self.lowered(.fp32, CompressionOptions())
        let compressed = try Self.lowered(.fp32, CompressionOptions(layerCodebookBits: ["conv10": 2]))
        let rows = try CompressionFidelity(dense: dense, compressed: compressed).rows(Self.inputs(dense.graph), classes: [])
        #expect(rows.count == 1 && rows[0].precision == "fp32" && rows[0].dense == nil)
        #expect(rows[0].fidelity.minSQNR < 99)
    }
}

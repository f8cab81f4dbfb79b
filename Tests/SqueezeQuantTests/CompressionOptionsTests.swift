import Foundation
import SqueezeIR
import SqueezeQuant
import Testing

/// `--prune-layer NAME=S` and `--codebook-layer NAME=BITS`: parsing, checks and the recorded summary.
@Suite struct CompressionOptionsTests {
    @Test func overridesParse() throws {
        var options = CompressionOptions(codebookBits: 4)
        try options.addPruneOverride("fire9/expand3x3=0.5")
        try options.addPruneOverride("conv1=0")
        try options.addCodebookOverride("conv10=6")
        try options.addCodebookOverride("conv1.weight=none")
        #expect(options.layerSparsity == ["fire9/expand3x3": 0.5, "conv1": 0])
        #expect(options.layerCodebookBits.count == 2)
        #expect(options.layerCodebookBits["conv10"] == .some(6))
        #expect(options.layerCodebookBits["conv1.weight"] == .some(nil))
        #expect(!options.isEmpty)
        try options.check()
        #expect(options.summary == "codebook 4, prune-layer conv1=0, prune-layer fire9/expand3x3=0.5, codebook-layer conv1.weight=none, codebook-layer conv10=6")
        // Overrides alone are options too.
        var alone = CompressionOptions()
        #expect(alone.isEmpty && alone.summary == "none")
        try alone.addCodebookOverride("conv1=none")
        #expect(!alone.isEmpty)
    }

    @Test(arguments: [
        ("conv1", "expected NAME=VALUE"), ("=0.5", "expected NAME=VALUE"), ("conv1=", "expected NAME=VALUE"),
        ("conv1=half", "'half' is not a sparsity"), ("conv1=1", "[0, 1)"), ("conv1=-0.1", "[0, 1)"),
    ])
    func badPruneOverridesAreUsageErrors(text: String, message: String) {
        var options = CompressionOptions()
        let error = #expect(throws: Diagnostic.self) { try options.addPruneOverride(text) }
        #expect(error?.kind == .usage)
        #expect(error?.message.hasPrefix("--prune-layer \(text): ") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    @Test(arguments: [("conv1=1", "2...8"), ("conv1=9", "2...8"), ("conv1=four", "or 'none'"), ("conv1", "expected NAME=VALUE")])
    func badCodebookOverridesAreUsageErrors(text: String, message: String) {
        var options = CompressionOptions()
        let error = #expect(throws: Diagnostic.self) { try options.addCodebookOverride(text) }
        #expect(error?.kind == .usage)
        #expect(error?.message.hasPrefix("--codebook-layer \(text): ") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func aLayerGivenTwiceIsAUsageError() throws {
        var options = CompressionOptions()
        try options.addPruneOverride("conv1=0.5")
        #expect(throws: Diagnostic.usage("--prune-layer conv1=0.25: layer 'conv1' is given twice")) { try options.addPruneOverride("conv1=0.25") }
        try options.addCodebookOverride("conv1=none")
        #expect(throws: Diagnostic.self) { try options.addCodebookOverride("conv1=3") }
    }

    @Test func checkCoversOverridesSetDirectly() {
        #expect(throws: Diagnostic.self) { try CompressionOptions(layerSparsity: ["conv1": 1.5]).check() }
        #expect(throws: Diagnostic.self) { try CompressionOptions(layerCodebookBits: ["conv1": 1]).check() }
        #expect(throws: Never.self) { try CompressionOptions(layerCodebookBits: ["conv1": nil]).check() }
    }

    @Test func jsonRecordsTheOptions() throws {
        let options = CompressionOptions(sparsity: 0.66, layerSparsity: ["conv1": 0], layerCodebookBits: ["conv10": nil, "conv1": 5])
        let data = try JSONSerialization.data(withJSONObject: options.jsonObject, options: [.sortedKeys])
        #expect(String(decoding: data, as: UTF8.self)
            == #"{"codebook":null,"codebook_layers":{"conv1":5,"conv10":null},"prune":0.66,"prune_layers":{"conv1":0}}"#)
    }
}

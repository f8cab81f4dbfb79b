import Foundation
import SqueezeFrontend
import SqueezeIR
import SqueezePipeline
import Testing
@testable import SqueezeAnalysis

@Suite struct ModelAnalyzerTests {
    func report(_ version: SqueezeNetConfig.Version) throws -> ModelReport {
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: version)).graph
        let pipeline = CompilePipeline(options: PipelineOptions(source: ModelSource(name: graph.name)))
        let lowered = try pipeline.lower(try pipeline.fuse(LoadedStage(graph: graph)))
        return try ModelAnalyzer.analyze(graph, memory: try pipeline.plan(lowered, schedule: .stream).memory,
                                         comparison: try pipeline.plan(lowered, schedule: .layer).memory)
    }

    @Test func totalsAndLayers() throws {
        let r = try report(.v1_1)
        #expect(r.params == 1_235_496)
        #expect(r.weightBytes == 1_235_496 * 4)
        #expect(r.layers.reduce(0) { $0 + $1.macs } == r.macs)
        #expect(r.layers.reduce(0) { $0 + $1.params } == r.params)
        let conv1 = try #require(r.layers.first)
        #expect(conv1.name == "conv1" && conv1.op == "conv2d" && conv1.shape == [1, 111, 111, 64])
        #expect(conv1.params == 64 * 27 + 64)
        #expect(conv1.macs == 111 * 111 * 64 * 27)
        #expect(conv1.activationBytes == 111 * 111 * 64 * 4)
    }

    @Test func naiveScheduleKeepsConvAndReluOutputsLive() throws {
        let r = try report(.v1_1)
        // At relu_conv1 the conv1 output and the ReLU output are live (the image is dead).
        #expect(r.naivePeakLayer == "relu_conv1")
        #expect(r.naiveActivationBytes == 2 * 111 * 111 * 64 * 4)
    }

    @Test func fusedScheduleAndArena() throws {
        let r = try report(.v1_1)
        #expect(r.schedule.map(\.name) == ["conv1", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9", "conv10", "flatten"])
        #expect(r.schedule[0].layers == ["conv1", "relu_conv1", "pool1"])
        #expect(r.schedule[0].scratchBytes == 3 * 111 * 64 * 4)
        #expect(r.schedule.reduce(0) { $0 + $1.macs } == r.macs)
        #expect(r.peakRAMBytes >= r.lowerBoundBytes)
        #expect(r.peakRAMBytes < r.naiveActivationBytes / 2)
        // Streaming is the default and far below the layer schedule (v1.1 fp32 targets: <= 384 KiB).
        #expect(r.scheduleKind == "stream" && r.peakRAMBytes == r.streamArenaBytes)
        #expect(r.streamArenaBytes <= 384 * 1024 && r.streamArenaBytes * 5 < r.layerArenaBytes)
        #expect(r.planner == "search")
    }

    @Test func fireComparisonPerModule() throws {
        let r = try report(.v1_0)
        #expect(r.fireModules.count == 8)
        let fire9 = try #require(r.fireModules.last)
        #expect(fire9.name == "fire9" && fire9.inChannels == 512 && fire9.squeeze == 64)
        #expect(fire9.weights == 512 * 64 + 64 * 256 + 9 * 64 * 256)
        #expect(fire9.conv3x3Weights == 9 * 512 * 512)
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let json = try ReportFormatter.json(try report(.v1_0))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["params", "macs", "weight_bytes", "layers", "naive_activation_bytes", "fire_modules", "schedule",
                    "peak_ram_bytes", "lower_bound_bytes"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["params"] as? Int == 1_248_424)
        let layers = try #require(object["layers"] as? [[String: Any]])
        for key in ["name", "op", "shape", "params", "macs"] { #expect(layers[0][key] != nil) }
    }

    @Test func textTableShowsTotals() throws {
        let text = ReportFormatter.text(try report(.v1_0))
        #expect(text.contains("1,248,424"))
        #expect(text.contains("818.9 M"))
        #expect(text.contains("fire9"))
    }

    @Test func numberFormatting() {
        #expect(ReportFormatter.grouped(1_248_424) == "1,248,424")
        #expect(ReportFormatter.grouped(999) == "999")
        #expect(ReportFormatter.grouped(-1000) == "-1,000")
        #expect(ReportFormatter.mebibytes(2048) == "2.0 KiB")
    }
}

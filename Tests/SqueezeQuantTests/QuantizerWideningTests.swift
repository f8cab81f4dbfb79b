import Testing
import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import SqueezeReference
@testable import SqueezeQuant

/// Calibration can give a point a range the int8 kernels cannot requantise
/// to (a layer whose outputs were all zero on the calibration set, an
/// imported model's narrow scale). The quantizer never refuses such a
/// point after calibration: it widens parameters it chooses, and keeps
/// given ones through a table after a widened requantisation.
@Suite struct QuantizerWideningTests {
    static let summary = CalibrationSummary(method: "minmax", inputs: [])

    /// squeezenet1.1 with the complex bypass (1x1 shortcut convolutions
    /// into adds), fused, and its calibrated ranges.
    static func model() throws -> (graph: Graph, ranges: [String: ClosedRange<Float>]) {
        let config = SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10, bypass: .complex)
        let fused = try PassPipeline().run(try SqueezeNetBuilder.build(config).graph)
        return (fused, try Calibrator().ranges(fused, inputs: noiseInputs(count: 2, size: 48, seed: 3)))
    }

    static func every(_ graph: Graph, _ match: (Op) -> Bool) -> [Node] { graph.nodes.filter { match($0.op) } }

    @Test func widenedParametersCoverTheRangeWithTheSameZero() {
        let p = QuantParams(scale: 1e-6, zeroPoint: -100)
        let w = Quantizer.widened(p, toScale: 0.01)
        #expect(w.scale >= 0.01 && w.scale < 0.0100001)
        #expect(abs(w.dequantize(w.zeroPoint)) == 0)
        // Within one step of the wider scale (the zero point is rounded).
        #expect(w.dequantize(-128) <= p.dequantize(-128) + w.scale && w.dequantize(127) >= p.dequantize(127) - w.scale)
        #expect(Quantizer.widened(p, toScale: 1e-7) == p)
    }

    /// All-zero calibrated outputs (conv1, a squeeze, a shortcut, an add,
    /// the classifier before its global average): every factor fits.
    @Test func degenerateCalibratedRangesAreWidenedNotRefused() throws {
        var (graph, ranges) = try Self.model()
        let conv1 = try #require(graph.nodes.first)
        let fire = try #require(Self.every(graph) { if case .fire = $0 { true } else { false } }.first)
        let shortcut = try #require(Self.every(graph) { if case .conv2d(let a) = $0 { a.pool == nil } else { false } }.first)
        let add = try #require(Self.every(graph) { $0 == .add }.first)
        let head = try #require(graph.nodes.last { if case .conv2d(let a) = $0.op { a.pool == .globalAverage } else { false } })
        for point in [Quantization.convPoint(conv1.name), Quantization.squeezePoint(fire.name), shortcut.output, add.output,
                      Quantization.convPoint(head.name)] {
            #expect(ranges[point] != nil, "\(point)")
            ranges[point] = 0...0
        }
        let int8 = try Quantizer(ranges: ranges, calibration: Self.summary).run(graph)
        let q = try #require(int8.quantization)
        for conv in q.convolutions.values {
            #expect(conv.shifts.allSatisfy { $0 >= ConvQuantization.minimumShift && $0 <= ConvQuantization.maximumShift })
            #expect(conv.outputTable == nil)   // calibrated points are widened, not tabled
        }
        let widened = try q.params(of: Quantization.squeezePoint(fire.name))
        #expect(widened.scale > 1e-9 / 255 * 1000)
        let c1 = try q.convolution(conv1.parameters[0], node: conv1.name)
        #expect(c1.output == q.values[conv1.output])
        #expect(c1.activationMin == c1.output.zeroPoint)   // ReLU still clamps at the real zero
        #expect(try q.addition(add.name).output == q.values[add.output])
        // The int8 reference runs it.
        let input = noiseInputs(count: 1, size: 48, seed: 9)[0].values.map { q.values[graph.inputs[0].name]!.quantize($0) }
        #expect(try Int8ReferenceInterpreter(graph: int8).run(input).count == 10)
    }

    /// An input range calibrated as (almost) nothing: the next layer's bias
    /// would need more than int32 accumulator units; its weights get a
    /// coarser scale instead.
    @Test func aTinyInputScaleCoarsensTheWeightsNotTheAccumulator() throws {
        var (graph, ranges) = try Self.model()
        ranges[graph.inputs[0].name] = 0...0
        let int8 = try Quantizer(ranges: ranges, calibration: Self.summary).run(graph)
        let conv1 = graph.nodes[0]
        let c = try #require(int8.quantization).convolution(conv1.parameters[0], node: conv1.name)
        let bias = try #require(graph.constants[conv1.parameters[1]]?.floats)
        for (co, b) in bias.enumerated() {
            let units = Double(b) / (Double(c.input.scale) * Double(c.weightScales[co]))
            #expect(abs(units) <= 268_435_456 * 1.000001, "channel \(co)")   // 2^28, up to float32 rounding of the scale
            #expect(abs(Double(c.bias[co]) - units.rounded(.toNearestOrAwayFromZero)) <= 128 * 127 * 27)
        }
    }

    /// Given (imported) parameters too narrow for the accumulator are kept:
    /// the convolution requantises to widened ones, then a table gives the
    /// model's codes, before any fused max pool; Fire expands the same way.
    @Test func givenNarrowParametersAreKeptThroughATable() throws {
        var quantizer = Quantizer(ranges: try Self.model().ranges, calibration: Self.summary)
        let graph = try Self.model().graph
        let conv1 = graph.nodes[0]
        let fire = try #require(Self.every(graph) { if case .fire(let a) = $0 { a.pool == nil } else { false } }.first)
        let narrow = QuantParams(scale: 1e-7, zeroPoint: -128)
        quantizer.given[Quantization.convPoint(conv1.name)] = narrow
        quantizer.given[fire.output] = narrow
        let q = try #require(try quantizer.run(graph).quantization)
        #expect(q.values[conv1.output] == narrow)
        let c1 = try q.convolution(conv1.parameters[0], node: conv1.name)
        let table = try #require(c1.outputTable)
        #expect(c1.output != narrow && c1.output.scale > narrow.scale)
        #expect(table == Quantizer.rescaleTable(from: c1.output, to: narrow))
        #expect(c1.requantize(1_000_000_000, channel: 0) == 127)   // far above the narrow range: saturates
        guard case .fire(let a) = fire.op else { return }
        for range in a.parameterRanges.dropFirst() {
            let expand = try q.convolution(fire.parameters[range.lowerBound], node: fire.name)
            #expect(expand.outputTable != nil)
        }
        #expect(q.values[fire.output] == narrow)
    }

    /// A global average and an add with an output range too narrow for
    /// their factors (affines: `NarrowRangeHostTests`).
    @Test func averagesAndAddsWiden() throws {
        let p = QuantParams(scale: 0.05, zeroPoint: -128)
        let narrow = QuantParams(scale: 1e-12, zeroPoint: 0)
        let average = try Quantizer.average(input: p, output: narrow, count: 1, node: "pool", fused: true)
        #expect(average.output.scale > narrow.scale)
        #expect(average.finish(127 - -128) == 127)
        let add = try Quantizer.add(p, p, output: narrow, node: "add")
        #expect(add.output.scale > narrow.scale && add.shift >= 1 && add.shift <= 62)
    }
}

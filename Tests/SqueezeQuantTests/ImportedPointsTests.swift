import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeQuant

/// An imported model's parameters on values reach the quantisation points
/// of the fused graph, including those inside fused nodes; its own integer
/// weights and biases are used exactly.
@Suite struct ImportedPointsTests {
    static let input = ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 6, 6, 2)))

    /// conv -> relu -> maxpool -> conv(1x1) -> relu -> global average -> flatten.
    static func graph() throws -> Graph {
        let w1 = Tensor(shape: TensorShape([3, 3, 3, 2]), floats: (0..<54).map { Float($0 % 7 - 3) * 0.01 })
        let w2 = Tensor(shape: TensorShape([2, 1, 1, 3]), floats: [0.02, -0.01, 0.03, 0.01, 0.02, -0.02])
        let b1 = Tensor(shape: TensorShape([3]), floats: [0.001, 0.002, -0.001])
        var g = Graph(name: "g", inputs: [input], outputs: ["y"], nodes: [
            Node(name: "conv1", op: .conv2d(Conv2DAttributes(outChannels: 3, kernel: .square(3), padding: .uniform(1))), inputs: ["x"],
                 parameters: ["w1", "b1"], output: "c1"),
            Node(name: "relu1", op: .relu, inputs: ["c1"], output: "r1"),
            Node(name: "pool", op: .maxPool(PoolAttributes(kernel: .square(2), stride: .square(2))), inputs: ["r1"], output: "p"),
            Node(name: "conv2", op: .conv2d(Conv2DAttributes(outChannels: 2, kernel: .square(1), hasBias: false)), inputs: ["p"],
                 parameters: ["w2"], output: "c2"),
            Node(name: "relu2", op: .relu, inputs: ["c2"], output: "r2"),
            Node(name: "gap", op: .globalAvgPool, inputs: ["r2"], output: "g"),
            Node(name: "flatten", op: .flatten, inputs: ["g"], output: "y"),
        ], constants: ["w1": w1, "w2": w2, "b1": b1])
        let codes1: [Int8] = (0..<54).map { Int8($0 % 7 - 3) }
        g.importedQuantization = ImportedQuantization(
            format: "QDQ",
            values: ["x": QuantParams(scale: 0.02, zeroPoint: 3), "c1": QuantParams(scale: 0.03, zeroPoint: -128),
                     "r1": QuantParams(scale: 0.04, zeroPoint: -128), "p": QuantParams(scale: 0.04, zeroPoint: -128),
                     "r2": QuantParams(scale: 0.005, zeroPoint: -128), "g": QuantParams(scale: 0.004, zeroPoint: -128)],
            weights: ["w1": QuantizedWeight(codes: codes1, scales: [0.01, 0.01, 0.01], perChannel: false),
                      "w2": QuantizedWeight(codes: [2, -1, 3, 1, 2, -2], scales: [0.01, 0.01], perChannel: false)],
            biases: ["b1": QuantizedBias(codes: [5, -9, 100], scales: [0.0002, 0.0002, 0.0002])])
        return try ShapeInference.run(g)
    }

    @Test func fusedPointsTakeTheValuesTheyWereBeforeFusion() throws {
        let source = try Self.graph()
        let fused = try PassPipeline().run(source)
        #expect(fused.nodes.count == 3)   // conv1+relu+pool, conv2+relu+gap, flatten
        let given = try ImportedPoints.params(fused: fused, source: source)
        #expect(given["x"] == QuantParams(scale: 0.02, zeroPoint: 3))
        #expect(given[Quantization.convPoint("conv1")] == QuantParams(scale: 0.04, zeroPoint: -128))   // r1, before the pool
        #expect(given[Quantization.convPoint("conv2")] == QuantParams(scale: 0.005, zeroPoint: -128))  // r2, before the average
        #expect(given["g"] == QuantParams(scale: 0.004, zeroPoint: -128))

        let int8 = try Quantizer(given: given, calibration: CalibrationSummary(method: "imported QDQ", inputs: [])).run(fused)
        // The model's own codes and int32 bias: b1's scale is input 0.02 x weight 0.01.
        #expect(int8.constants["w1"]?.storage == .int8((0..<54).map { Int8($0 % 7 - 3) }))
        let conv = try #require(int8.quantization?.convolutions["w1"])
        let codes: [Int32] = (0..<54).map { Int32($0 % 7 - 3) }
        let sums = (0..<3).map { co in codes[(co * 18)..<((co + 1) * 18)].reduce(0, +) }
        #expect(conv.bias == zip([5, -9, 100] as [Int32], sums).map { $0 - 3 * $1 })
        #expect(conv.weightScales == [0.01, 0.01, 0.01])
    }

    /// An imported Fire expand's second requantisation: DequantizeLinear
    /// then QuantizeLinear, ties to even, saturated.
    @Test func rescaleTableIsDequantizeThenQuantize() {
        let same = QuantParams(scale: 0.1, zeroPoint: -5)
        #expect(Quantizer.rescaleTable(from: same, to: same) == (-128...127).map { Int8($0) })
        let t = Quantizer.rescaleTable(from: QuantParams(scale: 0.25, zeroPoint: -128), to: QuantParams(scale: 0.5, zeroPoint: -128))
        #expect(Array(t[0..<6]) == [-128, -128, -127, -126, -126, -126])   // 0, 0.5, 1, 1.5, 2, 2.5 -> 0, 0, 1, 2, 2, 2
        #expect(t[255] == 0)   // 255 * 0.25 / 0.5 = 127.5 -> 128 (even), -128 + 128
        let wide = Quantizer.rescaleTable(from: QuantParams(scale: 1, zeroPoint: 0), to: QuantParams(scale: 0.5, zeroPoint: 0))
        #expect(wide[0] == -128 && wide[255] == 127)   // saturated
    }

    @Test func aPointWithoutParametersIsRefused() throws {
        var source = try Self.graph()
        source.importedQuantization?.values["g"] = nil
        let fused = try PassPipeline().run(source)
        #expect(throws: Diagnostic.self) { try ImportedPoints.params(fused: fused, source: source) }
    }
}

import SqueezeIR
import Testing
@testable import SqueezeFrontend

/// Already-quantised models (QDQ and QOperator, as onnxruntime's
/// quantize_static writes them): parameters on values, the model's own
/// integer weights, uint8 shifted to int8, the ReLU put back, and clear
/// refusals.
@Suite struct ONNXQuantizedImportTests {
    static let weightCodes: [Int8] = (0..<108).map { Int8(truncatingIfNeeded: ($0 * 37) % 255 - 127) }
    static let weightScales: [Float] = [0.01, 0.02, 0.015, 0.005]
    static let biasCodes: [Int32] = [100, -200, 3000, -7]
    static let inputScale: Float = 0.03

    static func bytes(_ values: [Int8]) -> [UInt8] { values.map { UInt8(bitPattern: $0) } }

    static func int32Bytes(_ values: [Int32]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> (8 * $0)) } }
    }

    static func scalar(_ name: String, _ value: Float) -> TensorSpec { .floats(name, [], [value]) }

    static func u8(_ name: String, _ value: UInt8) -> TensorSpec { TensorSpec(name: name, dims: [], data: .bytes(dataType: 2, [value])) }

    /// x -Q/DQ-> Conv(DQ(W int8 per channel), DQ(B int32)) -Q/DQ-> MaxPool -Q/DQ-> GlobalAveragePool -Q/DQ-> Flatten -> y.
    static func qdqModel(weightAxis: Int64 = 0) -> ONNXModelBuilder {
        var b = ONNXModelBuilder()
        b.initializer(scalar("x_s", inputScale))
        b.initializer(u8("x_zp", 128))
        b.initializer(TensorSpec(name: "W_q", dims: [4, 3, 3, 3], data: .bytes(dataType: 3, bytes(weightCodes))))
        b.initializer(.floats("W_s", [weightAxis == 0 ? 4 : 3], weightAxis == 0 ? weightScales : Array(weightScales.prefix(3))))
        b.initializer(TensorSpec(name: "W_zp", dims: [weightAxis == 0 ? 4 : 3], data: .bytes(dataType: 3, [UInt8](repeating: 0, count: weightAxis == 0 ? 4 : 3))))
        b.initializer(TensorSpec(name: "B_q", dims: [4], data: .bytes(dataType: 6, int32Bytes(biasCodes))))
        b.initializer(.floats("B_s", [4], weightScales.map { $0 * inputScale }))
        b.initializer(scalar("c_s", 0.05))
        b.initializer(u8("c_zp", 0))
        b.initializer(scalar("g_s", 0.02))
        b.initializer(u8("g_zp", 0))
        b.node("QuantizeLinear", ["x", "x_s", "x_zp"], ["x_q"])
        b.node("DequantizeLinear", ["x_q", "x_s", "x_zp"], ["x_dq"])
        b.node("DequantizeLinear", ["W_q", "W_s", "W_zp"], ["W"], [.int("axis", weightAxis)])
        b.node("DequantizeLinear", ["B_q", "B_s"], ["B"], [.int("axis", 0)])
        b.node("Conv", ["x_dq", "W", "B"], ["c"], name: "conv", [.ints("kernel_shape", [3, 3]), .ints("pads", [1, 1, 1, 1])])
        b.node("QuantizeLinear", ["c", "c_s", "c_zp"], ["c_q"])
        b.node("DequantizeLinear", ["c_q", "c_s", "c_zp"], ["c_dq"])
        b.node("MaxPool", ["c_dq"], ["p"], name: "pool", [.ints("kernel_shape", [2, 2]), .ints("strides", [2, 2])])
        b.node("QuantizeLinear", ["p", "c_s", "c_zp"], ["p_q"])
        b.node("DequantizeLinear", ["p_q", "c_s", "c_zp"], ["p_dq"])
        b.node("GlobalAveragePool", ["p_dq"], ["g"], name: "gap")
        b.node("QuantizeLinear", ["g", "g_s", "g_zp"], ["g_q"])
        b.node("DequantizeLinear", ["g_q", "g_s", "g_zp"], ["g_dq"])
        b.node("Flatten", ["g_dq"], ["y"], name: "flatten", [.int("axis", 1)])
        b.output("y", dims: [1, 4])
        return b
    }

    /// The same network in QOperator form: QLinearConv, MaxPool on uint8,
    /// com.microsoft QLinearGlobalAveragePool, DequantizeLinear at the end.
    static func qoperatorModel() -> ONNXModelBuilder {
        var b = ONNXModelBuilder()
        b.opsets = [("", 13), ("com.microsoft", 1)]
        b.initializer(scalar("x_s", inputScale))
        b.initializer(u8("x_zp", 128))
        b.initializer(TensorSpec(name: "W_q", dims: [4, 3, 3, 3], data: .bytes(dataType: 3, bytes(weightCodes))))
        b.initializer(.floats("W_s", [4], weightScales))
        b.initializer(TensorSpec(name: "W_zp", dims: [4], data: .bytes(dataType: 3, [0, 0, 0, 0])))
        b.initializer(TensorSpec(name: "B_q", dims: [4], data: .bytes(dataType: 6, int32Bytes(biasCodes))))
        b.initializer(scalar("c_s", 0.05))
        b.initializer(u8("c_zp", 0))
        b.initializer(scalar("g_s", 0.02))
        b.initializer(u8("g_zp", 0))
        b.node("QuantizeLinear", ["x", "x_s", "x_zp"], ["x_q"])
        b.node("QLinearConv", ["x_q", "x_s", "x_zp", "W_q", "W_s", "W_zp", "c_s", "c_zp", "B_q"], ["c_q"], name: "conv",
               [.ints("kernel_shape", [3, 3]), .ints("pads", [1, 1, 1, 1])])
        b.node("MaxPool", ["c_q"], ["p_q"], name: "pool", [.ints("kernel_shape", [2, 2]), .ints("strides", [2, 2])])
        b.node("QLinearGlobalAveragePool", ["p_q", "c_s", "c_zp", "g_s", "g_zp"], ["g_q"], name: "gap", domain: "com.microsoft")
        b.node("Flatten", ["g_q"], ["f_q"], name: "flatten", [.int("axis", 1)])
        b.node("DequantizeLinear", ["f_q", "g_s", "g_zp"], ["y"])
        b.output("y", dims: [1, 4])
        return b
    }

    static func load(_ b: ONNXModelBuilder) throws -> Graph {
        try ONNXImporter.load(bytes: b.encode(), file: "q.onnx")
    }

    /// OHWI codes of the OIHW test weight.
    static var ohwiCodes: [Int8] {
        var result = [Int8](repeating: 0, count: 108)
        for o in 0..<4 { for i in 0..<3 { for k in 0..<9 { result[(o * 9 + k) * 3 + i] = weightCodes[(o * 3 + i) * 9 + k] } } }
        return result
    }

    func checkImported(_ g: Graph, format: String, output: String) throws {
        let q = try #require(g.importedQuantization)
        #expect(q.format == format)
        // uint8 zero points shifted by -128: the same real values.
        #expect(q.values["x"] == QuantParams(scale: Self.inputScale, zeroPoint: 0))
        #expect(q.values[output] == QuantParams(scale: 0.02, zeroPoint: -128))
        let conv = try #require(g.nodes.first { $0.name == "conv" })
        let weight = try #require(q.weights[conv.parameters[0]])
        #expect(weight.codes == Self.ohwiCodes)
        #expect(weight.scales == Self.weightScales)
        #expect(weight.perChannel)
        #expect(q.biases[conv.parameters[1]]?.codes == Self.biasCodes)
        // The float weights are the dequantised codes.
        let floats = try #require(g.constants[conv.parameters[0]]?.floats)
        #expect(floats[1] == Self.weightScales[0] * Float(Self.ohwiCodes[1]))
        // The conv's output cannot be negative (zero point -128): its ReLU is back.
        let relu = try #require(g.nodes.first { $0.name == "conv/relu" })
        #expect(relu.op == .relu && relu.inputs == [conv.output])
        #expect(q.values[conv.output] == QuantParams(scale: 0.05, zeroPoint: -128))
        #expect(g.nodes.map(\.op.kind) == [.conv2d, .relu, .maxPool, .globalAvgPool, .flatten])
    }

    @Test func qdqModelKeepsItsOwnParametersAndCodes() throws {
        let g = try Self.load(Self.qdqModel())
        try checkImported(g, format: "QDQ", output: "g")
        #expect(g.outputs == ["y"])
    }

    @Test func qoperatorModelKeepsItsOwnParametersAndCodes() throws {
        let g = try Self.load(Self.qoperatorModel())
        try checkImported(g, format: "QOperator", output: "g_q")
        #expect(g.outputs == ["y"])
    }

    @Test func unsupportedQuantisedOperatorIsRefusedWithAHint() {
        var b = Self.qoperatorModel()
        b.node("QLinearMatMul", ["g_q", "g_s", "g_zp", "g_q", "g_s", "g_zp", "g_s", "g_zp"], ["m"], name: "mm")
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .unsupported)
        #expect(e.message == "1 unsupported node: 'mm' (QLinearMatMul): operator not supported; "
            + "squeezec can quantise the float model itself: --precision int8 --calibrate DIR")
    }

    @Test func onlyInt8AndUInt8AreRead() {
        var b = Self.qdqModel()
        b.initializers = b.initializers.map { t in
            t.name == "c_zp" ? TensorSpec(name: "c_zp", dims: [], data: .bytes(dataType: 5, [0, 0])) : t
        }
        let e = TestSupport.importError(b.encode())
        #expect(e.kind == .unsupported)
        #expect(e.message.contains("tensor 'c_zp' is INT16; quantised tensors must be INT8 or UINT8"))
    }

    @Test func perChannelWeightsOnlyAlongOutputChannels() {
        let e = TestSupport.importError(Self.qdqModel(weightAxis: 1).encode())
        #expect(e.kind == .unsupported)
        #expect(e.location.node == "conv")
        #expect(e.message.contains("quantised per channel along axis 1; squeezec supports per-channel weights along axis 0 (output channels) only"))
    }

    @Test func activationsArePerTensor() {
        var b = Self.qdqModel()
        b.initializers = b.initializers.map { t in t.name == "c_s" ? .floats("c_s", [2], [0.05, 0.06]) : t }
        let e = TestSupport.importError(b.encode())
        #expect(e.message.contains("activation scale 'c_s' has 2 values; squeezec quantises activations per tensor"))
    }

    @Test func operatorTableHasOneRowPerOperator() {
        let keys = ONNXOperatorTable.rows.map { "\($0.domain)/\($0.opType)" }
        #expect(Set(keys).count == keys.count)
        #expect(ONNXOperatorTable.row(domain: "com.microsoft", opType: "QLinearConcat")?.kind == .concat)
        #expect(ONNXOperatorTable.row(domain: "", opType: "QLinearConv")?.kind == .conv2d)
        #expect(ONNXOperatorTable.row(domain: "", opType: "LSTM") == nil)
    }
}

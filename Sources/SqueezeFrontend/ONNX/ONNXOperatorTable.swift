import SqueezeIR

/// One ONNX operator squeezec reads: its domain ("" is the default ONNX
/// domain) and type, the IR op it becomes (nil: no node of its own, e.g.
/// Constant, Identity, QuantizeLinear), and its converter.
public struct ONNXOperatorRow: Sendable {
    public let domain: String
    public let opType: String
    public let kind: OpKind?
    /// A short remark for the table (e.g. "folded into the Conv before it").
    public let note: String
    /// How it streams when that is not its IR op's way (`OpKind.streams`),
    /// e.g. a classifier head that is a convolution over the whole map.
    public let streams: String?
    let convert: @Sendable (inout ONNXGraphConverter, ONNXNodeView) throws -> Void
}

/// Every ONNX operator the importer reads, one row each: the importer
/// dispatches through it and `squeezec ops` prints it (with
/// `Int8Support` and `OpKind.streams`), so the README's table cannot drift.
/// Adding an operator is one row here (and its converter).
public enum ONNXOperatorTable {
    public static let rows: [ONNXOperatorRow] = [
        row("Conv", .conv2d) { try $0.convertConv($1) },
        row("Relu", .relu) { try $0.convertUnary($1, .relu) },
        row("MaxPool", .maxPool, note: "int8/uint8 too") { try $0.convertPool($1, max: true) },
        row("AveragePool", .avgPool) { try $0.convertPool($1, max: false) },
        row("GlobalAveragePool", .globalAvgPool) { try $0.convertUnary($1, .globalAvgPool) },
        row("Concat", .concat) { try $0.convertConcat($1) },
        row("Dropout", .dropout) { try $0.convertDropout($1) },
        row("Identity", nil, note: "alias") { try $0.convertIdentity($1) },
        row("Flatten", .flatten) { try $0.convertFlatten($1) },
        row("Reshape", .flatten, note: "to [1, C]") { try $0.convertReshape($1) },
        row("Softmax", .softmax) { try $0.convertSoftmax($1) },
        row("Add", .add) { try $0.convertAdd($1) },
        row("BatchNormalization", .affine, note: "folded into the Conv before it, else a per-channel affine op") { try $0.convertBatchNorm($1) },
        row("Constant", nil, note: "constant") { try $0.convertConstant($1) },
        row("Clip", .activation, note: "ReLU6 and any min/max; fused as a conv's activation") { try $0.convertClip($1) },
        row("LeakyRelu", .activation, note: "fused as a conv's activation") { try $0.convertLeakyRelu($1) },
        row("Sigmoid", .activation) { try $0.convertUnary($1, .activation(.sigmoid)) },
        row("Mul", .affine, note: "by a constant broadcasting to the input; folded into a neighbouring conv when per channel") { try $0.convertArithmetic($1) },
        row("Sub", .affine, note: "by a constant broadcasting to the input; folded into a neighbouring conv when per channel") { try $0.convertArithmetic($1) },
        row("Div", .affine, note: "by a constant broadcasting to the input; folded into a neighbouring conv when per channel") { try $0.convertArithmetic($1) },
        row("Pad", .pad, note: "constant value, spatial; a zero pad folded into the next conv or pool when possible") { try $0.convertPad($1) },
        row("Gemm", .conv2d, note: "classifier head: a conv over the whole flattened map", streams: headStreams) { try $0.convertGemm($1) },
        row("MatMul", .conv2d, note: "classifier head (+ Add of a constant bias)", streams: headStreams) { try $0.convertMatMul($1) },
        row("QuantizeLinear", nil, note: "QDQ: parameters of a value") { try $0.convertQuantizeLinear($1) },
        row("DequantizeLinear", nil, note: "QDQ: parameters of a value, or int8 weights") { try $0.convertDequantizeLinear($1) },
        row("QLinearConv", .conv2d, note: "QOperator") { try $0.convertQLinearConv($1) },
        row("QLinearAdd", .add, domain: "com.microsoft", note: "QOperator") { try $0.convertQLinearAdd($1) },
        row("QLinearConcat", .concat, domain: "com.microsoft", note: "QOperator") { try $0.convertQLinearConcat($1) },
        row("QLinearGlobalAveragePool", .globalAvgPool, domain: "com.microsoft", note: "QOperator") {
            try $0.convertQLinearGlobalAveragePool($1)
        },
    ]

    public static func row(domain: String, opType: String) -> ONNXOperatorRow? {
        rows.first { $0.domain == domain && $0.opType == opType }
    }

    private static let headStreams = "whole tensor after the stream (reads the flatten or the global average)"

    private static func row(_ opType: String, _ kind: OpKind?, domain: String = "", note: String = "", streams: String? = nil,
                            _ convert: @escaping @Sendable (inout ONNXGraphConverter, ONNXNodeView) throws -> Void) -> ONNXOperatorRow {
        ONNXOperatorRow(domain: domain, opType: opType, kind: kind, note: note, streams: streams, convert: convert)
    }
}

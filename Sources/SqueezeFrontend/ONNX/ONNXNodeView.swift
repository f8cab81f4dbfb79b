import SqueezeIR
import SqueezeTensorIO

/// One ONNX node with its (unique) squeezec name, and typed access to its
/// attributes. Errors name the file and the node.
struct ONNXNodeView {
    let proto: ONNXProto.Node
    /// The ONNX node name, or one made from the op type and index when the
    /// file gives none; unique in the graph.
    let name: String
    /// Position in the file's node list.
    let index: Int
    let file: String

    var opType: String { proto.opType }
    var inputs: [String] { proto.inputs }
    var outputs: [String] { proto.outputs }

    /// Input `index`, or nil when absent or empty (an omitted optional input).
    func input(_ index: Int) -> String? {
        guard index < proto.inputs.count, !proto.inputs[index].isEmpty else { return nil }
        return proto.inputs[index]
    }

    func invalid(_ message: String) -> Diagnostic {
        .input(message, file: file, node: name)
    }

    /// Throws unless the node has between `range` inputs (counting omitted ones).
    func requireInputs(_ range: ClosedRange<Int>) throws(Diagnostic) {
        guard range.contains(proto.inputs.count) else {
            let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw invalid("\(opType) takes \(expected) input(s), got \(proto.inputs.count)")
        }
    }

    // MARK: Attributes

    func attribute(_ name: String) -> ONNXProto.Attribute? {
        proto.attributes.first { $0.name == name }
    }

    private func typed(_ name: String, _ kind: ONNXProto.Attribute.Kind) throws(Diagnostic) -> ONNXProto.Attribute? {
        guard let a = attribute(name) else { return nil }
        guard a.kind == kind else {
            throw invalid("attribute '\(MessageText.printable(name))' should be \("\(kind)".uppercased()), got \(a.typeName)")
        }
        return a
    }

    func int(_ name: String, default value: Int64) throws(Diagnostic) -> Int64 {
        guard let a = try typed(name, .int) else { return value }
        return a.i ?? 0
    }

    func ints(_ name: String) throws(Diagnostic) -> [Int64]? {
        try typed(name, .ints)?.ints
    }

    func float(_ name: String, default value: Float) throws(Diagnostic) -> Float {
        guard let a = try typed(name, .float) else { return value }
        return a.f ?? 0
    }

    func string(_ name: String) throws(Diagnostic) -> String? {
        guard let a = try typed(name, .string) else { return nil }
        return String(decoding: a.s ?? [], as: UTF8.self)
    }

    /// A list of spatial sizes (kernel, strides, pads): `count` values in
    /// `range`, or `defaultValue` when the attribute is absent.
    func sizes(_ name: String, count: Int, range: ClosedRange<Int64>, default defaultValue: [Int]?) throws(Diagnostic) -> [Int]? {
        guard let values = try ints(name) else { return defaultValue }
        guard values.count == count else {
            throw invalid("attribute '\(name)' has \(values.count) values \(values), expected \(count) (2-D operations only)")
        }
        for value in values where !range.contains(value) {
            throw invalid("attribute '\(name)' value \(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return values.map { Int($0) }
    }

    /// `auto_pad` must be NOTSET (explicit pads).
    func requireExplicitPadding() throws(Diagnostic) {
        if let autoPad = try string("auto_pad"), autoPad != "NOTSET" {
            throw .unsupported("auto_pad=\(MessageText.printable(autoPad)) is not supported; export with explicit pads")
        }
    }

    /// `dilations`, if given, must all be 1.
    func requireUnitDilations() throws(Diagnostic) {
        if let dilations = try ints("dilations"), dilations.contains(where: { $0 != 1 }) {
            throw .unsupported("dilations \(dilations) are not supported (only 1)")
        }
    }
}

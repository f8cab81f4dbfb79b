import SqueezeIR
import SqueezeTensorIO

/// The parts of the ONNX messages (onnx.proto) squeezec reads, with their
/// decoders. Fields not listed are skipped; a listed field with the wrong wire
/// type is an error. Field numbers are those of onnx.proto.
enum ONNXProto {
    /// `OperatorSetIdProto`: domain 1, version 2.
    struct OperatorSetID: Sendable, Hashable {
        var domain = ""
        var version: Int64 = 0
    }

    /// `ModelProto`: ir_version 1, graph 7, opset_import 8, metadata_props 14.
    struct Model: Sendable {
        var irVersion: Int64 = 0
        var opsetImports: [OperatorSetID] = []
        var graph: Graph?
        /// `metadata_props` (field 14), in file order.
        var metadataProps: [(key: String, value: String)] = []
    }

    /// `GraphProto`: node 1, name 2, initializer 5, input 11, output 12,
    /// value_info 13, sparse_initializer 15 (only noticed, to reject it).
    struct Graph: Sendable {
        var nodes: [Node] = []
        var name = ""
        var initializers: [Tensor] = []
        var inputs: [ValueInfo] = []
        var outputs: [ValueInfo] = []
        var valueInfo: [ValueInfo] = []
        var hasSparseInitializers = false
    }

    /// `NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
    struct Node: Sendable {
        var inputs: [String] = []
        var outputs: [String] = []
        var name = ""
        var opType = ""
        var attributes: [Attribute] = []
        var domain = ""
    }

    /// `AttributeProto`: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20.
    struct Attribute: Sendable {
        /// `AttributeProto.AttributeType` values squeezec reads.
        enum Kind: Int64, Sendable {
            case float = 1, int = 2, string = 3, tensor = 4, graph = 5, floats = 6, ints = 7, strings = 8
        }

        var name = ""
        var type: Int64 = 0
        var f: Float?
        var i: Int64?
        var s: ArraySlice<UInt8>?
        var t: Tensor?
        var floats: [Float] = []
        var ints: [Int64] = []

        /// The declared type, or the one implied by the field present (files
        /// from before the type field was required).
        var kind: Kind? {
            if type != 0 { return Kind(rawValue: type) }
            if t != nil { return .tensor }
            if s != nil { return .string }
            if !ints.isEmpty { return .ints }
            if !floats.isEmpty { return .floats }
            if i != nil { return .int }
            if f != nil { return .float }
            return nil
        }

        /// The attribute type's name as in onnx.proto, for messages.
        var typeName: String {
            switch type {
            case 0: kind.map { "\($0)".uppercased() } ?? "UNDEFINED"
            case 1: "FLOAT"
            case 2: "INT"
            case 3: "STRING"
            case 4: "TENSOR"
            case 5: "GRAPH"
            case 6: "FLOATS"
            case 7: "INTS"
            case 8: "STRINGS"
            case 9: "TENSORS"
            case 10: "GRAPHS"
            case 11: "SPARSE_TENSOR"
            case 12: "SPARSE_TENSORS"
            case 13: "TYPE_PROTO"
            case 14: "TYPE_PROTOS"
            default: "type \(type)"
            }
        }
    }

    /// `TensorProto`: dims 1, data_type 2, segment 3 (rejected), float_data 4,
    /// int32_data 5, int64_data 7, name 8, raw_data 9, external_data 13 and
    /// data_location 14 (rejected).
    struct Tensor: Sendable {
        var dims: [Int64] = []
        var dataType: Int64 = 0
        var floatData: [Float] = []
        var int32Data: [Int32] = []
        var int64Data: [Int64] = []
        var name = ""
        var rawData: ArraySlice<UInt8>?
    }

    /// `ValueInfoProto`: name 1, type 2 (a tensor type, or something else).
    struct ValueInfo: Sendable {
        var name = ""
        var type: TensorType?
        /// The type is a sequence, map, optional or sparse tensor.
        var hasOtherType = false
    }

    /// `TypeProto.Tensor`: elem_type 1, shape 2.
    struct TensorType: Sendable {
        var elementType: Int64 = 0
        /// nil when the shape is not given at all (unknown rank).
        var shape: [Dimension]?
    }

    /// `TensorShapeProto.Dimension`: dim_value 1 or dim_param 2 (or neither:
    /// unknown).
    enum Dimension: Sendable, Hashable {
        case value(Int64)
        case parameter(String)
        case unknown
    }
}

// MARK: - Decoding

extension ONNXProto {
    /// Decodes a serialized `ModelProto`.
    static func decodeModel(_ bytes: [UInt8], file: String) throws(Diagnostic) -> Model {
        var reader = ProtoReader(bytes, messageName: "ModelProto", file: file)
        return try model(&reader)
    }

    /// Decodes a serialized `TensorProto` (an ONNX test-data `.pb` file).
    static func decodeTensor(_ bytes: [UInt8], file: String) throws(Diagnostic) -> Tensor {
        var reader = ProtoReader(bytes, messageName: "TensorProto", file: file)
        return try tensor(&reader)
    }

    static func model(_ r: inout ProtoReader) throws(Diagnostic) -> Model {
        var m = Model()
        while let field = try r.nextField() {
            switch field.number {
            case 1: m.irVersion = try r.int64(field)
            case 7: m.graph = try r.message(field, "GraphProto", graph)
            case 8: m.opsetImports.append(try r.message(field, "OperatorSetIdProto", operatorSetID))
            case 14: m.metadataProps.append(try r.message(field, "StringStringEntryProto", stringEntry))
            default: try r.skip(field)
            }
        }
        return m
    }

    /// `StringStringEntryProto`: key 1, value 2.
    static func stringEntry(_ r: inout ProtoReader) throws(Diagnostic) -> (key: String, value: String) {
        var entry = (key: "", value: "")
        while let field = try r.nextField() {
            switch field.number {
            case 1: entry.key = try r.string(field)
            case 2: entry.value = try r.string(field)
            default: try r.skip(field)
            }
        }
        return entry
    }

    static func operatorSetID(_ r: inout ProtoReader) throws(Diagnostic) -> OperatorSetID {
        var o = OperatorSetID()
        while let field = try r.nextField() {
            switch field.number {
            case 1: o.domain = try r.string(field)
            case 2: o.version = try r.int64(field)
            default: try r.skip(field)
            }
        }
        return o
    }

    static func graph(_ r: inout ProtoReader) throws(Diagnostic) -> Graph {
        var g = Graph()
        while let field = try r.nextField() {
            switch field.number {
            case 1: g.nodes.append(try r.message(field, "NodeProto", node))
            case 2: g.name = try r.string(field)
            case 5: g.initializers.append(try r.message(field, "TensorProto", tensor))
            case 11: g.inputs.append(try r.message(field, "ValueInfoProto", valueInfo))
            case 12: g.outputs.append(try r.message(field, "ValueInfoProto", valueInfo))
            case 13: g.valueInfo.append(try r.message(field, "ValueInfoProto", valueInfo))
            case 15:
                g.hasSparseInitializers = true
                try r.skip(field)
            default: try r.skip(field)
            }
        }
        return g
    }

    static func node(_ r: inout ProtoReader) throws(Diagnostic) -> Node {
        var n = Node()
        while let field = try r.nextField() {
            switch field.number {
            case 1: n.inputs.append(try r.string(field))
            case 2: n.outputs.append(try r.string(field))
            case 3: n.name = try r.string(field)
            case 4: n.opType = try r.string(field)
            case 5: n.attributes.append(try r.message(field, "AttributeProto", attribute))
            case 7: n.domain = try r.string(field)
            default: try r.skip(field)
            }
        }
        return n
    }

    static func attribute(_ r: inout ProtoReader) throws(Diagnostic) -> Attribute {
        var a = Attribute()
        while let field = try r.nextField() {
            switch field.number {
            case 1: a.name = try r.string(field)
            case 2: a.f = try r.float(field)
            case 3: a.i = try r.int64(field)
            case 4: a.s = try r.bytes(field)
            case 5: a.t = try r.message(field, "TensorProto", tensor)
            case 7: try r.appendFloats(field, to: &a.floats)
            case 8: try r.appendInt64s(field, to: &a.ints)
            case 20: a.type = try r.int64(field)
            default: try r.skip(field)   // graphs, strings, tensors lists, ...
            }
        }
        return a
    }

    static func tensor(_ r: inout ProtoReader) throws(Diagnostic) -> Tensor {
        var t = Tensor()
        var external = false
        var segmented = false
        var int32s: [Int64] = []
        while let field = try r.nextField() {
            switch field.number {
            case 1: try r.appendInt64s(field, to: &t.dims)
            case 2: t.dataType = try r.int64(field)
            case 3:
                segmented = true
                try r.skip(field)
            case 4: try r.appendFloats(field, to: &t.floatData)
            case 5: try r.appendInt64s(field, to: &int32s)
            case 7: try r.appendInt64s(field, to: &t.int64Data)
            case 8: t.name = try r.string(field)
            case 9: t.rawData = try r.bytes(field)
            case 13:
                external = true
                try r.skip(field)
            case 14:
                if try r.int64(field) != 0 { external = true }
            default: try r.skip(field)
            }
        }
        let label = t.name.isEmpty ? "a tensor" : "tensor '\(MessageText.printable(t.name))'"
        if external {
            throw .unsupported("\(label): external data is not supported (save the model with its tensors inside the file)", file: r.file)
        }
        if segmented {
            throw .unsupported("\(label): segmented tensors are not supported", file: r.file)
        }
        // int32_data holds int32, int16, int8, uint8, bool, float16... as int32.
        t.int32Data = int32s.map { Int32(truncatingIfNeeded: $0) }
        return t
    }

    static func valueInfo(_ r: inout ProtoReader) throws(Diagnostic) -> ValueInfo {
        var v = ValueInfo()
        while let field = try r.nextField() {
            switch field.number {
            case 1: v.name = try r.string(field)
            case 2:
                let (type, other) = try r.message(field, "TypeProto", typeProto)
                v.type = type
                v.hasOtherType = other
            default: try r.skip(field)
            }
        }
        return v
    }

    /// A `TypeProto`: tensor_type 1; sequence 4, map 5, sparse tensor 8 and
    /// optional 9 are only noticed.
    static func typeProto(_ r: inout ProtoReader) throws(Diagnostic) -> (TensorType?, Bool) {
        var tensorType: TensorType?
        var other = false
        while let field = try r.nextField() {
            switch field.number {
            case 1: tensorType = try r.message(field, "TypeProto.Tensor", tensorTypeProto)
            case 4, 5, 8, 9:
                other = true
                try r.skip(field)
            default: try r.skip(field)
            }
        }
        return (tensorType, other)
    }

    static func tensorTypeProto(_ r: inout ProtoReader) throws(Diagnostic) -> TensorType {
        var t = TensorType()
        while let field = try r.nextField() {
            switch field.number {
            case 1: t.elementType = try r.int64(field)
            case 2: t.shape = try r.message(field, "TensorShapeProto", shape)
            default: try r.skip(field)
            }
        }
        return t
    }

    static func shape(_ r: inout ProtoReader) throws(Diagnostic) -> [Dimension] {
        var dims: [Dimension] = []
        while let field = try r.nextField() {
            switch field.number {
            case 1: dims.append(try r.message(field, "TensorShapeProto.Dimension", dimension))
            default: try r.skip(field)
            }
        }
        return dims
    }

    static func dimension(_ r: inout ProtoReader) throws(Diagnostic) -> Dimension {
        var d = Dimension.unknown
        while let field = try r.nextField() {
            switch field.number {
            case 1: d = .value(try r.int64(field))
            case 2: d = .parameter(try r.string(field))
            default: try r.skip(field)
            }
        }
        return d
    }
}


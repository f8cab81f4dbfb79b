import SqueezeIR
import SqueezeTensorIO

/// A TensorProto to encode.
struct TensorSpec {
    enum Data {
        case floats([Float], raw: Bool)
        case int64s([Int64], raw: Bool)
        case bytes(dataType: Int64, [UInt8])
    }

    var name: String
    var dims: [Int64]
    var data: Data

    static func floats(_ name: String, _ dims: [Int], _ values: [Float], raw: Bool = true) -> TensorSpec {
        TensorSpec(name: name, dims: dims.map(Int64.init), data: .floats(values, raw: raw))
    }

    static func int64s(_ name: String, _ values: [Int64], raw: Bool = true) -> TensorSpec {
        TensorSpec(name: name, dims: [Int64(values.count)], data: .int64s(values, raw: raw))
    }

    func encode(into w: inout ProtoWriter) {
        for dim in dims { w.int(1, dim) }
        switch data {
        case .floats(let values, let raw):
            w.int(2, 1)
            if raw { w.bytes(9, floatBytes(values)) } else { w.packedFloats(4, values) }
        case .int64s(let values, let raw):
            w.int(2, 7)
            if raw { w.bytes(9, int64Bytes(values)) } else { w.packedInts(7, values) }
        case .bytes(let type, let raw):
            w.int(2, type)
            w.bytes(9, raw)
        }
        if !name.isEmpty { w.string(8, name) }
    }

    var encoded: [UInt8] { ProtoWriter.encode { encode(into: &$0) } }
}

/// An AttributeProto to encode.
struct AttributeSpec {
    var name: String
    var write: @Sendable (inout ProtoWriter) -> Void

    static func int(_ name: String, _ value: Int64) -> AttributeSpec {
        AttributeSpec(name: name) { w in
            w.int(3, value)
            w.int(20, 2)
        }
    }

    static func ints(_ name: String, _ values: [Int64]) -> AttributeSpec {
        AttributeSpec(name: name) { w in
            for value in values { w.int(8, value) }
            w.int(20, 7)
        }
    }

    static func float(_ name: String, _ value: Float) -> AttributeSpec {
        AttributeSpec(name: name) { w in
            w.float(2, value)
            w.int(20, 1)
        }
    }

    static func string(_ name: String, _ value: String) -> AttributeSpec {
        AttributeSpec(name: name) { w in
            w.string(4, value)
            w.int(20, 3)
        }
    }

    static func tensor(_ name: String, _ tensor: TensorSpec) -> AttributeSpec {
        let bytes = tensor.encoded
        return AttributeSpec(name: name) { w in
            w.bytes(5, bytes)
            w.int(20, 4)
        }
    }
}

/// A dimension of a ValueInfoProto shape.
enum DimSpec: ExpressibleByIntegerLiteral {
    case value(Int64)
    case param(String)
    case unknown

    init(integerLiteral value: Int64) { self = .value(value) }
}

/// Builds an ONNX ModelProto field by field.
struct ONNXModelBuilder {
    struct ValueInfoSpec {
        var name: String
        var elementType: Int64 = 1
        var dims: [DimSpec]?
    }

    var irVersion: Int64 = 8
    var opsets: [(domain: String, version: Int64)] = [("", 13)]
    var graphName = "test"
    var nodes: [[UInt8]] = []
    var initializers: [TensorSpec] = []
    var inputs: [ValueInfoSpec] = []
    var outputs: [ValueInfoSpec] = []
    /// Raw bytes appended to the GraphProto (for hostile cases).
    var extraGraphBytes: [UInt8] = []
    /// ModelProto metadata_props (key, value), in order.
    var metadata: [(key: String, value: String)] = []

    init(input: String = "x", dims: [DimSpec] = [1, 3, 8, 8]) {
        inputs = [ValueInfoSpec(name: input, dims: dims)]
    }

    mutating func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String? = nil,
                       domain: String? = nil, _ attributes: [AttributeSpec] = []) {
        nodes.append(ProtoWriter.encode { w in
            for input in inputs { w.string(1, input) }
            for output in outputs { w.string(2, output) }
            w.string(3, name ?? outputs.first ?? "")
            w.string(4, op)
            for attribute in attributes {
                w.message(5) { a in
                    a.string(1, attribute.name)
                    attribute.write(&a)
                }
            }
            if let domain { w.string(7, domain) }
        })
    }

    mutating func initializer(_ tensor: TensorSpec) {
        initializers.append(tensor)
    }

    mutating func output(_ name: String, dims: [DimSpec]? = nil) {
        outputs.append(ValueInfoSpec(name: name, dims: dims))
    }

    static func writeValueInfo(_ info: ValueInfoSpec, into w: inout ProtoWriter) {
        w.string(1, info.name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, info.elementType)
                if let dims = info.dims {
                    tensor.message(2) { shape in
                        for dim in dims {
                            shape.message(1) { d in
                                switch dim {
                                case .value(let v): d.int(1, v)
                                case .param(let p): d.string(2, p)
                                case .unknown: break
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    var graphBytes: [UInt8] {
        ProtoWriter.encode { g in
            for node in nodes { g.bytes(1, node) }
            g.string(2, graphName)
            for tensor in initializers { g.message(5) { tensor.encode(into: &$0) } }
            for input in inputs { g.message(11) { Self.writeValueInfo(input, into: &$0) } }
            for output in outputs { g.message(12) { Self.writeValueInfo(output, into: &$0) } }
            g.bytes += extraGraphBytes
        }
    }

    func encode() -> [UInt8] {
        let graph = graphBytes
        return ProtoWriter.encode { m in
            m.int(1, irVersion)
            m.string(2, "squeezec-tests")
            for opset in opsets {
                m.message(8) { o in
                    o.string(1, opset.domain)
                    o.int(2, opset.version)
                }
            }
            m.bytes(7, graph)
            for entry in metadata {
                m.message(14) { e in
                    e.string(1, entry.key)
                    e.string(2, entry.value)
                }
            }
        }
    }
}

/// Writes an IR graph (unfused: conv, relu, pools, concat, add, dropout,
/// flatten, softmax) as an ONNX model: NCHW input, OIHW weights, same names.
enum ONNXExport {
    static func encode(_ graph: Graph, opset: Int64 = 13, symbolicBatch: Bool = false) -> [UInt8] {
        let input = graph.inputs[0]
        let s = input.type.shape
        var b = ONNXModelBuilder(input: input.name, dims: [symbolicBatch ? .param("N") : 1, .value(Int64(s.c)), .value(Int64(s.h)), .value(Int64(s.w))])
        b.opsets = [("", opset)]
        b.graphName = graph.name
        for name in graph.constants.keys.sorted() {
            let tensor = graph.constants[name]!
            let dims = tensor.shape.dims
            if dims.count == 4 {
                let (o, kh, kw, i) = (dims[0], dims[1], dims[2], dims[3])
                b.initializer(.floats(name, [o, i, kh, kw], Layout.ohwiToOIHW(tensor.floats!, o: o, i: i, kh: kh, kw: kw)))
            } else {
                b.initializer(.floats(name, dims, tensor.floats!))
            }
        }
        for node in graph.nodes {
            let io = (node.inputs + node.parameters, [node.output])
            switch node.op {
            case .conv2d(let a):
                b.node("Conv", io.0, io.1, name: node.name, [
                    .ints("kernel_shape", [Int64(a.kernel.h), Int64(a.kernel.w)]),
                    .ints("strides", [Int64(a.stride.h), Int64(a.stride.w)]),
                    .ints("pads", [a.padding.top, a.padding.left, a.padding.bottom, a.padding.right].map(Int64.init)),
                ])
            case .relu: b.node("Relu", io.0, io.1, name: node.name)
            case .maxPool(let a), .avgPool(let a):
                var attributes: [AttributeSpec] = [
                    .ints("kernel_shape", [Int64(a.kernel.h), Int64(a.kernel.w)]),
                    .ints("strides", [Int64(a.stride.h), Int64(a.stride.w)]),
                    .ints("pads", [a.padding.top, a.padding.left, a.padding.bottom, a.padding.right].map(Int64.init)),
                    .int("ceil_mode", a.ceilMode ? 1 : 0),
                ]
                if case .avgPool = node.op { attributes.append(.int("count_include_pad", a.countIncludePad ? 1 : 0)) }
                b.node(node.op == .maxPool(a) ? "MaxPool" : "AveragePool", io.0, io.1, name: node.name, attributes)
            case .globalAvgPool: b.node("GlobalAveragePool", io.0, io.1, name: node.name)
            case .concat: b.node("Concat", io.0, io.1, name: node.name, [.int("axis", 1)])
            case .add: b.node("Add", io.0, io.1, name: node.name)
            case .dropout(let ratio):
                b.initializer(.floats(node.name + ".ratio", [], [ratio]))
                b.node("Dropout", io.0 + [node.name + ".ratio"], io.1, name: node.name)
            case .flatten: b.node("Flatten", io.0, io.1, name: node.name, [.int("axis", 1)])
            case .softmax: b.node("Softmax", io.0, io.1, name: node.name, [.int("axis", -1)])
            case .fire: fatalError("export fused graphs is not supported")
            case .activation(.clip(let lo, let hi)):
                b.initializer(.floats(node.name + ".min", [], [lo]))
                b.initializer(.floats(node.name + ".max", [], [hi]))
                b.node("Clip", io.0 + [node.name + ".min", node.name + ".max"], io.1, name: node.name)
            case .activation(.leakyRelu(let alpha)): b.node("LeakyRelu", io.0, io.1, name: node.name, [.float("alpha", alpha)])
            case .activation(.sigmoid): b.node("Sigmoid", io.0, io.1, name: node.name)
            case .activation(.none), .activation(.relu): fatalError("not a standalone activation")
            case .affine(let channels):
                // Mul then Add by [C,1,1] constants.
                let scale = graph.constants[node.parameters[0]]!.floats!, shift = graph.constants[node.parameters[1]]!.floats!
                b.initializer(.floats(node.name + ".mul", [channels, 1, 1], scale))
                b.initializer(.floats(node.name + ".add", [channels, 1, 1], shift))
                b.node("Mul", [node.inputs[0], node.name + ".mul"], [node.name + "_scaled"], name: node.name + "_mul")
                b.node("Add", [node.name + "_scaled", node.name + ".add"], io.1, name: node.name)
            case .pad(let p, let value):
                b.initializer(.int64s(node.name + ".pads", [0, 0, p.top, p.left, 0, 0, p.bottom, p.right].map(Int64.init)))
                b.initializer(.floats(node.name + ".value", [], [value]))
                b.node("Pad", [node.inputs[0], node.name + ".pads", node.name + ".value"], io.1, name: node.name)
            }
        }
        for output in graph.outputs { b.output(output) }
        return b.encode()
    }
}

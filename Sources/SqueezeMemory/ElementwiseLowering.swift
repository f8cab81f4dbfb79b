import SqueezeIR

/// Row-wise ops as one stage each: add (the bypass), ReLU, an unfused
/// concat (rows copied into channel slices), a surviving dropout (a copy),
/// standalone activations and affine maps (one input row per output row),
/// and pads (output row r needs input row r - top: a window of top + 1 rows
/// ending at r, so no row index is ever negative).
/// In place: none (the layer schedule's kernels take `restrict` pointers).
enum ElementwiseLowering {
    static func lower(_ b: inout Lowering.Builder) {
        let node = b.node
        let rows = b.output.h
        switch node.op {
        case .add:
            b.add("", .add, node.inputs.map { StreamInput(value: $0) }, node.output, rows: rows)
        case .relu:
            b.add("", .relu, [StreamInput(value: node.inputs[0])], node.output, rows: rows)
        case .concat:
            b.add("", .concat, node.inputs.map { StreamInput(value: $0) }, node.output, rows: rows)
        case .dropout:
            b.add("", .copy, [StreamInput(value: node.inputs[0])], node.output, rows: rows)
        case .activation(let a):
            b.add("", .activation(a), [StreamInput(value: node.inputs[0])], node.output, rows: rows)
        case .affine:
            b.add("", .affine, [StreamInput(value: node.inputs[0])], node.output, rows: rows, node.parameters)
        case .pad(let p, _):
            b.add("", .pad(p), [StreamInput(value: node.inputs[0], kernel: p.top + 1, stride: 1, padTop: p.top)], node.output, rows: rows)
        case .conv2d, .fire, .maxPool, .avgPool, .globalAvgPool, .flatten, .softmax:
            preconditionFailure("\(node.op.name) is not element-wise")
        }
    }

    static func firstLiveInputRow() -> ((Int) -> Int)? { nil }
}

import SqueezeIR

/// Row-wise ops as one stage each: add (the bypass), ReLU, an unfused
/// concat (rows copied into channel slices) and a surviving dropout (a copy).
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
        case .conv2d, .fire, .maxPool, .avgPool, .globalAvgPool, .flatten, .softmax:
            preconditionFailure("\(node.op.name) is not element-wise")
        }
    }

    static func firstLiveInputRow() -> ((Int) -> Int)? { nil }
}

import SqueezeIR

/// A convolution (with its fused activation and pool) as stages:
/// - plain: one conv stage;
/// - + max pool: one conv stage with the pool folded in (`pool`, `preRows`),
///   its pre-pool map an internal value (the layer schedule keeps
///   `pool.kernel.h` rows of it in a ring);
/// - + global average (1x1, ReLU): one stage summing rows into the output.
/// In place: none. The whole-map conv reads and writes in one kernel call
/// whose pointers are `restrict`, so its output may not overlap its input.
enum ConvLowering {
    static func lower(_ a: Conv2DAttributes, input: TensorShape, _ b: inout Lowering.Builder) throws(Diagnostic) {
        let node = b.node
        let bare = a.bare.with(activation: a.activation)
        switch a.pool {
        case nil:
            b.add("", .conv(bare), [Lowering.convInput(node.inputs[0], a)], node.output, rows: b.output.h, node.parameters)
        case .max(let p):
            let pre = try Lowering.preActivation(input, a, node)
            b.addInternal(Lowering.prePoolValue(node), .prePool, pre, window: p.kernel.h)
            b.add("", .conv(bare), [Lowering.convInput(node.inputs[0], a)], node.output, rows: b.output.h, node.parameters,
                  pool: p, preRows: pre.h)
        case .globalAverage:
            b.add("", .convGlobalAverage(bare), [StreamInput(value: node.inputs[0])], node.output, rows: input.h, node.parameters)
        }
    }

    static func firstLiveInputRow() -> ((Int) -> Int)? { nil }
}

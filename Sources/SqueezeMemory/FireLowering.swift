import SqueezeIR

/// A Fire module as stages: the squeeze conv into the internal value
/// `<fire>.squeeze` (the layer schedule keeps `expand3x3.kernel.h` rows of
/// it in a ring), then both expands into their channel slices of the concat
/// output, with a fused max pool folded in (its pre-pool concat rows an
/// internal value, `pool.kernel.h` rows in the layer schedule's ring).
///
/// In place (layer schedule): output row r is written after the squeeze rows
/// <= r + 1 are computed, which read input rows <= r + 1; it reads only the
/// squeeze ring while writing. First live input row: r + 2. With a fused max
/// pool, pooled row r follows the concat rows of its window and the squeeze
/// rows one beyond them. The input is read by the squeeze kernel calls and
/// the output written by other calls (expands, pool), so no single kernel
/// call, whose pointers are `restrict`, touches both.
enum FireLowering {
    static func lower(_ a: FireAttributes, input: TensorShape, _ b: inout Lowering.Builder) throws(Diagnostic) {
        let node = b.node
        let squeezed = try Lowering.preActivation(input, a.squeeze, node)
        let squeeze = Lowering.squeezeValue(node)
        let squeezeInput = Lowering.convInput(squeeze, a.expand3x3)
        b.addInternal(squeeze, .squeeze, squeezed, window: squeezeInput.kernel)
        let ranges = a.parameterRanges
        b.add(".squeeze", .conv(a.squeeze), [Lowering.convInput(node.inputs[0], a.squeeze)], squeeze, rows: squeezed.h,
              Array(node.parameters[ranges[0]]))
        let expanded = try Lowering.preActivation(squeezed, a.expand3x3, node)
        let concat = TensorShape.nhwc(1, expanded.h, expanded.w, a.outChannels)
        let expandParameters = Array(node.parameters[ranges[1]]) + Array(node.parameters[ranges[2]])
        var fire = a
        fire.pool = nil
        switch a.pool {
        case nil:
            b.add(".expand", .fireExpand(fire), [squeezeInput], node.output, rows: concat.h, expandParameters)
        case .max(let p):
            b.addInternal(Lowering.prePoolValue(node), .prePool, concat, window: p.kernel.h)
            b.add(".expand", .fireExpand(fire), [squeezeInput], node.output, rows: b.output.h, expandParameters, pool: p,
                  preRows: concat.h)
        case .globalAverage:
            throw .unsupported("a Fire module with a fused global average pool cannot be lowered to row stages", node: node.name)
        }
    }

    static func firstLiveInputRow(_ a: FireAttributes, input: TensorShape, node: Node) throws(Diagnostic) -> ((Int) -> Int)? {
        let squeezed = try Lowering.preActivation(input, a.squeeze, node)
        let expandLast = { (row: Int) in min(row * a.expand3x3.stride.h - a.expand3x3.padding.top + a.expand3x3.kernel.h - 1,
                                             squeezed.h - 1) }
        switch a.pool {
        case nil:
            return { r in expandLast(r) + 1 }
        case .max(let p):
            return { r in expandLast(min(r * p.stride.h - p.padding.top + p.kernel.h - 1, squeezed.h - 1)) + 1 }
        case .globalAverage:
            return nil
        }
    }
}

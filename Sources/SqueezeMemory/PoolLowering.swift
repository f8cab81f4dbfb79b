import SqueezeIR

/// Pools as stages: a max or average pool produces output rows from windows
/// of input rows; a global average pool sums every input row into its output
/// (its rows are input rows). A max pool that is the only reader of another
/// stage's output is folded into that stage by the stream schedule
/// (`StreamDecomposition`).
/// In place: none (one kernel call with `restrict` input and output).
enum PoolLowering {
    static func lower(input: TensorShape, _ b: inout Lowering.Builder) {
        let node = b.node
        switch node.op {
        case .maxPool(let p):
            b.add("", .maxPool(p), [Lowering.poolInput(node.inputs[0], p)], node.output, rows: b.output.h)
        case .avgPool(let p):
            b.add("", .avgPool(p), [Lowering.poolInput(node.inputs[0], p)], node.output, rows: b.output.h)
        case .globalAvgPool:
            b.add("", .globalAverage, [StreamInput(value: node.inputs[0])], node.output, rows: input.h)
        case .conv2d, .fire, .relu, .concat, .add, .dropout, .flatten, .softmax, .activation, .affine, .pad:
            preconditionFailure("\(node.op.name) is not a pool")
        }
    }

    static func firstLiveInputRow() -> ((Int) -> Int)? { nil }
}

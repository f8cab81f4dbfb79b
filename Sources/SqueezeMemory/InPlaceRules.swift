import SqueezeIR

/// Where a step of the layer schedule may write its output over its input:
/// for each kernel, the first input row still needed when (or while) each
/// output row is written, from the order the generated code works in. The
/// planner may then place the output just below the input, shifted by the
/// `RowOverlap` gap, and the plan checker verifies the gap.
///
/// - Fire module: output row r is written after the squeeze rows <= r + 1 are
///   computed, which read input rows <= r + 1; it reads only the squeeze ring
///   while writing. First live input row: r + 2. With a fused max pool,
///   pooled row r follows the concat rows of its window and the squeeze rows
///   one beyond them.
/// Only Fire modules get allowances: there the input is read by the squeeze
/// kernel calls and the output written by other calls (expands, pool), so no
/// single kernel call, whose pointers are `restrict`, touches both. A conv or
/// pool over a whole map reads and writes in one call: overlapping its
/// `restrict` input and output would be undefined behaviour (GCC's -Wrestrict
/// says so), so they get none.
public enum InPlaceRules {
    public static func allowances(_ schedule: ExecutionSchedule) throws(Diagnostic) -> [OverlapAllowance] {
        let graph = schedule.graph
        let lifetimes = Dictionary(schedule.buffers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [OverlapAllowance] = []
        for step in schedule.steps {
            let node = step.node
            guard node.inputs.count == 1, let inputLife = lifetimes[node.inputs[0]], let outputLife = lifetimes[node.output],
                  inputLife.lastUse == step.index, outputLife.firstUse == step.index else { continue }
            let input = try graph.type(of: node.inputs[0])
            let output = try graph.type(of: node.output)
            guard input.shape.isActivation4D, output.shape.isActivation4D,
                  let firstLive = try firstLiveRow(node, input.shape) else { continue }
            let gap = RowOverlap.minimumGap(
                outputRows: output.shape.h, outputRowBytes: output.shape.w * output.shape.c * output.elementType.byteSize,
                inputRows: input.shape.h, inputRowBytes: input.shape.w * input.shape.c * input.elementType.byteSize,
                firstLiveInputRow: firstLive)
            result.append(OverlapAllowance(output: node.output, input: node.inputs[0], minimumGap: gap))
        }
        return result
    }

    /// nil: the op gets no allowance.
    static func firstLiveRow(_ node: Node, _ input: TensorShape) throws(Diagnostic) -> ((Int) -> Int)? {
        switch node.op {
        case .fire(let a):
            let squeezed = try ScratchRules.preActivation(input, a.squeeze, node)
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
        case .conv2d, .maxPool, .relu, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten, .softmax:
            return nil
        }
    }
}

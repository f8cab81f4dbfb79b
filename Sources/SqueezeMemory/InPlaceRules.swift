import SqueezeIR

/// Where a step of the layer schedule may write its output over its input:
/// for each kernel, the first input row still needed when (or while) each
/// output row is written, from the order the generated code works in
/// (`Lowering.firstLiveInputRow`, the rule of each operator family). The
/// planner may then place the output just below the input, shifted by the
/// `RowOverlap` gap, and the plan checker verifies the gap.
/// Only Fire modules get allowances (see `FireLowering`): a conv or pool over
/// a whole map reads and writes in one call whose pointers are `restrict`.
public enum InPlaceRules {
    public static func allowances(_ schedule: ExecutionSchedule) throws(Diagnostic) -> [OverlapAllowance] {
        let graph = schedule.graph
        let lifetimes = Dictionary(schedule.buffers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [OverlapAllowance] = []
        for step in schedule.steps {
            let node = step.node
            let input = BufferID.value(node.inputs[0]), output = BufferID.value(node.output)
            guard node.inputs.count == 1, let inputLife = lifetimes[input], let outputLife = lifetimes[output],
                  inputLife.lastUse == step.index, outputLife.firstUse == step.index else { continue }
            let inputType = try graph.type(of: node.inputs[0])
            let outputType = try graph.type(of: node.output)
            guard inputType.shape.isActivation4D, outputType.shape.isActivation4D,
                  let firstLive = try Lowering.firstLiveInputRow(node, input: inputType.shape) else { continue }
            let gap = RowOverlap.minimumGap(
                outputRows: outputType.shape.h,
                outputRowBytes: outputType.shape.w * outputType.shape.c * outputType.elementType.byteSize,
                inputRows: inputType.shape.h,
                inputRowBytes: inputType.shape.w * inputType.shape.c * inputType.elementType.byteSize,
                firstLiveInputRow: firstLive)
            result.append(OverlapAllowance(output: output, input: input, minimumGap: gap))
        }
        return result
    }
}

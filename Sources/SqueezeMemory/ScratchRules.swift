import SqueezeIR

/// The scratch buffers fused kernels need: rings of rows that let a producer
/// hand rows to its consumer without storing its whole output map.
///
/// - conv + max pool: the conv output, `pool.kernel.h` rows.
/// - Fire: the squeeze output, 3 rows (the 3x3 expand's height); with a
///   fused max pool also the concat output, `pool.kernel.h` rows.
/// - conv + ReLU + global average pool: none (sums go straight to the output).
public enum ScratchRules {
    public static func squeezeRingName(_ node: Node) -> String { node.name + ".squeeze_rows" }
    public static func poolRingName(_ node: Node) -> String { node.name + ".prepool_rows" }

    public static func scratch(for node: Node, step: Int, in graph: Graph) throws(Diagnostic) -> [BufferLifetime] {
        let element = try graph.type(of: node.output).elementType.byteSize
        let input = try graph.type(of: node.inputs[0]).shape
        func ring(_ name: String, rows: Int, height: Int, width: Int, channels: Int) -> BufferLifetime {
            let bytes = min(rows, height) * width * channels * element
            return BufferLifetime(name: name, bytes: ExecutionSchedule.rounded(bytes), firstUse: step, lastUse: step)
        }
        switch node.op {
        case .conv2d(let a):
            guard case .max(let p) = a.pool else { return [] }
            let pre = try preActivation(input, a, node)
            return [ring(poolRingName(node), rows: p.kernel.h, height: pre.h, width: pre.w, channels: a.outChannels)]
        case .fire(let a):
            let squeezed = try preActivation(input, a.squeeze, node)
            var result = [ring(squeezeRingName(node), rows: a.expand3x3.kernel.h, height: squeezed.h, width: squeezed.w,
                               channels: a.squeeze.outChannels)]
            if case .max(let p) = a.pool {
                let expanded = try preActivation(squeezed, a.expand1x1, node)
                result.append(ring(poolRingName(node), rows: p.kernel.h, height: expanded.h, width: expanded.w, channels: a.outChannels))
            }
            return result
        case .relu, .maxPool, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten, .softmax:
            return []
        }
    }

    static func preActivation(_ input: TensorShape, _ a: Conv2DAttributes, _ node: Node) throws(Diagnostic) -> TensorShape {
        guard let oh = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let ow = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { throw .internal("convolution does not fit its input", node: node.name) }
        return .nhwc(input.n, oh, ow, a.outChannels)
    }
}

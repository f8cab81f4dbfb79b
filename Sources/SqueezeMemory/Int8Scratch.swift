import SqueezeIR

/// Arena buffers the int8 kernels need besides the activations, live for the
/// whole inference:
/// - `int8.im2col`: the int16 im2col of two output pixels that the
///   convolution kernels build (Templates/sq_kernels_s8.h,
///   `SQ_S8_SCRATCH_BYTES`), sized for the largest convolution;
/// - `int8.gap.<node>`: the int32 sums of a global average pool (fused or
///   not), 4 bytes per channel.
/// None for fp32 graphs.
public enum Int8Scratch {
    public static let im2colName = "int8.im2col"

    public static func gapName(_ node: String) -> String { "int8.gap." + node }

    /// Bytes of the im2col scratch for one convolution: `SQ_S8_SCRATCH_BYTES`,
    /// two pixels of K4 int16 values, plus K4 bytes of staging when cin is
    /// not a multiple of 4.
    public static func im2colBytes(kernel: Size2, inputChannels: Int) -> Int {
        let k4 = (kernel.h * kernel.w * inputChannels + 3) / 4 * 4
        return k4 * (inputChannels % 4 != 0 ? 5 : 4)
    }

    public static func buffers(for graph: Graph) throws(Diagnostic) -> [(name: String, bytes: Int)] {
        guard graph.quantization != nil else { return [] }
        var im2col = 0
        var result: [(name: String, bytes: Int)] = []
        for node in graph.nodes {
            let input = try graph.type(of: node.inputs[0]).shape
            switch node.op {
            case .conv2d(let a):
                im2col = max(im2col, im2colBytes(kernel: a.kernel, inputChannels: input.c))
                if a.pool == .globalAverage { result.append((gapName(node.name), 4 * a.outChannels)) }
            case .fire(let a):
                im2col = max(im2col, im2colBytes(kernel: a.squeeze.kernel, inputChannels: input.c))
                im2col = max(im2col, im2colBytes(kernel: a.expand1x1.kernel, inputChannels: a.squeeze.outChannels))
                im2col = max(im2col, im2colBytes(kernel: a.expand3x3.kernel, inputChannels: a.squeeze.outChannels))
            case .globalAvgPool:
                result.append((gapName(node.name), 4 * input.c))
            case .relu, .maxPool, .avgPool, .concat, .add, .dropout, .flatten, .softmax:
                break
            }
        }
        if im2col > 0 { result.append((im2colName, im2col)) }
        return result
    }
}

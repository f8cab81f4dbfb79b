import SqueezeIR
import SqueezeMemory

/// The scratch the int8 kernels of Templates/sq_kernels_s8.h request from the
/// planner (the memory module knows no kernel's formula):
/// - `int8.im2col`: the int16 im2col of two output pixels the convolution
///   kernels build (`SQ_S8_SCRATCH_BYTES`), one buffer for all convolutions,
///   sized for the largest;
/// - `int8.gap.<node>`: the int32 sums of a global average pool (fused or
///   not), 4 bytes per channel.
/// - `int8.wdec`: one decoded block of compressed weights
///   (`WeightStoragePlan.decodeScratch`), when a layer is stored compressed.
/// All are live for the whole inference.
public struct S8KernelScratch: KernelScratchProvider {
    public static let library = "int8"
    public static let im2col = BufferID.kernelScratch(KernelScratchKind(library: library, role: .im2col))

    public static func sums(_ node: String) -> BufferID {
        .kernelScratch(KernelScratchKind(library: library, role: .globalAverageSums(node: node)))
    }

    /// The model's compressed layers (their decode scratch).
    public let storage: WeightStoragePlan

    public init(storage: WeightStoragePlan = WeightStoragePlan()) {
        self.storage = storage
    }

    /// Bytes of the im2col scratch for one convolution: `SQ_S8_SCRATCH_BYTES`,
    /// two pixels of K4 int16 values, plus K4 bytes of staging when cin is
    /// not a multiple of 4.
    public static func im2colBytes(kernel: Size2, inputChannels: Int) -> Int {
        let k4 = (kernel.h * kernel.w * inputChannels + 3) / 4 * 4
        return k4 * (inputChannels % 4 != 0 ? 5 : 4)
    }

    public func scratch(for stage: StreamStage, inputShapes: [TensorShape]) throws(Diagnostic) -> [ScratchRequest] {
        func im2col(_ a: Conv2DAttributes, channels: Int) -> ScratchRequest {
            ScratchRequest(id: Self.im2col, bytes: Self.im2colBytes(kernel: a.kernel, inputChannels: channels), alignment: 4,
                           lifetime: .inference)
        }
        func sums(_ channels: Int) -> ScratchRequest {
            ScratchRequest(id: Self.sums(stage.node.name), bytes: 4 * channels, alignment: 4, lifetime: .inference)
        }
        guard let input = inputShapes.first else { throw .internal("stage \(stage.name) has no input shape", node: stage.node.name) }
        let decode = storage.decodeScratch(for: stage, library: Self.library).map { [$0] } ?? []
        return try kernels(stage, input: input, im2col: im2col, sums: sums) + decode
    }

    private func kernels(_ stage: StreamStage, input: TensorShape, im2col: (Conv2DAttributes, Int) -> ScratchRequest,
                         sums: (Int) -> ScratchRequest) throws(Diagnostic) -> [ScratchRequest] {
        switch stage.kind {
        case .conv(let a):
            // Grouped convolutions (sq_gconv_s8) need no im2col.
            return a.isGrouped ? [] : [im2col(a, input.c)]
        case .fireExpand(let a):
            return [im2col(a.expand1x1, input.c), im2col(a.expand3x3, input.c)]
        case .convGlobalAverage(let a):
            return [im2col(a, input.c), sums(a.outChannels)]
        case .globalAverage:
            return [sums(input.c)]
        case .maxPool, .avgPool, .add, .relu, .concat, .copy:
            return []
        case .activation, .affine, .pad:
            return []
        }
    }
}

extension KernelScratchProviders {
    /// The scratch provider of the kernel library a graph compiles with:
    /// int8 for a quantised graph, else fp32 (decode scratch only).
    public static func forGraph(_ graph: Graph) -> any KernelScratchProvider {
        KernelLibraries.library(for: graph).scratch
    }
}

/// Namespace of the kernel libraries' scratch providers.
public enum KernelScratchProviders {}

import SqueezeIR
import SqueezeMemory

/// The scratch the fp32 kernels of Templates/sq_kernels_f32.h request: none
/// for dense weights (a global average sums straight into its output);
/// `fp32.wdec`, one decoded block of compressed weights
/// (`WeightStoragePlan.decodeScratch`), when a layer is stored compressed.
public struct F32KernelScratch: KernelScratchProvider {
    public static let library = "fp32"

    public let storage: WeightStoragePlan

    public init(storage: WeightStoragePlan = WeightStoragePlan()) {
        self.storage = storage
    }

    public func scratch(for stage: StreamStage, inputShapes: [TensorShape]) throws(Diagnostic) -> [ScratchRequest] {
        storage.decodeScratch(for: stage, library: Self.library).map { [$0] } ?? []
    }
}

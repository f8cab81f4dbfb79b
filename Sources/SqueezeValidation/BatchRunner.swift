import Foundation
import SqueezeCodegen
import SqueezeIR

/// A runner that takes many inputs per start of the generated code: one host
/// process, or one QEMU start of one firmware image, per batch
/// (`squeezec eval`). The caller writes the batch's inputs (encoded, NHWC,
/// one after the other) to `batchInput`, then calls `runBatch`. `slot` keeps
/// concurrent batches in the same build directory apart.
public protocol BatchRunner: ModelRunner, Sendable {
    /// Where the inputs of slot `slot`'s next batch go (its folder exists).
    func batchInput(in directory: URL, slot: Int) throws(Diagnostic) -> URL
    /// Runs the last (non-trace) build on the `count` inputs of `batchInput`
    /// and returns one output per input (encoded), in order.
    func runBatch(count: Int, model: GeneratedModel, in directory: URL, slot: Int) throws(Diagnostic) -> [[Float]]
}

extension BatchRunner {
    /// Splits the concatenated outputs of a batch.
    static func split(_ values: [Float], count: Int, each: Int) -> [[Float]] {
        (0..<count).map { Array(values[($0 * each)..<(($0 + 1) * each)]) }
    }
}

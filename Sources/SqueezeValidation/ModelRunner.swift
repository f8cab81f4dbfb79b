import Foundation
import SqueezeCodegen
import SqueezeIR

/// Builds generated C for one target and runs it on inputs. The host runner
/// compiles with the host C compiler; firmware runners cross-compile and run
/// under QEMU.
public protocol ModelRunner {
    var targetName: String { get }
    /// Compiles the generated files in `directory` (normal, or with SQ_TRACE).
    mutating func build(_ model: GeneratedModel, in directory: URL, trace: Bool) throws(Diagnostic)
    /// Runs the last build on one NHWC input; returns the output and, for a
    /// trace build, every traced value.
    func run(_ input: [Float], model: GeneratedModel, in directory: URL) throws(Diagnostic) -> (output: [Float], trace: [(name: String, values: [Float])])
}

extension GeneratedModel {
    var inputCount: Int { graph.inputs[0].type.shape.elementCount }
    var outputCount: Int { graph.valueTypes[graph.outputs[0]]?.shape.elementCount ?? 0 }
}

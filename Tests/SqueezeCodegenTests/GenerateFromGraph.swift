import SqueezeCodegen
import SqueezeIR
import SqueezePipeline

extension CodeGenerator {
    /// The tests' shorthand: compile a loaded fp32 graph (fused by the
    /// pipeline) or a quantised int8 graph, through `CompilePipeline`.
    static func generate(_ graph: Graph, options: CodegenOptions, rowInput: Bool = false) throws(Diagnostic) -> GeneratedModel {
        try CompilePipeline.generate(graph, options: options, rowInput: rowInput)
    }
}

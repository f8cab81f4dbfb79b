import SqueezeIR
import SqueezeMemory
import SqueezePasses

/// `squeezec generate`: fuse, schedule, plan the arena, emit C.
public enum CodeGenerator {
    public static func generate(_ graph: Graph, options: CodegenOptions) throws(Diagnostic) -> GeneratedModel {
        guard CIdentifier.isValidPrefix(options.prefix) else {
            throw .usage("--prefix '\(options.prefix)' is not a C identifier (letters, digits, '_'; starts with a letter; at most 40)")
        }
        let fused = try PassPipeline().run(graph)
        try checkSupported(fused)
        let memory = try PlannedMemory(fused: fused, kind: options.schedule, planner: options.planner)
        let (ordered, schedule, stream, plan, allowances) = (memory.graph, memory.layer, memory.stream, memory.plan, memory.allowances)
        do {
            var emitter = ModelEmitter(graph: ordered, schedule: schedule, stream: stream, plan: plan, options: options,
                                       allowances: allowances)
            let files = try emitter.emit()
            return GeneratedModel(files: files, graph: ordered, schedule: schedule, stream: stream, plan: plan,
                                  weightBytes: emitter.weightBytes, prefix: options.prefix)
        } catch {
            throw .internal("code generation: \(error.message)")
        }
    }

    /// fp32, one NHWC image input, one output.
    static func checkSupported(_ graph: Graph) throws(Diagnostic) {
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw .unsupported("generate needs exactly one input and one output (got \(graph.inputs.count) and \(graph.outputs.count))")
        }
        guard graph.inputs[0].type.shape.isActivation4D, graph.inputs[0].type.shape.n == 1 else {
            throw .unsupported("the input must be one NHWC image, got \(graph.inputs[0].type.shape)")
        }
        for (value, type) in graph.valueTypes where type.elementType != .float32 {
            throw .unsupported("value '\(value)' is \(type.elementType.rawValue); generate supports float32 only so far")
        }
        for (name, constant) in graph.constants where constant.storage.elementType != .float32 {
            throw .unsupported("constant '\(name)' is \(constant.storage.elementType.rawValue); generate supports float32 only so far")
        }
    }
}

import SqueezeIR
import SqueezeMemory

/// `squeezec generate`'s last stage: emit C for a planned model. The
/// pipeline (`SqueezePipeline.CompilePipeline`) fuses, lowers and plans.
public enum CodeGenerator {
    /// `memory` plans the lowered graph (fused fp32, or int8 from
    /// `SqueezeQuant.Quantizer`); its schedule kind decides the emitted schedule.
    public static func generate(_ memory: PlannedMemory, options: CodegenOptions) throws(Diagnostic) -> GeneratedModel {
        try check(memory.graph, options: options)
        if let stream = memory.stream, stream.longestChain.length > SizeLimits.maxStreamedChain {
            let chain = stream.longestChain
            throw .unsupported("the stream schedule would nest \(chain.length) calls at run time (a chain of \(chain.length) streamed layers "
                               + "ending at '\(MessageText.printable(chain.stage))'); the limit is \(SizeLimits.maxStreamedChain), "
                               + "which keeps the stack within MODEL_STACK_BYTES (docs/limits.md): use --schedule layer",
                               node: chain.stage)
        }
        if memory.graph.inputType == .uint8 && memory.stream?.inputRing == nil {
            // The raw rows are converted where they enter the input ring (CompilePipeline plans one).
            throw .usage("--input-type uint8 needs the stream schedule with its input ring (drop --schedule layer)")
        }
        var options = options
        options.schedule = memory.kind
        do {
            var emitter = ModelEmitter(memory: memory, options: options)
            let files = try emitter.emit()
            return GeneratedModel(files: files, graph: memory.graph, schedule: memory.schedule, plan: memory.plan,
                                  weightBytes: emitter.weightBytes, prefix: options.prefix)
        } catch where error.kind == .internal {
            throw .internal("code generation: \(error.message)", node: error.location.node)
        }
    }

    /// Whether C can be generated for `graph` (lowered, not yet planned) with `options`.
    public static func check(_ graph: Graph, options: CodegenOptions) throws(Diagnostic) {
        guard CIdentifier.isValidPrefix(options.prefix) else {
            throw .usage("--prefix '\(options.prefix)' is not a C identifier (letters, digits, '_'; starts with a letter; at most 40)")
        }
        try checkSupported(graph)
    }

    /// fp32 (or int8 from `SqueezeQuant.Quantizer`), one NHWC image input, one output.
    static func checkSupported(_ graph: Graph) throws(Diagnostic) {
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw .unsupported("generate needs exactly one input and one output (got \(graph.inputs.count) and \(graph.outputs.count))")
        }
        guard graph.inputs[0].type.shape.isActivation4D, graph.inputs[0].type.shape.n == 1 else {
            throw .unsupported("the input must be one NHWC image, got \(graph.inputs[0].type.shape)")
        }
        let activation: ElementType = graph.quantization == nil ? .float32 : .int8
        for (value, type) in graph.valueTypes.sorted(by: { $0.key < $1.key }) where type.elementType != activation {
            throw .unsupported("value '\(value)' is \(type.elementType.rawValue); expected \(activation.rawValue) throughout")
        }
        if graph.quantization == nil {
            for (name, constant) in graph.constants.sorted(by: { $0.key < $1.key }) where constant.storage.elementType != .float32 {
                throw .unsupported("constant '\(name)' is \(constant.storage.elementType.rawValue) in an fp32 graph; use --precision int8 to quantise")
            }
        }
    }
}

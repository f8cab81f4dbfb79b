import SqueezeIR
import SqueezeMemory

/// Emits one step of the schedule as a static C function whose sizes are
/// all literal constants, so the always-inline kernels are specialised per
/// layer. Returns the parameters and the call arguments for the run function.
struct StepEmitter {
    struct Emitted {
        var function: String
        /// `(C declaration, call argument)` pairs, in order.
        var parameters: [(String, String)]
        /// Some value or ring argument points into the arena. (Kernel scratch
        /// arguments do not count: the run function has always emitted
        /// `(void)a;` when only they use the arena, and the output is kept.)
        var usesArena: Bool
    }

    /// Where a value's data is, as the run function sees it.
    struct Location {
        /// C expression of the pointer.
        var pointer: String
        var inArena: Bool
    }

    let graph: Graph
    let locate: (String) -> Location
    var weights: WeightTable
    let calls: any KernelLibrary

    /// nil when the step needs no code (a view such as flatten of a 1x1 map).
    /// `scratch`: C pointers of the step's rings and kernel scratch;
    /// `kernelScratch`: the kernel scratch the step's kernels requested.
    /// `inPlace`: the output may overlap the input (an overlap allowance), so
    /// the step's own `in` and `out` are not `restrict` (each kernel call it
    /// makes still touches only one of them).
    mutating func emit(_ step: ScheduledStep, function: String, scratch: [BufferID: String], kernelScratch: [BufferID] = [],
                       inPlace: Bool = false, into p: inout CPrinter) throws(Diagnostic) -> Emitted? {
        let node = step.node
        let outType = try type(node.output)
        let restrict = inPlace ? "" : "SQ_RESTRICT "
        let element = calls.element
        var parameters: [(String, String)] = []
        var usesArena = false
        for (i, input) in node.inputs.enumerated() {
            let location = locate(input)
            usesArena = usesArena || location.inArena
            parameters.append(("const \(element) *" + restrict + (node.inputs.count == 1 ? "in" : "in\(i)"), location.pointer))
        }
        let output = locate(node.output)
        usesArena = usesArena || output.inArena
        parameters.append(("\(element) *" + restrict + "out", output.pointer))
        for ring in step.rings {
            guard let pointer = scratch[ring.id] else { throw Diagnostic.internal("scratch '\(ring.id)' was not placed") }
            parameters.append(("\(element) *SQ_RESTRICT " + Self.parameterName(ring.id), pointer))
            usesArena = true
        }
        if case .flatten = node.op, try isView(node) { return nil }
        for id in kernelScratch {
            guard let pointer = scratch[id] else { throw Diagnostic.internal("kernel scratch '\(id)' was not placed") }
            parameters.append(try Self.kernelScratchParameter(id, pointer: pointer))
        }

        let signature = "static void \(function)(" + parameters.map(\.0).joined(separator: ", ") + ")"
        var body = CPrinter()
        try emitBody(step, outType.shape, &body)
        p.scope(signature) { p in p.raw(indent(body.text)) }
        return Emitted(function: function, parameters: parameters, usesArena: usesArena)
    }

    /// The C parameter of a ring, named by its role.
    static func parameterName(_ ring: BufferID) -> String {
        switch ring {
        case .ring(.squeeze, _): "squeeze_rows"
        case .ring(.prePool, _): "prepool_rows"
        case .value, .ring, .prePoolRow, .handoff, .kernelScratch: CIdentifier.sanitize(ring.description)
        }
    }

    /// The C parameter (declaration, argument) of a kernel scratch buffer, by its role.
    static func kernelScratchParameter(_ id: BufferID, pointer: String) throws(Diagnostic) -> (String, String) {
        guard case .kernelScratch(let kind) = id else { throw Diagnostic.internal("'\(id)' is not kernel scratch") }
        switch kind.role {
        case .im2col: return ("int16_t *SQ_RESTRICT im2col", "(int16_t *)(void *)(\(pointer))")
        case .globalAverageSums: return ("int32_t *SQ_RESTRICT gap_acc", "(int32_t *)(void *)(\(pointer))")
        case .decodedWeights: return ("void *SQ_RESTRICT wdec", "(void *)(\(pointer))")
        }
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    private func type(_ value: String) throws(Diagnostic) -> TensorType {
        guard let type = graph.valueTypes[value] else { throw Diagnostic.internal("value '\(value)' has no type") }
        return type
    }

    private func isView(_ node: Node) throws(Diagnostic) -> Bool {
        let s = try type(node.inputs[0]).shape
        return !s.isActivation4D || (s.h == 1 && s.w == 1)
    }

    // MARK: - Bodies

    private mutating func emitBody(_ step: ScheduledStep, _ out: TensorShape, _ p: inout CPrinter) throws(Diagnostic) {
        let node = step.node
        let input = try type(node.inputs[0]).shape
        switch node.op {
        case .conv2d(let a):
            switch a.pool {
            case nil:
                let (stage, convolutions) = try onlyStage(step)
                try emitWhole(stage, convolutions, out, acc: "out", &p)
            case .max:
                try emitPipeline(step, input, out, &p)
            case .globalAverage:
                guard a.kernel == .square(1), a.stride == .square(1), a.padding.isZero, a.activation == .relu else {
                    throw Diagnostic.internal("global average pool fuses only into a 1x1 convolution with ReLU")
                }
                let (stage, convolutions) = try onlyStage(step)
                let pre = try convShape(input, a)
                let acc = calls.stepAccumulator
                zero(acc, count: a.outChannels, &p)
                try emitWhole(stage, convolutions, out, acc: acc, &p)
                p.line(try calls.gapFinish(acc: acc, out: "out", channels: a.outChannels, pixels: pre.h * pre.w, node: node.name))
            }
        case .fire(let a):
            guard a.pool == nil || step.ring(.prePool) != nil else { throw Diagnostic.internal("a Fire module fuses only a max pool") }
            try emitPipeline(step, input, out, &p)
        case .maxPool:
            let (stage, convolutions) = try onlyStage(step)
            try emitWhole(stage, convolutions, out, acc: "out", &p)
        case .globalAvgPool:
            let (stage, convolutions) = try onlyStage(step)
            let acc = calls.stepAccumulator
            zero(acc, count: input.c, &p)
            try emitWhole(stage, convolutions, out, acc: acc, &p)
            p.line(try calls.gapFinish(acc: acc, out: "out", channels: input.c, pixels: input.h * input.w, node: node.name))
        case .activation(let a) where step.stages.isEmpty:
            // Not a 4-D map (e.g. a Sigmoid after Flatten): all values as one row.
            let flat = TensorShape.nhwc(1, 1, 1, out.elementCount)
            let target = Map(pointer: "out", shape: flat)
            p.line(calls.copyChannels(layer: node.name, source: Map(pointer: "in", shape: flat), target: target, rows: ("0", "1")))
            p.line(try calls.activation(a, node: node.name, target: target, rows: ("0", "1")))
        case .relu, .dropout, .add, .avgPool, .concat, .activation, .affine, .pad:
            let (stage, convolutions) = try onlyStage(step)
            try emitWhole(stage, convolutions, out, acc: "out", &p)
        case .flatten, .softmax:
            try emitFloatOnly(node, input, out, &p)
        }
    }

    /// Ops only some libraries have (the library throws, naming the layer).
    private func emitFloatOnly(_ node: Node, _ input: TensorShape, _ out: TensorShape, _ p: inout CPrinter) throws(Diagnostic) {
        switch node.op {
        case .flatten:
            p.line(try calls.flatten(layer: node.name, input: input, source: "in", target: "out"))
        case .softmax:
            let width = out.dims.last ?? 1
            p.lines(try calls.softmax(layer: node.name, rows: out.elementCount / max(width, 1), width: width, source: "in", target: "out"))
        case .conv2d, .fire, .maxPool, .avgPool, .globalAvgPool, .relu, .dropout, .add, .concat, .activation, .affine, .pad:
            throw Diagnostic.internal("\(node.op.name) is not a float-only op")
        }
    }

    /// A fused step's stages as one row pipeline (`RowPipeline`): each stage
    /// produces its rows into the ring of its internal output (a Fire
    /// module's squeeze rows), the pre-pool ring when a max pool is folded in
    /// (then a pool stage reduces the ring into `out`), or `out`.
    private mutating func emitPipeline(_ step: ScheduledStep, _ input: TensorShape, _ out: TensorShape,
                                       _ p: inout CPrinter) throws(Diagnostic) {
        let node = step.node
        var maps = [node.inputs[0]: Map(pointer: "in", shape: input)]
        for ring in step.rings { maps[ring.value] = Map(pointer: Self.parameterName(ring.id), shape: ring.shape, ring: ring.rows) }
        let target = Map(pointer: "out", shape: out)
        // Each stage's convolutions (their arrays added to the weight table in order).
        let stageEmitter = StageEmitter(calls: calls)
        var convolutions: [[StageEmitter.Convolution]] = []
        for stage in step.stages { convolutions.append(try stageEmitter.convolutions(stage, &weights, graph)) }
        let calls = self.calls
        var stages: [RowPipeline.Stage] = []
        for (stage, convs) in zip(step.stages, convolutions) {
            guard let source = stage.inputs.first.flatMap({ maps[$0.value] }) else {
                throw Diagnostic.internal("stage \(stage.name) reads a value the step does not have")
            }
            var output = maps[stage.output] ?? target
            if stage.pool != nil {
                guard let ring = step.ring(.prePool) else { throw Diagnostic.internal("stage \(stage.name) has no pre-pool ring") }
                output = Map(pointer: Self.parameterName(ring.id), shape: ring.shape, ring: ring.rows)
            }
            let window = stages.isEmpty ? StreamInput(value: "") : stage.inputs[0]
            // Rendered here (library calls can throw), for the row the stage's counter names.
            let counter = Self.counter(stage, node)
            let lines = try stageEmitter.kernelLines(stage, convs, layer: node.name, sources: [source], target: output, acc: "",
                                                     rows: .one(counter))
            stages.append(RowPipeline.Stage(counter: counter, height: stage.computedRows, kernel: window.kernel,
                                            stride: window.stride, padTop: window.padTop) { p, _ in p.lines(lines) })
            if let pool = stage.pool {
                stages.append(RowPipeline.Stage(counter: "row", height: stage.rows, kernel: pool.kernel.h, stride: pool.stride.h,
                                                padTop: pool.padding.top) { p, row in
                    p.line(calls.maxPool(pool, layer: node.name, source: output, target: target, rows: (row, "\(row) + 1")))
                })
            }
        }
        RowPipeline(stages: stages).emit(&p)
    }

    /// The row counter of a stage in a fused step's pipeline.
    static func counter(_ stage: StreamStage, _ node: Node) -> String {
        switch stage.kind {
        case .fireExpand: "e_row"
        case .conv: stage.output == node.output ? "conv_row" : "s_row"
        case .maxPool, .avgPool, .convGlobalAverage, .globalAverage, .add, .relu, .concat, .copy: "row"
        case .activation, .affine, .pad: "row"
        }
    }

    /// The one stage a whole-map step runs, with its convolutions' arrays.
    private mutating func onlyStage(_ step: ScheduledStep) throws(Diagnostic) -> (StreamStage, [StageEmitter.Convolution]) {
        guard step.stages.count == 1, let stage = step.stages.first else {
            throw Diagnostic.internal("step \(step.node.name) lowers to \(step.stages.count) stages, not one")
        }
        return (stage, try StageEmitter(calls: calls).convolutions(stage, &weights, graph))
    }

    /// All rows of a stage at once: from the whole input maps (`in`, or
    /// `in0`, `in1`, ... for several) into the whole output map (global
    /// averages: into the sums `acc`).
    private func emitWhole(_ stage: StreamStage, _ convolutions: [StageEmitter.Convolution], _ out: TensorShape,
                           acc: String, _ p: inout CPrinter) throws(Diagnostic) {
        let node = stage.node
        var sources: [Map] = []
        for (i, name) in node.inputs.enumerated() {
            sources.append(Map(pointer: node.inputs.count == 1 ? "in" : "in\(i)", shape: try type(name).shape))
        }
        p.lines(try StageEmitter(calls: calls).kernelLines(stage, convolutions, layer: node.name, sources: sources,
                                                           target: Map(pointer: "out", shape: out), acc: acc, rows: .all(stage.rows)))
    }

    // MARK: - Calls

    /// A feature map as the kernels see it: pointer (maybe offset to a
    /// channel slice), size, pixel stride and ring rows.
    struct Map {
        var pointer: String
        var h: Int
        var w: Int
        var c: Int
        var stride: Int
        var ring: Int

        init(pointer: String, shape: TensorShape, ring: Int? = nil) {
            self.pointer = pointer
            h = shape.h
            w = shape.w
            c = shape.c
            stride = shape.c
            self.ring = ring ?? shape.h
        }

        func slice(_ offset: Int) -> Map {
            var copy = self
            copy.pointer = offset == 0 ? pointer : "\(pointer) + \(offset)"
            return copy
        }
    }

    private func zero(_ pointer: String, count: Int, _ p: inout CPrinter) {
        p.line("int i;")
        p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("\(pointer)[i] = \(calls.accumulatorZero);") }
    }

    private func convShape(_ input: TensorShape, _ a: Conv2DAttributes) throws(Diagnostic) -> TensorShape {
        guard let h = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let w = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { throw Diagnostic.internal("convolution does not fit its input") }
        return .nhwc(input.n, h, w, a.outChannels)
    }
}

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
    var calls: KernelCalls { KernelCalls(graph: graph) }

    /// nil when the step needs no code (a view such as flatten of a 1x1 map).
    /// `scratch`: C pointers of the step's rings and kernel scratch;
    /// `kernelScratch`: the kernel scratch the step's kernels requested.
    /// `inPlace`: the output may overlap the input (an overlap allowance), so
    /// the step's own `in` and `out` are not `restrict` (each kernel call it
    /// makes still touches only one of them).
    mutating func emit(_ step: ScheduledStep, function: String, scratch: [BufferID: String], kernelScratch: [BufferID] = [],
                       inPlace: Bool = false, into p: inout CPrinter) throws(CodegenError) -> Emitted? {
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
            guard let pointer = scratch[ring.id] else { throw CodegenError("scratch '\(ring.id)' was not placed") }
            parameters.append(("\(element) *SQ_RESTRICT " + Self.parameterName(ring.id), pointer))
            usesArena = true
        }
        if case .flatten = node.op, try isView(node) { return nil }
        for id in kernelScratch {
            guard let pointer = scratch[id] else { throw CodegenError("kernel scratch '\(id)' was not placed") }
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
    static func kernelScratchParameter(_ id: BufferID, pointer: String) throws(CodegenError) -> (String, String) {
        guard case .kernelScratch(let kind) = id else { throw CodegenError("'\(id)' is not kernel scratch") }
        switch kind.role {
        case .im2col: return ("int16_t *SQ_RESTRICT im2col", "(int16_t *)(void *)(\(pointer))")
        case .globalAverageSums: return ("int32_t *SQ_RESTRICT gap_acc", "(int32_t *)(void *)(\(pointer))")
        }
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    private func type(_ value: String) throws(CodegenError) -> TensorType {
        guard let type = graph.valueTypes[value] else { throw CodegenError("value '\(value)' has no type") }
        return type
    }

    private func isView(_ node: Node) throws(CodegenError) -> Bool {
        let s = try type(node.inputs[0]).shape
        return !s.isActivation4D || (s.h == 1 && s.w == 1)
    }

    // MARK: - Bodies

    private mutating func emitBody(_ step: ScheduledStep, _ out: TensorShape, _ p: inout CPrinter) throws(CodegenError) {
        let node = step.node
        let input = try type(node.inputs[0]).shape
        switch node.op {
        case .conv2d(let a):
            switch a.pool {
            case nil:
                let (stage, convolutions) = try onlyStage(step)
                try emitWhole(stage, convolutions, input, out, acc: "out", &p)
            case .max:
                try emitPipeline(step, input, out, &p)
            case .globalAverage:
                guard a.kernel == .square(1), a.stride == .square(1), a.padding.isZero, a.activation == .relu else {
                    throw CodegenError("global average pool fuses only into a 1x1 convolution with ReLU")
                }
                let (stage, convolutions) = try onlyStage(step)
                let pre = try convShape(input, a)
                let acc = calls.isInt8 ? "gap_acc" : "out"
                zero(acc, count: a.outChannels, &p)
                try emitWhole(stage, convolutions, input, out, acc: acc, &p)
                p.line(try calls.gapFinish(acc: acc, out: "out", channels: a.outChannels, pixels: pre.h * pre.w, node: node.name))
            }
        case .fire(let a):
            guard a.pool == nil || step.ring(.prePool) != nil else { throw CodegenError("a Fire module fuses only a max pool") }
            try emitPipeline(step, input, out, &p)
        case .maxPool:
            let (stage, convolutions) = try onlyStage(step)
            try emitWhole(stage, convolutions, input, out, acc: "out", &p)
        case .globalAvgPool:
            let (stage, convolutions) = try onlyStage(step)
            let acc = calls.isInt8 ? "gap_acc" : "out"
            zero(acc, count: input.c, &p)
            try emitWhole(stage, convolutions, input, out, acc: acc, &p)
            p.line(try calls.gapFinish(acc: acc, out: "out", channels: input.c, pixels: input.h * input.w, node: node.name))
        case .relu:
            p.line(copyCall(count: out.elementCount))
            if let q = calls.quantization {
                let zp = (q.values[node.inputs[0]]?.zeroPoint).map { "\($0)" } ?? "-128"
                p.line("int i;")
                p.scope("for (i = 0; i < \(out.elementCount); ++i)") { p in p.line("out[i] = (out[i] < \(zp)) ? (int8_t)(\(zp)) : out[i];") }
            } else {
                p.line("sq_relu_f32(out, \(out.elementCount));")
            }
        case .dropout:
            p.line(copyCall(count: out.elementCount))
        case .add:
            p.line(try calls.add("in0", "in1", out: "out", count: out.elementCount, node: node.name))
        case .avgPool, .concat, .flatten, .softmax:
            guard !calls.isInt8 else { throw CodegenError("\(node.op.name) has no int8 kernel") }
            try emitFloatOnly(node, input, out, &p)
        }
    }

    private func emitFloatOnly(_ node: Node, _ input: TensorShape, _ out: TensorShape, _ p: inout CPrinter) throws(CodegenError) {
        switch node.op {
        case .avgPool(let a):
            p.line("sq_avgpool_f32(in, \(input.h), \(input.w), \(input.c), \(input.h), \(input.c), out, \(out.w), \(out.c), \(out.h), "
                   + "\(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), \(a.padding.top), \(a.padding.left), "
                   + "\(a.padding.bottom), \(a.padding.right), \(a.countIncludePad ? 1 : 0), 0, \(out.h));")
        case .concat:
            var offset = 0
            for (i, name) in node.inputs.enumerated() {
                let s = try type(name).shape
                let target = offset == 0 ? "out" : "out + \(offset)"
                p.line("sq_copy_channels_f32(in\(i), \(s.w), \(s.c), \(s.h), \(s.c), \(target), \(out.c), \(out.h), 0, \(s.h));")
                offset += s.c
            }
        case .flatten:
            p.line("sq_flatten_nchw_f32(in, \(input.h), \(input.w), \(input.c), out);")
        case .softmax:
            let width = out.dims.last ?? 1
            let rows = out.elementCount / max(width, 1)
            if rows == 1 {
                p.line("sq_softmax_f32(in, out, \(width));")
            } else {
                p.line("int r;")
                p.scope("for (r = 0; r < \(rows); ++r)") { p in
                    p.line("sq_softmax_f32(in + r * \(width), out + r * \(width), \(width));")
                }
            }
        case .conv2d, .fire, .maxPool, .globalAvgPool, .relu, .dropout, .add:
            throw CodegenError("\(node.op.name) is not a float-only op")
        }
    }

    /// A fused step's stages as one row pipeline (`RowPipeline`): each stage
    /// produces its rows into the ring of its internal output (a Fire
    /// module's squeeze rows), the pre-pool ring when a max pool is folded in
    /// (then a pool stage reduces the ring into `out`), or `out`.
    private mutating func emitPipeline(_ step: ScheduledStep, _ input: TensorShape, _ out: TensorShape,
                                       _ p: inout CPrinter) throws(CodegenError) {
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
                throw CodegenError("stage \(stage.name) reads a value the step does not have")
            }
            var output = maps[stage.output] ?? target
            if stage.pool != nil {
                guard let ring = step.ring(.prePool) else { throw CodegenError("stage \(stage.name) has no pre-pool ring") }
                output = Map(pointer: Self.parameterName(ring.id), shape: ring.shape, ring: ring.rows)
            }
            let window = stages.isEmpty ? StreamInput(value: "") : stage.inputs[0]
            guard stageEmitter.kernelLines(stage, convs, sources: [source], target: output, acc: "", rows: ("0", "1")) != nil else {
                throw CodegenError("stage \(stage.name) cannot run in a fused step's row pipeline")
            }
            stages.append(RowPipeline.Stage(counter: Self.counter(stage, node), height: stage.computedRows, kernel: window.kernel,
                                            stride: window.stride, padTop: window.padTop) { p, row in
                p.lines(stageEmitter.kernelLines(stage, convs, sources: [source], target: output, acc: "", rows: (row, "\(row) + 1")) ?? [])
            })
            if let pool = stage.pool {
                stages.append(RowPipeline.Stage(counter: "row", height: stage.rows, kernel: pool.kernel.h, stride: pool.stride.h,
                                                padTop: pool.padding.top) { p, row in
                    p.line(calls.maxPool(pool, source: output, target: target, rows: (row, "\(row) + 1")))
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
        }
    }

    /// The one stage a whole-map step runs, with its convolutions' arrays.
    private mutating func onlyStage(_ step: ScheduledStep) throws(CodegenError) -> (StreamStage, [StageEmitter.Convolution]) {
        guard step.stages.count == 1, let stage = step.stages.first else {
            throw CodegenError("step \(step.node.name) lowers to \(step.stages.count) stages, not one")
        }
        return (stage, try StageEmitter(calls: calls).convolutions(stage, &weights, graph))
    }

    /// All rows of a stage at once: from the whole input map into the whole
    /// output map (global averages: into the sums `acc`).
    private func emitWhole(_ stage: StreamStage, _ convolutions: [StageEmitter.Convolution], _ input: TensorShape, _ out: TensorShape,
                           acc: String, _ p: inout CPrinter) throws(CodegenError) {
        guard let lines = StageEmitter(calls: calls).kernelLines(stage, convolutions, sources: [Map(pointer: "in", shape: input)],
                                                                 target: Map(pointer: "out", shape: out), acc: acc,
                                                                 rows: ("0", "\(stage.rows)")) else {
            throw CodegenError("stage \(stage.name) has no whole-map kernels")
        }
        p.lines(lines)
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

    private func copyCall(count: Int) -> String {
        "sq_copy_channels_\(calls.suffix)(in, \(count), 1, 1, 1, out, 1, 1, 0, 1);"
    }

    private func zero(_ pointer: String, count: Int, _ p: inout CPrinter) {
        p.line("int i;")
        p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("\(pointer)[i] = \(calls.isInt8 ? "0" : "0.0f");") }
    }

    private func convShape(_ input: TensorShape, _ a: Conv2DAttributes) throws(CodegenError) -> TensorShape {
        guard let h = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let w = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { throw CodegenError("convolution does not fit its input") }
        return .nhwc(input.n, h, w, a.outChannels)
    }
}

import SqueezeIR
import SqueezeMemory

/// Emits the body of `<prefix>.c` for the row-streaming schedule: one
/// `ensure_<stage>` function per stage that computes rows on demand, pulling
/// the rows it needs from the stages before it, so every value lives in a
/// ring of a few rows (or a shared one-row hand-off buffer) and no large
/// feature map is ever stored.
struct StreamEmitter {
    let graph: Graph
    let stream: StreamSchedule
    let plan: ArenaPlan
    var weights: WeightTable

    typealias Map = StepEmitter.Map

    var stageIndex: [String: Int] {
        Dictionary(uniqueKeysWithValues: stream.stages.enumerated().map { ($1.output, $0) })
    }

    /// C expression (inside a stage function) for a value's buffer base.
    func base(_ value: String) -> String {
        let (owner, storage) = stream.resolve(value)
        switch storage {
        case .graphInput: return "s->in"
        case .graphOutput: return "s->out"
        case .arena, .alias:
            return pointer(arenaBuffer(owner).offset)
        }
    }

    /// The arena buffer holding a value's rows (its ring or a shared hand-off buffer) and its offset.
    func arenaBuffer(_ owner: String) -> (name: String, offset: Int) {
        let buffer = stream.bufferOf[owner] ?? owner
        return (buffer, plan.offsets[buffer] ?? 0)
    }

    /// `s->a + floats` for a byte offset in the arena.
    func pointer(_ offset: Int) -> String {
        offset == 0 ? "s->a" : "s->a + \(offset / 4)"
    }

    func map(_ value: String) -> Map {
        let shape = stream.shapes[value]!
        return Map(pointer: base(value), shape: shape, ring: stream.ringRows[value] ?? shape.h)
    }

    func describe(_ value: String) -> String {
        let (owner, storage) = stream.resolve(value)
        switch storage {
        case .graphInput: return "input buffer"
        case .graphOutput: return "output buffer"
        case .arena, .alias:
            let (buffer, offset) = arenaBuffer(owner)
            let rows = stream.ringRows[owner].map { "\($0) of \(stream.shapes[owner]?.h ?? 0) rows" } ?? "whole"
            let shared = buffer == owner ? "" : " (shared hand-off buffer \(buffer))"
            return "\(rows), arena[\(offset), \(offset + (stream.buffers.first { $0.name == buffer }?.bytes ?? 0)))\(shared)"
        }
    }

    /// All stage functions, in stage order (each calls only earlier ones).
    mutating func emitStages(_ p: inout CPrinter) throws(CodegenError) {
        p.line()
        p.comment(["State of one streamed inference: the caller's buffers, the arena,",
                   "and per stage the output rows completed and the rows computed",
                   "(pre-pool rows when a max pool is fused)."])
        p.scope("typedef struct", trailer: " sq_stream;") { p in
            p.line("const float *in;")
            p.line("float *out;")
            p.line("float *a;")
            p.line("int done[\(stream.stages.count)];")
            p.line("int computed[\(stream.stages.count)];")
        }
        for (index, stage) in stream.stages.enumerated() {
            p.line()
            p.comment(comment(stage, index))
            try emitStage(stage, index, &p)
        }
    }

    func comment(_ stage: StreamStage, _ index: Int) -> [String] {
        var lines = ["Stage \(index): \(stage.name) - \(kindSummary(stage))"]
        lines.append("source layers: " + stage.node.sourceNames.joined(separator: ", "))
        for input in stage.inputs {
            lines.append("input  \(input.value) \(stream.shapes[input.value]?.description ?? "") \(describe(input.value))")
        }
        lines.append("output \(stage.output) \(stream.shapes[stage.output]?.description ?? "") \(describe(stage.output))")
        if stage.pool != nil, let buffer = stream.bufferOf[StreamSchedule.scratchName(stage)] {
            let offset = plan.offsets[buffer] ?? 0
            lines.append("pre-pool row scratch: shared hand-off buffer \(buffer) at arena[\(offset), ...)")
        }
        return lines
    }

    func kindSummary(_ stage: StreamStage) -> String {
        var text: String
        switch stage.kind {
        case .conv(let a): text = "conv \(a.kernel)x\(a.kernel)/\(a.stride) -> \(a.outChannels)" + (a.activation == .relu ? " + ReLU" : "")
        case .fireExpand(let a): text = "expand 1x1 \(a.expand1x1.outChannels) + 3x3 \(a.expand3x3.outChannels) + ReLU into the concat"
        case .maxPool(let p): text = "maxpool \(p.kernel)/\(p.stride)"
        case .avgPool(let p): text = "avgpool \(p.kernel)/\(p.stride)"
        case .convGlobalAverage(let a): text = "conv 1x1 -> \(a.outChannels) + ReLU + global average, row by row"
        case .globalAverage: text = "global average, row by row"
        case .add: text = "add"
        case .relu: text = "relu"
        case .concat: text = "concat"
        case .copy: text = "copy"
        }
        if let pool = stage.pool { text += " + maxpool \(pool.kernel)/\(pool.stride) folded row by row" }
        return text
    }

    private mutating func emitStage(_ stage: StreamStage, _ index: Int, _ p: inout CPrinter) throws(CodegenError) {
        let producers = stageIndex
        let outShape = stream.shapes[stage.output]!
        var weightNames: [String] = []
        var biasNames: [String] = []
        for (i, parameter) in stage.parameters.enumerated() {
            guard let tensor = graph.constants[parameter] else { throw CodegenError("parameter '\(parameter)' is missing") }
            if tensor.shape.rank == 4 {
                weightNames.append(try weights.convWeights(parameter, graph))
            } else if i > 0 {
                biasNames.removeLast()
                biasNames.append(try weights.bias(parameter, graph))
                continue
            }
            biasNames.append("NULL")
        }
        // The row this stage computes writes here: the output ring, or the
        // one-row pre-pool scratch when a pool is fused.
        var target = map(stage.output)
        if stage.pool != nil {
            guard let pre = stream.shapes[StreamDecomposition.prepoolValue(stage.node)],
                  let buffer = stream.bufferOf[StreamSchedule.scratchName(stage)] else {
                throw CodegenError("stage \(stage.name) has no pre-pool scratch")
            }
            target = Map(pointer: pointer(plan.offsets[buffer] ?? 0), shape: pre, ring: 1)
        }
        let function = "ensure_\(index)"
        let profile = Self.cString(stage.node.name)
        let traceValue = graph.valueTypes[stage.output] != nil && !stage.accumulates
        p.scope("static void \(function)(sq_stream *s, int need)") { p in
            p.scope("while (s->done[\(index)] <= need)") { p in
                p.line("const int r = s->done[\(index)];")
                if let pool = stage.pool {
                    let last = "SQ_MIN(r * \(pool.stride.h) + \(pool.kernel.h - 1 - pool.padding.top), \(stage.preRows - 1))"
                    p.scope("while (s->computed[\(index)] <= \(last))") { p in
                        p.line("const int y = s->computed[\(index)];")
                        emitCompute(stage, "y", target: target, weights: weightNames, biases: biasNames, producers: producers, &p)
                        emitFold(stage, pool, target: target, &p)
                        p.line("++s->computed[\(index)];")
                        profileLine(profile, &p)
                    }
                } else {
                    emitCompute(stage, "r", target: target, weights: weightNames, biases: biasNames, producers: producers, &p)
                    p.line("++s->computed[\(index)];")
                    profileLine(profile, &p)
                }
                if traceValue {
                    let row = "\(base(stage.output)) + (r % \(stream.ringRows[stage.output] ?? outShape.h)) * \(outShape.w * outShape.c)"
                    p.line("#ifdef SQ_TRACE")
                    p.line("sq_trace_row(\"\(Self.cString(stage.output))\", r, \(row), \(outShape.w * outShape.c));")
                    p.line("#endif")
                }
                p.line("++s->done[\(index)];")
            }
        }
    }

    private func profileLine(_ name: String, _ p: inout CPrinter) {
        p.line("#ifdef SQ_PROFILE")
        p.line("sq_profile(\"\(name)\");")
        p.line("#endif")
    }

    /// Pulls the input rows row `row` reads, then computes it into `target`.
    private func emitCompute(_ stage: StreamStage, _ row: String, target: Map, weights: [String], biases: [String],
                             producers: [String: Int], _ p: inout CPrinter) {
        for input in stage.inputs {
            guard let source = producers[input.value] else { continue }
            let h = stream.shapes[input.value]!.h
            let last = stage.accumulates ? row : "SQ_MIN(\(row) * \(input.stride) + \(input.kernel - 1 - input.padTop), \(h - 1))"
            p.line("ensure_\(source)(s, \(last));")
        }
        let rows = (row, "\(row) + 1")
        let sources = stage.inputs.map { map($0.value) }
        func rowPointer(_ m: Map) -> String { "\(m.pointer) + (\(row) % \(m.ring)) * \(m.w * m.stride)" }
        switch stage.kind {
        case .conv(let a):
            p.line(StepEmitter.convCall(a, source: sources[0], target: target, w: weights[0], b: biases[0], rows: rows))
        case .fireExpand(let a):
            let offsets = a.channelOffsets
            p.line(StepEmitter.convCall(a.expand1x1, source: sources[0], target: target.slice(offsets.expand1x1),
                                        w: weights[0], b: biases[0], rows: rows))
            p.line(StepEmitter.convCall(a.expand3x3, source: sources[0], target: target.slice(offsets.expand3x3),
                                        w: weights[1], b: biases[1], rows: rows))
        case .maxPool(let a):
            p.line(StepEmitter.maxPoolCall(a, source: sources[0], target: target, rows: rows))
        case .avgPool(let a):
            let s = sources[0]
            p.line("sq_avgpool_f32(\(s.pointer), \(s.h), \(s.w), \(s.stride), \(s.ring), \(s.c), \(target.pointer), \(target.w), "
                   + "\(target.stride), \(target.ring), \(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), \(a.padding.top), "
                   + "\(a.padding.left), \(a.padding.bottom), \(a.padding.right), \(a.countIncludePad ? 1 : 0), \(rows.0), \(rows.1));")
        case .convGlobalAverage(let a):
            let s = sources[0]
            p.line("sq_conv1x1_relu_gap_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(target.pointer), \(a.outChannels), "
                   + "\(weights[0]), \(biases[0]), \(rows.0), \(rows.1));")
        case .globalAverage:
            let s = sources[0]
            p.line("sq_gap_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(target.pointer), \(rows.0), \(rows.1));")
        case .add:
            p.line("sq_add_f32(\(rowPointer(sources[0])), \(rowPointer(sources[1])), \(rowPointer(target)), \(target.w * target.c));")
        case .relu, .copy:
            let s = sources[0]
            p.line("sq_copy_channels_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(target.pointer), \(target.stride), "
                   + "\(target.ring), \(rows.0), \(rows.1));")
            if case .relu = stage.kind { p.line("sq_relu_f32(\(rowPointer(target)), \(target.w * target.c));") }
        case .concat:
            var offset = 0
            for s in sources {
                p.line("sq_copy_channels_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(target.slice(offset).pointer), "
                       + "\(target.stride), \(target.ring), \(rows.0), \(rows.1));")
                offset += s.c
            }
        }
    }

    /// Folds pre-pool row y (in the scratch) into every pooled row whose window holds it.
    private func emitFold(_ stage: StreamStage, _ pool: PoolAttributes, target: Map, _ p: inout CPrinter) {
        let out = map(stage.output)
        let (k, st, pad) = (pool.kernel.h, pool.stride.h, pool.padding.top)
        p.scope("") { p in
            p.line("int q = y + \(pad - k + 1);")
            p.line("q = (q <= 0) ? 0 : (q + \(st - 1)) / \(st);")
            p.scope("for (; q <= SQ_MIN((y + \(pad)) / \(st), \(stage.rows - 1)); ++q)") { p in
                p.line("sq_maxpool_fold_f32(\(target.pointer), \(target.w), \(target.stride), \(target.c), "
                       + "\(out.pointer) + (q % \(out.ring)) * \(out.w * out.stride), \(out.w), \(out.stride), "
                       + "\(pool.kernel.w), \(pool.stride.w), \(pool.padding.left), y == SQ_MAX(q * \(st) - \(pad), 0));")
            }
        }
    }

    /// The run function's streaming part: zero the global-average sums,
    /// pull every sink's last row, finish the averages.
    func emitRun(_ p: inout CPrinter) throws(CodegenError) {
        p.line("sq_stream st;")
        p.line("sq_stream *const s = &st;")
        p.line("int i;")
        p.line("s->in = input;")
        p.line("s->out = output;")
        p.line("s->a = a;")
        p.scope("for (i = 0; i < \(stream.stages.count); ++i)") { p in
            p.line("s->done[i] = 0;")
            p.line("s->computed[i] = 0;")
        }
        for stage in stream.stages where stage.accumulates {
            let c = stream.shapes[stage.output]!.c
            p.scope("for (i = 0; i < \(c); ++i)") { p in p.line("(\(base(stage.output)))[i] = 0.0f;") }
        }
        let consumed = Set(stream.stages.flatMap { $0.inputs.map(\.value) })
        for (index, stage) in stream.stages.enumerated() where !consumed.contains(stage.output) {
            p.line("ensure_\(index)(s, \(stage.rows - 1));")
        }
        for stage in stream.stages where stage.accumulates {
            let input = stream.shapes[stage.inputs[0].value]!
            guard let scale = FloatLiteral.c(1 / Float(input.h * input.w)) else { throw CodegenError("bad scale") }
            p.line("sq_gap_finish_f32(\(base(stage.output)), \(stream.shapes[stage.output]!.c), \(scale));")
            p.line("#ifdef SQ_TRACE")
            p.line("sq_trace(\"\(Self.cString(stage.output))\", \(base(stage.output)), \(stream.shapes[stage.output]!.elementCount));")
            p.line("#endif")
        }
    }

    static func cString(_ text: String) -> String { ModelEmitter.cString(text) }
}

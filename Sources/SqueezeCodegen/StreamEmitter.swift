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
    /// The scratch the kernels requested (int8: im2col, global-average sums).
    let kernelScratch: KernelScratchPlan
    var weights: WeightTable

    typealias Map = StepEmitter.Map

    /// The model's kernel library, with the im2col scratch of the streamed state.
    let calls: any KernelLibrary
    /// The model's prefix (the arrays of a split arena's other regions are named after it).
    let prefix: String
    /// The C type of the caller's row function (`<prefix>_row_source`), used with `--row-input`.
    var rowSource = "sq_row_source"

    init(graph: Graph, stream: StreamSchedule, plan: ArenaPlan, kernelScratch: KernelScratchPlan, weights: WeightTable,
         calls: any KernelLibrary, prefix: String) {
        self.prefix = prefix
        self.graph = graph
        self.stream = stream
        self.plan = plan
        self.kernelScratch = kernelScratch
        self.weights = weights
        var library = calls
        library.im2col = "s->im2col"
        library.decodeScratch = "s->wdec"
        self.calls = library
    }

    /// The sums of an accumulating stage: its output (fp32) or kernel scratch (int8).
    func gapAccumulator(_ stage: StreamStage) -> String {
        let sums = kernelScratch.byNode[stage.node.name]?.first { id in
            if case .kernelScratch(let kind) = id, case .globalAverageSums = kind.role { return true }
            return false
        }
        return calls.streamAccumulator(outputBase: base(stage.output), sums: pointer(sums.flatMap(plan.placement(of:))))
    }

    /// The shared im2col scratch, if the kernels asked for one.
    var im2col: BufferID? {
        kernelScratch.buffers.map(\.id).first { id in
            if case .kernelScratch(let kind) = id, kind.role == .im2col { return true }
            return false
        }
    }

    /// The shared decode scratch of compressed weights, if any layer is compressed.
    var decodeScratch: BufferID? {
        kernelScratch.buffers.map(\.id).first { id in
            if case .kernelScratch(let kind) = id, kind.role == .decodedWeights { return true }
            return false
        }
    }

    var stageIndex: [String: Int] {
        Dictionary(uniqueKeysWithValues: stream.stages.enumerated().map { ($1.output, $0) })
    }

    /// C expression (inside a stage function) for a value's buffer base.
    func base(_ value: String) -> String {
        switch stream.resolve(value).storage {
        case .graphInput: return "s->in"
        case .graphOutput: return "s->out"
        case .arena, .alias:
            return pointer(arenaBuffer(value).flatMap { plan.placement(of: $0.id) })
        }
    }

    /// The arena buffer holding a value's rows (its ring or a shared hand-off buffer) and its offset.
    func arenaBuffer(_ value: String) -> (id: BufferID, offset: Int)? {
        stream.buffer(holding: value).map { ($0, plan.offset(of: $0) ?? 0) }
    }

    /// `s->a + elements` for a byte offset in the arena.
    func pointer(_ placement: Placement?) -> String {
        calls.arenaPointer(placement, base: "s->a", plan: plan, prefix: prefix)
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
            guard let (buffer, _) = arenaBuffer(owner) else { return "?" }
            let rows = stream.ringRows[owner].map { "\($0) of \(stream.shapes[owner]?.h ?? 0) rows" } ?? "whole"
            let shared = buffer == .value(owner) ? "" : " (shared hand-off buffer \(buffer))"
            return "\(rows), \(plan.describe(plan.placement(of: buffer), bytes: stream.lifetime(of: buffer)?.bytes ?? 0))\(shared)"
        }
    }

    /// All stage functions, in stage order (each calls only earlier ones).
    mutating func emitStages(_ p: inout CPrinter) throws(Diagnostic) {
        p.line()
        p.comment(["State of one streamed inference: the caller's buffers, the arena,",
                   "and per stage the output rows completed and the rows computed",
                   "(pre-pool rows when a max pool is fused)."])
        p.scope("typedef struct", trailer: " sq_stream;") { p in
            p.line("const \(graph.inputType == .uint8 ? "uint8_t" : calls.element) *in;")
            p.line("\(calls.element) *out;")
            p.line("\(calls.element) *a;")
            p.lines(calls.streamMembers)
            if decodeScratch != nil { p.line("void *wdec;") }
            if stream.inputRing != nil {
                p.line("\(rowSource) fetch;")
                p.line("void *ctx;")
                p.line("int fetched;")
                p.line("int status;")
            }
            p.line("int done[\(stream.stages.count)];")
            p.line("int computed[\(stream.stages.count)];")
        }
        emitFetch(&p)
        var prepared: [Prepared] = []
        for (index, stage) in stream.stages.enumerated() {
            prepared.append(try prepare(stage, index))
        }
        let sharing = SharedStageKernels(calls: prepared.enumerated().map { ($0, $1.kernels, $1.row) }, parameters: calls.parameters,
                                         arrays: Set(weights.arrays.map(\.cName)), element: calls.element)
        let names = Dictionary(uniqueKeysWithValues: stream.stages.enumerated().map { ($0, $1.name) })
        for (index, stage) in stream.stages.enumerated() {
            p.line()
            var stagePrepared = prepared[index]
            if let group = sharing.group(of: index), let call = sharing.call(stage: index, row: stagePrepared.row) {
                if group.stages.first == index {
                    sharing.emit(group, names: names, &p)
                    p.line()
                }
                stagePrepared.kernels = [call]
                stagePrepared.shared = group
            }
            p.comment(comment(stage, index, shared: stagePrepared.shared))
            emitStage(stage, index, stagePrepared, &p)
        }
    }

    /// With `--row-input`: the function that brings input rows into their
    /// ring, copied from the whole image (`s->in`) or fetched from the
    /// caller's function, in order, each once.
    private func emitFetch(_ p: inout CPrinter) {
        guard let input = stream.inputRing, let shape = stream.shapes[input] ?? graph.valueTypes[input]?.shape else { return }
        let rows = stream.ringRows[input] ?? shape.h
        let count = shape.w * shape.c
        p.line()
        p.comment(["The input \(input) \(shape), row by row into its ring (\(describe(input))):",
                   "copied from the caller's whole image, or fetched from the caller's function",
                   "(rows in order, each once; after a failure the rows are left as they are)."])
        p.scope("static void fetch_input(sq_stream *s, int need)") { p in
            p.scope("while (s->fetched <= need)") { p in
                p.line("\(calls.element) *const dst = \(base(input)) + (s->fetched % \(rows)) * \(count);")
                if graph.inputType == .uint8 {
                    // --input-type uint8: raw pixels converted as they enter the ring (int8: the code v - 128).
                    let convert = calls.isQuantized ? "(int8_t)((int)src[i] - 128)" : "(float)src[i]"
                    p.line("int i;")
                    p.scope("if (s->in != NULL)") { p in
                        p.line("const uint8_t *const src = s->in + (size_t)s->fetched * \(count);")
                        p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("dst[i] = \(convert);") }
                    }
                    p.scope("else if (s->status == 0)") { p in
                        p.comment(["The caller writes the uint8 row at the end of the slot; converting forward",
                                   "in place never overwrites a byte not yet read."])
                        let offset = count * (calls.elementBytes - 1)
                        p.line("uint8_t *const src = (uint8_t *)dst" + (offset == 0 ? ";" : " + \(offset);"))
                        p.scope("if (s->fetch(s->ctx, s->fetched, src) != 0)") { p in p.line("s->status = -3;") }
                        p.scope("else") { p in
                            p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("dst[i] = \(convert);") }
                        }
                    }
                } else {
                    p.scope("if (s->in != NULL)") { p in
                        p.line("const \(calls.element) *const src = s->in + (size_t)s->fetched * \(count);")
                        p.line("int i;")
                        p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("dst[i] = src[i];") }
                    }
                    p.scope("else if (s->status == 0 && s->fetch(s->ctx, s->fetched, dst) != 0)") { p in p.line("s->status = -3;") }
                }
                p.line("++s->fetched;")
            }
        }
    }

    /// A stage's kernel calls and where its row goes, rendered before any
    /// stage is emitted so stages with identical calls can share them
    /// (`SharedStageKernels`).
    struct Prepared {
        /// The row this stage computes writes here: the output ring, or the
        /// one-row pre-pool scratch when a pool is fused.
        var target: Map
        /// The row variable of the calls: `r`, or `y` (pre-pool rows) when a pool is fused.
        var row: String
        var kernels: [String]
        var shared: SharedStageKernels.Group?
    }

    /// Renders the stage's calls (and its fold's, so the parameter structs keep their order).
    private mutating func prepare(_ stage: StreamStage, _ index: Int) throws(Diagnostic) -> Prepared {
        let convolutions = try StageEmitter(calls: calls).convolutions(stage, &weights, graph)
        var target = map(stage.output)
        if stage.pool != nil {
            guard let pre = stream.prePoolShape(stage), let buffer = stream.bufferOf[StreamSchedule.prePoolRow(stage)] else {
                throw Diagnostic.internal("stage \(stage.name) has no pre-pool scratch")
            }
            target = Map(pointer: pointer(plan.placement(of: buffer)), shape: pre, ring: 1)
        }
        let row = stage.pool == nil ? "r" : "y"
        let sources = stage.inputs.map { map($0.value) }
        let kernels = try StageEmitter(calls: calls).kernelLines(stage, convolutions, layer: stage.name, sources: sources, target: target,
                                                                 acc: gapAccumulator(stage), rows: .one(row))
        if let pool = stage.pool {
            var discard = CPrinter()
            emitFold(stage, pool, target: target, &discard)
        }
        return Prepared(target: target, row: row, kernels: kernels, shared: nil)
    }

    func comment(_ stage: StreamStage, _ index: Int, shared: SharedStageKernels.Group? = nil) -> [String] {
        var lines = ["Stage \(index): \(stage.name) - \(kindSummary(stage))"]
        if let shared {
            let others = shared.stages.filter { $0 != index }.map(String.init).joined(separator: ", ")
            lines.append("kernels: \(shared.name), shared with stage\(shared.stages.count > 2 ? "s" : "") \(others)")
        }
        lines.append("source layers: " + stage.node.sourceNames.joined(separator: ", "))
        for input in stage.inputs {
            lines.append("input  \(input.value) \(stream.shapes[input.value]?.description ?? "") \(describe(input.value))")
        }
        lines.append("output \(stage.output) \(stream.shapes[stage.output]?.description ?? "") \(describe(stage.output))")
        if stage.pool != nil, let buffer = stream.bufferOf[StreamSchedule.prePoolRow(stage)] {
            lines.append("pre-pool row scratch: shared hand-off buffer \(buffer) at \(plan.describe(plan.placement(of: buffer), bytes: nil))")
        }
        return lines + ModelEmitter.quantizationLines(stage.node, graph, parameters: stage.parameters, input: stage.inputs.first?.value,
                                                      output: stage.output)
    }

    func kindSummary(_ stage: StreamStage) -> String {
        var text: String
        switch stage.kind {
        case .conv(let a): text = "conv \(a.kernel)x\(a.kernel)/\(a.stride) -> \(a.outChannels)" + (a.activation == .none ? "" : " + " + a.activation.summary)
        case .fireExpand(let a):
            let activation = a.expand1x1.activation == a.expand3x3.activation ? a.expand1x1.activation.summary : "activations"
            text = "expand 1x1 \(a.expand1x1.outChannels) + 3x3 \(a.expand3x3.outChannels) + \(activation) into the concat"
        case .maxPool(let p): text = "maxpool \(p.kernel)/\(p.stride)"
        case .avgPool(let p): text = "avgpool \(p.kernel)/\(p.stride)"
        case .convGlobalAverage(let a): text = "conv 1x1 -> \(a.outChannels) + ReLU + global average, row by row"
        case .globalAverage: text = "global average, row by row"
        case .add: text = "add"
        case .relu: text = "relu"
        case .concat: text = "concat"
        case .copy: text = "copy"
        case .activation(let a): text = a.summary + ", row by row in place"
        case .affine: text = "affine \(AffineBroadcast.of(stage.node, in: graph).summary), row by row in place"
        case .pad(let p): text = "\(stage.node.op.padValue == 0 ? "zero pad" : "pad") \(p), row by row"
        }
        if let pool = stage.pool { text += " + maxpool \(pool.kernel)/\(pool.stride) folded row by row" }
        return text
    }

    private func emitStage(_ stage: StreamStage, _ index: Int, _ prepared: Prepared, _ p: inout CPrinter) {
        let producers = stageIndex
        let outShape = stream.shapes[stage.output]!
        let target = prepared.target
        let function = "ensure_\(index)"
        let profile = Self.cString(stage.node.name)
        let traceValue = graph.valueTypes[stage.output] != nil && !stage.accumulates
        let row = prepared.row
        // int8: the row's kernels in their own function (see SQ_NOINLINE in sq_common.h).
        // Channel copies (a standalone concat) stay inline: they use no kernel stack, and gcc 12
        // at -O1/-O2 was seen to drop the call of such a function (only loads and stores through
        // the state's arena pointer) as if it had no effect.
        let separate = calls.computesRowsApart && !Self.copiesOnly(stage)
        if separate {
            p.scope("static SQ_NOINLINE void compute_\(index)(sq_stream *s, const int \(row))") { p in
                p.lines(prepared.kernels)
                if let pool = stage.pool { emitFold(stage, pool, target: target, &p) }
            }
            p.line()
        }
        func compute(_ p: inout CPrinter) {
            emitPulls(stage, row, producers: producers, &p)
            if separate {
                p.line("compute_\(index)(s, \(row));")
            } else {
                p.lines(prepared.kernels)
                if let pool = stage.pool { emitFold(stage, pool, target: target, &p) }
            }
        }
        p.scope("static void \(function)(sq_stream *s, int need)") { p in
            p.scope("while (s->done[\(index)] <= need)") { p in
                p.line("const int r = s->done[\(index)];")
                if stream.inputRing != nil {
                    p.scope("if (s->status != 0)") { p in p.line("return;") }
                }
                if let pool = stage.pool {
                    let last = "SQ_MIN(r * \(pool.stride.h) + \(pool.kernel.h - 1 - pool.padding.top), \(stage.preRows - 1))"
                    p.scope("while (s->computed[\(index)] <= \(last))") { p in
                        p.line("const int y = s->computed[\(index)];")
                        compute(&p)
                        p.line("++s->computed[\(index)];")
                        profileLine(profile, &p)
                    }
                } else {
                    compute(&p)
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

    /// Pulls the input rows row `row` reads.
    private func emitPulls(_ stage: StreamStage, _ row: String, producers: [String: Int], _ p: inout CPrinter) {
        for input in stage.inputs {
            let fetched = input.value == stream.inputRing
            guard let source = producers[input.value] ?? (fetched ? -1 : nil) else { continue }
            let h = stream.shapes[input.value]!.h
            let last = stage.accumulates ? row : "SQ_MIN(\(row) * \(input.stride) + \(input.kernel - 1 - input.padTop), \(h - 1))"
            p.line(fetched ? "fetch_input(s, \(last));" : "ensure_\(source)(s, \(last));")
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
                p.line(calls.maxPoolFold(pool, layer: stage.name, source: target, accRow: "\(out.pointer) + (q % \(out.ring)) * \(out.w * out.stride)", target: out,
                                         first: "y == SQ_MAX(q * \(st) - \(pad), 0)"))
            }
        }
    }

    /// The run function's streaming part: zero the global-average sums,
    /// pull every sink's last row, finish the averages.
    func emitRun(_ p: inout CPrinter) throws(Diagnostic) {
        p.line("sq_stream st;")
        p.line("sq_stream *const s = &st;")
        p.line("int i;")
        p.line("s->in = input;")
        p.line("s->out = output;")
        p.line("s->a = a;")
        if stream.inputRing != nil {
            p.line("s->fetch = fetch;")
            p.line("s->ctx = ctx;")
            p.line("s->fetched = 0;")
            p.line("s->status = 0;")
        }
        p.lines(calls.streamSetup(im2col: calls.arenaPointer(im2col.flatMap(plan.placement(of:)), base: "a", plan: plan, prefix: prefix)))
        if let decode = decodeScratch {
            p.line("s->wdec = (void *)(\(calls.arenaPointer(plan.placement(of: decode), base: "a", plan: plan, prefix: prefix)));")
        }
        p.scope("for (i = 0; i < \(stream.stages.count); ++i)") { p in
            p.line("s->done[i] = 0;")
            p.line("s->computed[i] = 0;")
        }
        for stage in stream.stages where stage.accumulates {
            let c = stream.shapes[stage.output]!.c
            let acc = gapAccumulator(stage)
            p.scope("for (i = 0; i < \(c); ++i)") { p in p.line("(\(acc))[i] = \(calls.accumulatorZero);") }
        }
        let consumed = Set(stream.stages.flatMap { $0.inputs.map(\.value) })
        for (index, stage) in stream.stages.enumerated() where !consumed.contains(stage.output) {
            p.line("ensure_\(index)(s, \(stage.rows - 1));")
        }
        // Rows no consumer read, in the order the simulator computed them.
        for index in stream.drained {
            p.line("ensure_\(index)(s, \(stream.stages[index].rows - 1));")
        }
        if let input = stream.inputRing, let h = stream.shapes[input]?.h ?? graph.valueTypes[input]?.shape.h {
            p.comment(["Rows no window reads (if any) are fetched too: every row exactly once."])
            p.line("fetch_input(s, \(h - 1));")
            p.scope("if (s->status != 0)") { p in p.line("return s->status;") }
        }
        for stage in stream.stages where stage.accumulates {
            let input = stream.shapes[stage.inputs[0].value]!
            let acc = gapAccumulator(stage)
            p.line(try calls.gapFinish(acc: acc, out: base(stage.output), channels: stream.shapes[stage.output]!.c, pixels: input.h * input.w,
                                       node: stage.node.name))
            p.line("#ifdef SQ_TRACE")
            p.line("sq_trace(\"\(Self.cString(stage.output))\", \(base(stage.output)), \(stream.shapes[stage.output]!.elementCount));")
            p.line("#endif")
        }
    }

    static func cString(_ text: String) -> String { ModelEmitter.cString(text) }

    /// A stage whose row is only channel copies (no kernel with its own stack).
    static func copiesOnly(_ stage: StreamStage) -> Bool {
        switch stage.kind {
        case .concat, .copy: stage.pool == nil
        case .conv, .fireExpand, .maxPool, .avgPool, .convGlobalAverage, .globalAverage, .add, .relu, .activation, .affine, .pad: false
        }
    }
}

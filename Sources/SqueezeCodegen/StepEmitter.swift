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
    }

    let graph: Graph
    let locate: (String) -> String
    var weights: WeightTable

    /// nil when the step needs no code (a view such as flatten of a 1x1 map).
    /// `inPlace`: the output may overlap the input (an overlap allowance), so
    /// the step's own `in` and `out` are not `restrict` (each kernel call it
    /// makes still touches only one of them).
    mutating func emit(_ step: ScheduledStep, function: String, scratch: [String: String], inPlace: Bool = false,
                       into p: inout CPrinter) throws(CodegenError) -> Emitted? {
        let node = step.node
        let outType = try type(node.output)
        let restrict = inPlace ? "" : "SQ_RESTRICT "
        var parameters: [(String, String)] = []
        for (i, input) in node.inputs.enumerated() {
            parameters.append(("const float *" + restrict + (node.inputs.count == 1 ? "in" : "in\(i)"), locate(input)))
        }
        parameters.append(("float *" + restrict + "out", locate(node.output)))
        for buffer in step.scratch {
            guard let pointer = scratch[buffer.name] else { throw CodegenError("scratch '\(buffer.name)' was not placed") }
            parameters.append(("float *SQ_RESTRICT " + Self.scratchParameter(buffer.name), pointer))
        }
        if case .flatten = node.op, try isView(node) { return nil }

        let signature = "static void \(function)(" + parameters.map(\.0).joined(separator: ", ") + ")"
        var body = CPrinter()
        try emitBody(node, outType.shape, &body)
        p.scope(signature) { p in p.raw(indent(body.text)) }
        return Emitted(function: function, parameters: parameters)
    }

    static func scratchParameter(_ bufferName: String) -> String {
        if bufferName.hasSuffix(".squeeze_rows") { return "squeeze_rows" }
        if bufferName.hasSuffix(".prepool_rows") { return "prepool_rows" }
        return CIdentifier.sanitize(bufferName)
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

    private mutating func emitBody(_ node: Node, _ out: TensorShape, _ p: inout CPrinter) throws(CodegenError) {
        let input = try type(node.inputs[0]).shape
        switch node.op {
        case .conv2d(let a):
            let w = try weights.convWeights(node.parameters[0], graph)
            let b = a.hasBias ? try weights.bias(node.parameters[1], graph) : "NULL"
            let pre = try convShape(input, a)
            switch a.pool {
            case nil:
                p.line(Self.convCall(a, source: Map(pointer: "in", shape: input), target: Map(pointer: "out", shape: out), w: w, b: b,
                                rows: ("0", "\(out.h)")))
            case .max(let pool):
                let ring = Map(pointer: "prepool_rows", shape: pre, ring: min(pool.kernel.h, pre.h))
                let conv = RowPipeline.Stage(counter: "conv_row", height: pre.h, kernel: 1, stride: 1, padTop: 0) { p, row in
                    p.line(Self.convCall(a, source: Map(pointer: "in", shape: input), target: ring, w: w, b: b, rows: (row, "\(row) + 1")))
                }
                let poolStage = RowPipeline.Stage(counter: "row", height: out.h, kernel: pool.kernel.h, stride: pool.stride.h,
                                                  padTop: pool.padding.top) { p, row in
                    p.line(Self.maxPoolCall(pool, source: ring, target: Map(pointer: "out", shape: out), rows: (row, "\(row) + 1")))
                }
                RowPipeline(stages: [conv, poolStage]).emit(&p)
            case .globalAverage:
                guard a.kernel == .square(1), a.stride == .square(1), a.padding.isZero, a.activation == .relu else {
                    throw CodegenError("global average pool fuses only into a 1x1 convolution with ReLU")
                }
                zero("out", count: a.outChannels, &p)
                p.line("sq_conv1x1_relu_gap_f32(in, \(input.w), \(input.c), \(input.h), \(input.c), out, \(a.outChannels), \(w), \(b), 0, \(input.h));")
                p.line("sq_gap_finish_f32(out, \(a.outChannels), \(try scale(pre.h * pre.w)));")
            }
        case .fire(let a):
            try emitFire(node, a, input, out, &p)
        case .maxPool(let a):
            p.line(Self.maxPoolCall(a, source: Map(pointer: "in", shape: input), target: Map(pointer: "out", shape: out), rows: ("0", "\(out.h)")))
        case .avgPool(let a):
            p.line("sq_avgpool_f32(in, \(input.h), \(input.w), \(input.c), \(input.h), \(input.c), out, \(out.w), \(out.c), \(out.h), "
                   + "\(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), \(a.padding.top), \(a.padding.left), "
                   + "\(a.padding.bottom), \(a.padding.right), \(a.countIncludePad ? 1 : 0), 0, \(out.h));")
        case .globalAvgPool:
            zero("out", count: input.c, &p)
            p.line("sq_gap_f32(in, \(input.w), \(input.c), \(input.h), \(input.c), out, 0, \(input.h));")
            p.line("sq_gap_finish_f32(out, \(input.c), \(try scale(input.h * input.w)));")
        case .concat:
            var offset = 0
            for (i, name) in node.inputs.enumerated() {
                let s = try type(name).shape
                let target = offset == 0 ? "out" : "out + \(offset)"
                p.line("sq_copy_channels_f32(in\(i), \(s.w), \(s.c), \(s.h), \(s.c), \(target), \(out.c), \(out.h), 0, \(s.h));")
                offset += s.c
            }
        case .add:
            p.line("sq_add_f32(in0, in1, out, \(out.elementCount));")
        case .relu:
            p.line(copyCall(count: out.elementCount))
            p.line("sq_relu_f32(out, \(out.elementCount));")
        case .dropout:
            p.line(copyCall(count: out.elementCount))
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
        }
    }

    /// Fire: squeeze rows stream through a 3-row ring into both expands, which
    /// write their channel slices of the concat output (or of the pre-pool
    /// ring when a max pool is fused).
    private mutating func emitFire(_ node: Node, _ a: FireAttributes, _ input: TensorShape, _ out: TensorShape,
                                   _ p: inout CPrinter) throws(CodegenError) {
        let ranges = a.parameterRanges
        var names: [(String, String)] = []
        for (conv, range) in zip(a.convolutions, ranges) {
            let w = try weights.convWeights(node.parameters[range.lowerBound], graph)
            let b = conv.hasBias ? try weights.bias(node.parameters[range.lowerBound + 1], graph) : "NULL"
            names.append((w, b))
        }
        let squeezed = try convShape(input, a.squeeze)
        let expanded = try convShape(squeezed, a.expand1x1)
        let concat = TensorShape.nhwc(1, expanded.h, expanded.w, a.outChannels)
        let squeezeRing = Map(pointer: "squeeze_rows", shape: squeezed, ring: min(a.expand3x3.kernel.h, squeezed.h))
        var expandTarget = Map(pointer: "out", shape: concat)
        var pool: PoolAttributes?
        if case .max(let attributes) = a.pool {
            pool = attributes
            expandTarget = Map(pointer: "prepool_rows", shape: concat, ring: min(attributes.kernel.h, concat.h))
        } else if a.pool != nil {
            throw CodegenError("a Fire module fuses only a max pool")
        }
        let offsets = a.channelOffsets
        let source = Map(pointer: "in", shape: input)
        let squeezeStage = RowPipeline.Stage(counter: "s_row", height: squeezed.h, kernel: 1, stride: 1, padTop: 0) { p, row in
            p.line(Self.convCall(a.squeeze, source: source, target: squeezeRing, w: names[0].0, b: names[0].1, rows: (row, "\(row) + 1")))
        }
        let e3 = a.expand3x3
        let expandStage = RowPipeline.Stage(counter: "e_row", height: expanded.h, kernel: e3.kernel.h, stride: e3.stride.h,
                                            padTop: e3.padding.top) { p, row in
            p.line(Self.convCall(a.expand1x1, source: squeezeRing, target: expandTarget.slice(offsets.expand1x1),
                            w: names[1].0, b: names[1].1, rows: (row, "\(row) + 1")))
            p.line(Self.convCall(a.expand3x3, source: squeezeRing, target: expandTarget.slice(offsets.expand3x3),
                            w: names[2].0, b: names[2].1, rows: (row, "\(row) + 1")))
        }
        var stages = [squeezeStage, expandStage]
        if let pool {
            let target = Map(pointer: "out", shape: out)
            stages.append(RowPipeline.Stage(counter: "row", height: out.h, kernel: pool.kernel.h, stride: pool.stride.h,
                                            padTop: pool.padding.top) { p, row in
                p.line(Self.maxPoolCall(pool, source: expandTarget, target: target, rows: (row, "\(row) + 1")))
            })
        }
        RowPipeline(stages: stages).emit(&p)
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

    static func convCall(_ a: Conv2DAttributes, source s: Map, target t: Map, w: String, b: String, rows: (String, String)) -> String {
        let relu = a.activation == .relu ? 1 : 0
        if a.kernel == .square(1), a.stride == .square(1), a.padding.isZero {
            return "sq_conv1x1_f32(\(s.pointer), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(t.stride), \(t.ring), "
                + "\(a.outChannels), \(w), \(b), \(relu), \(rows.0), \(rows.1));"
        }
        let outW = OutputSize.conv(input: s.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right) ?? 0
        return "sq_conv_f32(\(s.pointer), \(s.h), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(outW), \(t.stride), \(t.ring), "
            + "\(a.outChannels), \(w), \(b), \(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), "
            + "\(a.padding.top), \(a.padding.left), \(relu), \(rows.0), \(rows.1));"
    }

    static func maxPoolCall(_ a: PoolAttributes, source s: Map, target t: Map, rows: (String, String)) -> String {
        "sq_maxpool_f32(\(s.pointer), \(s.h), \(s.w), \(s.stride), \(s.ring), \(s.c), \(t.pointer), \(t.w), \(t.stride), \(t.ring), "
            + "\(a.kernel.h), \(a.kernel.w), \(a.stride.h), \(a.stride.w), \(a.padding.top), \(a.padding.left), \(rows.0), \(rows.1));"
    }

    private func copyCall(count: Int) -> String {
        "sq_copy_channels_f32(in, \(count), 1, 1, 1, out, 1, 1, 0, 1);"
    }

    private func zero(_ pointer: String, count: Int, _ p: inout CPrinter) {
        p.line("int i;")
        p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("\(pointer)[i] = 0.0f;") }
    }

    private func scale(_ pixels: Int) throws(CodegenError) -> String {
        guard let literal = FloatLiteral.c(1 / Float(pixels)) else { throw CodegenError("bad pooling scale") }
        return literal
    }

    private func convShape(_ input: TensorShape, _ a: Conv2DAttributes) throws(CodegenError) -> TensorShape {
        guard let h = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let w = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { throw CodegenError("convolution does not fit its input") }
        return .nhwc(input.n, h, w, a.outChannels)
    }
}

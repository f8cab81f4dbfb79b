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
    let calls: any KernelLibrary

    /// nil when the step needs no code (a view such as flatten of a 1x1 map).
    /// `inPlace`: the output may overlap the input (an overlap allowance), so
    /// the step's own `in` and `out` are not `restrict` (each kernel call it
    /// makes still touches only one of them).
    mutating func emit(_ step: ScheduledStep, function: String, scratch: [String: String], inPlace: Bool = false,
                       into p: inout CPrinter) throws(CodegenError) -> Emitted? {
        let node = step.node
        let outType = try type(node.output)
        let restrict = inPlace ? "" : "SQ_RESTRICT "
        let element = calls.element
        var parameters: [(String, String)] = []
        for (i, input) in node.inputs.enumerated() {
            parameters.append(("const \(element) *" + restrict + (node.inputs.count == 1 ? "in" : "in\(i)"), locate(input)))
        }
        parameters.append(("\(element) *" + restrict + "out", locate(node.output)))
        for buffer in step.scratch {
            guard let pointer = scratch[buffer.name] else { throw CodegenError("scratch '\(buffer.name)' was not placed") }
            parameters.append(("\(element) *SQ_RESTRICT " + Self.scratchParameter(buffer.name), pointer))
        }
        if case .flatten = node.op, try isView(node) { return nil }
        parameters += try calls.scratchParameters(node, placed: scratch)

        let signature = "static void \(function)(" + parameters.map(\.0).joined(separator: ", ") + ")"
        var body = CPrinter()
        try emitBody(node, outType.shape, &body)
        p.scope(signature) { p in p.raw(indent(body.text)) }
        return Emitted(function: function, parameters: parameters)
    }

    static func convolves(_ node: Node) -> Bool {
        switch node.op {
        case .conv2d, .fire: true
        case .relu, .maxPool, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten, .softmax: false
        }
    }

    static func averagesGlobally(_ node: Node) -> Bool {
        switch node.op {
        case .conv2d(let a): a.pool == .globalAverage
        case .globalAvgPool: true
        case .fire, .relu, .maxPool, .avgPool, .concat, .add, .dropout, .flatten, .softmax: false
        }
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
            let x = try calls.arrays(&weights, weight: node.parameters[0], bias: a.hasBias ? node.parameters[1] : nil, graph)
            let pre = try convShape(input, a)
            switch a.pool {
            case nil:
                p.line(try calls.conv(a, source: Map(pointer: "in", shape: input), target: Map(pointer: "out", shape: out), arrays: x,
                                      rows: ("0", "\(out.h)")))
            case .max(let pool):
                let ring = Map(pointer: "prepool_rows", shape: pre, ring: min(pool.kernel.h, pre.h))
                let calls = self.calls
                let convCall = try calls.conv(a, source: Map(pointer: "in", shape: input), target: ring, arrays: x, rows: ("conv_row", "conv_row + 1"))
                let conv = RowPipeline.Stage(counter: "conv_row", height: pre.h, kernel: 1, stride: 1, padTop: 0) { p, _ in p.line(convCall) }
                let poolStage = RowPipeline.Stage(counter: "row", height: out.h, kernel: pool.kernel.h, stride: pool.stride.h,
                                                  padTop: pool.padding.top) { p, row in
                    p.line(calls.maxPool(pool, layer: node.name, source: ring, target: Map(pointer: "out", shape: out), rows: (row, "\(row) + 1")))
                }
                RowPipeline(stages: [conv, poolStage]).emit(&p)
            case .globalAverage:
                guard a.kernel == .square(1), a.stride == .square(1), a.padding.isZero, a.activation == .relu else {
                    throw CodegenError("global average pool fuses only into a 1x1 convolution with ReLU")
                }
                let acc = calls.stepAccumulator
                zero(acc, count: a.outChannels, &p)
                p.line(try calls.convGlobalAverage(a, source: Map(pointer: "in", shape: input), acc: acc, arrays: x, rows: ("0", "\(input.h)")))
                p.line(try calls.gapFinish(acc: acc, out: "out", channels: a.outChannels, pixels: pre.h * pre.w, node: node.name))
            }
        case .fire(let a):
            try emitFire(node, a, input, out, &p)
        case .maxPool(let a):
            p.line(calls.maxPool(a, layer: node.name, source: Map(pointer: "in", shape: input), target: Map(pointer: "out", shape: out), rows: ("0", "\(out.h)")))
        case .globalAvgPool:
            let acc = calls.stepAccumulator
            zero(acc, count: input.c, &p)
            p.line(calls.gap(layer: node.name, source: Map(pointer: "in", shape: input), acc: acc, rows: ("0", "\(input.h)")))
            p.line(try calls.gapFinish(acc: acc, out: "out", channels: input.c, pixels: input.h * input.w, node: node.name))
        case .relu:
            p.line(copyCall(node, count: out.elementCount))
            p.line(calls.relu("out", count: out.elementCount, value: node.inputs[0]))
        case .dropout:
            p.line(copyCall(node, count: out.elementCount))
        case .add:
            p.line(try calls.add("in0", "in1", out: "out", count: out.elementCount, node: node.name))
        case .avgPool, .concat, .flatten, .softmax:
            try emitFloatOnly(node, input, out, &p)
        }
    }

    /// Ops only some libraries have (the library throws, naming the layer).
    private func emitFloatOnly(_ node: Node, _ input: TensorShape, _ out: TensorShape, _ p: inout CPrinter) throws(CodegenError) {
        switch node.op {
        case .avgPool(let a):
            p.line(try calls.avgPool(a, layer: node.name, source: Map(pointer: "in", shape: input), target: Map(pointer: "out", shape: out),
                                     rows: ("0", "\(out.h)")))
        case .concat:
            var offset = 0
            for (i, name) in node.inputs.enumerated() {
                let s = try type(name).shape
                p.line(try calls.concatCopy(layer: node.name, source: Map(pointer: "in\(i)", shape: s),
                                            target: Map(pointer: "out", shape: out).slice(offset), rows: ("0", "\(s.h)")))
                offset += s.c
            }
        case .flatten:
            p.line(try calls.flatten(layer: node.name, input: input, source: "in", target: "out"))
        case .softmax:
            let width = out.dims.last ?? 1
            p.lines(try calls.softmax(layer: node.name, rows: out.elementCount / max(width, 1), width: width, source: "in", target: "out"))
        case .conv2d, .fire, .maxPool, .globalAvgPool, .relu, .dropout, .add:
            throw CodegenError("\(node.op.name) is not a float-only op")
        }
    }

    /// Fire: squeeze rows stream through a 3-row ring into both expands, which
    /// write their channel slices of the concat output (or of the pre-pool
    /// ring when a max pool is fused).
    private mutating func emitFire(_ node: Node, _ a: FireAttributes, _ input: TensorShape, _ out: TensorShape,
                                   _ p: inout CPrinter) throws(CodegenError) {
        let ranges = a.parameterRanges
        var names: [ConvArrays] = []
        for (conv, range) in zip(a.convolutions, ranges) {
            let weight = node.parameters[range.lowerBound]
            names.append(try calls.arrays(&weights, weight: weight, bias: conv.hasBias ? node.parameters[range.lowerBound + 1] : nil, graph))
        }
        let calls = self.calls
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
        let squeezeCall = try calls.conv(a.squeeze, source: source, target: squeezeRing, arrays: names[0], rows: ("s_row", "s_row + 1"))
        let squeezeStage = RowPipeline.Stage(counter: "s_row", height: squeezed.h, kernel: 1, stride: 1, padTop: 0) { p, _ in
            p.line(squeezeCall)
        }
        let e3 = a.expand3x3
        let expandCalls = [
            try calls.conv(a.expand1x1, source: squeezeRing, target: expandTarget.slice(offsets.expand1x1), arrays: names[1],
                           rows: ("e_row", "e_row + 1")),
            try calls.conv(a.expand3x3, source: squeezeRing, target: expandTarget.slice(offsets.expand3x3), arrays: names[2],
                           rows: ("e_row", "e_row + 1")),
        ]
        let expandStage = RowPipeline.Stage(counter: "e_row", height: expanded.h, kernel: e3.kernel.h, stride: e3.stride.h,
                                            padTop: e3.padding.top) { p, _ in
            p.lines(expandCalls)
        }
        var stages = [squeezeStage, expandStage]
        if let pool {
            let target = Map(pointer: "out", shape: out)
            stages.append(RowPipeline.Stage(counter: "row", height: out.h, kernel: pool.kernel.h, stride: pool.stride.h,
                                            padTop: pool.padding.top) { p, row in
                p.line(calls.maxPool(pool, layer: node.name, source: expandTarget, target: target, rows: (row, "\(row) + 1")))
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

    /// Copies `count` values `in` -> `out` (one row of `count` one-channel pixels).
    private func copyCall(_ node: Node, count: Int) -> String {
        let row = TensorShape.nhwc(1, 1, count, 1)
        return calls.copyChannels(layer: node.name, source: Map(pointer: "in", shape: row), target: Map(pointer: "out", shape: row),
                                  rows: ("0", "1"))
    }

    private func zero(_ pointer: String, count: Int, _ p: inout CPrinter) {
        p.line("int i;")
        p.scope("for (i = 0; i < \(count); ++i)") { p in p.line("\(pointer)[i] = \(calls.accumulatorZero);") }
    }

    private func convShape(_ input: TensorShape, _ a: Conv2DAttributes) throws(CodegenError) -> TensorShape {
        guard let h = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let w = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { throw CodegenError("convolution does not fit its input") }
        return .nhwc(input.n, h, w, a.outChannels)
    }
}

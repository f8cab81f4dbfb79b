import SqueezeIR
import SqueezeMemory

/// Emits the kernel calls that compute rows of one stage (`Lowering`), for
/// both schedules: the stream schedule's stage functions compute one row at
/// a time into rings, the layer schedule's steps compute all rows of a stage
/// at once or row by row in a fused step's pipeline (`StepEmitter`). The
/// calls come from the model's kernel library (`KernelLibrary`).
struct StageEmitter {
    typealias Map = StepEmitter.Map

    /// One convolution of a stage: attributes and const arrays.
    struct Convolution {
        var attributes: Conv2DAttributes
        var arrays: ConvArrays
    }

    let calls: any KernelLibrary

    /// The stage's convolutions with their arrays (weight of rank 4 among the
    /// stage's parameters, then its bias if it has one), added to the weight
    /// table on first use, in order.
    func convolutions(_ stage: StreamStage, _ weights: inout WeightTable, _ graph: Graph) throws(Diagnostic) -> [Convolution] {
        var arrays: [ConvArrays] = []
        var i = 0
        while i < stage.parameters.count {
            let parameter = stage.parameters[i]
            guard let tensor = graph.constants[parameter] else { throw Diagnostic.internal("parameter '\(parameter)' is missing") }
            guard tensor.shape.rank == 4 else { i += 1; continue }
            let next = i + 1 < stage.parameters.count ? stage.parameters[i + 1] : nil
            let bias = next.flatMap { graph.constants[$0]?.shape.rank == 1 ? $0 : nil }
            arrays.append(try calls.arrays(&weights, weight: parameter, bias: bias, graph))
            i += bias == nil ? 1 : 2
        }
        guard arrays.count == stage.convolutions.count else {
            throw Diagnostic.internal("stage \(stage.name) has \(arrays.count) weight arrays for \(stage.convolutions.count) convolutions")
        }
        return zip(stage.convolutions, arrays).map { Convolution(attributes: $0, arrays: $1) }
    }

    /// Which rows of a stage one block of calls computes: one row (a row
    /// counter's C expression; maps may be rings) or all `count` rows of
    /// whole maps at once.
    enum Rows {
        case one(String)
        case all(Int)

        /// `[first, end)` as C expressions.
        var bounds: (String, String) {
            switch self {
            case .one(let row): (row, "\(row) + 1")
            case .all(let count): ("0", "\(count)")
            }
        }
    }

    /// The contiguous values of `rows` of `map` (not a channel slice): the C
    /// pointer to the first and their count. One row of a ring is found by
    /// the row modulo the ring's height.
    static func span(_ map: Map, _ rows: Rows) -> (pointer: String, count: Int) {
        switch rows {
        case .one(let row): ("\(map.pointer) + (\(row) % \(map.ring)) * \(map.w * map.stride)", map.w * map.c)
        case .all(let count): (map.pointer, count * map.w * map.c)
        }
    }

    /// The calls computing `rows` of the stage from `sources` (its inputs, in
    /// order) into `target` (global averages: into the sums `acc`). `layer`
    /// names the parameter structs of calls without weights; `node` is the
    /// source node (int8 adds are quantised per node).
    func kernelLines(_ stage: StreamStage, _ convolutions: [Convolution], layer: String, sources: [Map], target: Map, acc: String,
                     rows: Rows) throws(Diagnostic) -> [String] {
        let bounds = rows.bounds
        switch stage.kind {
        case .conv, .fireExpand:
            var lines: [String] = []
            for (conv, slice) in zip(convolutions, stage.outputSlices) {
                lines.append(try calls.conv(conv.attributes, source: sources[0], target: target.slice(slice), arrays: conv.arrays, rows: bounds))
                let output = calls.convOutput(conv.attributes, source: sources[0], target: target.slice(slice))
                lines += try calls.convEpilogue(conv.attributes, node: stage.node.name, output: output, rows: bounds)
                lines += try calls.convOutputTable(conv.arrays, target: target.slice(slice), channels: conv.attributes.outChannels, rows: bounds)
            }
            return lines
        case .maxPool(let a):
            return [calls.maxPool(a, layer: layer, source: sources[0], target: target, rows: bounds)]
        case .convGlobalAverage(let a):
            return [try calls.convGlobalAverage(a, source: sources[0], acc: acc, arrays: convolutions[0].arrays, rows: bounds)]
        case .globalAverage:
            return [calls.gap(layer: layer, source: sources[0], acc: acc, rows: bounds)]
        case .avgPool(let a):
            return [try calls.avgPool(a, layer: layer, source: sources[0], target: target, rows: bounds)]
        case .copy:
            return [calls.copyChannels(layer: layer, source: sources[0], target: target, rows: bounds)]
        case .relu:
            let out = Self.span(target, rows)
            return [calls.copyChannels(layer: layer, source: sources[0], target: target, rows: bounds),
                    calls.relu(out.pointer, count: out.count, value: stage.inputs[0].value)]
        case .concat:
            var lines: [String] = []
            var offset = 0
            for (source, input) in zip(sources, stage.inputs) {
                lines += try calls.concatCopy(layer: layer, node: stage.node.name, input: input.value, source: source, target: target.slice(offset), rows: bounds)
                offset += source.c
            }
            return lines
        case .activation(let a):
            return [calls.copyChannels(layer: layer, source: sources[0], target: target, rows: bounds),
                    try calls.activation(a, node: stage.node.name, target: target, rows: bounds)]
        case .affine:
            return [calls.copyChannels(layer: layer, source: sources[0], target: target, rows: bounds),
                    try calls.affine(node: stage.node.name, parameters: stage.parameters, target: target, rows: bounds)]
        case .pad(let p):
            return [try calls.pad(p, value: stage.node.op.padValue, layer: layer, input: stage.inputs[0].value, source: sources[0],
                                  target: target, rows: bounds)]
        case .add:
            guard sources.count == 2 else { throw Diagnostic.internal("add stage \(stage.name) has \(sources.count) inputs") }
            let (a, b, out) = (Self.span(sources[0], rows), Self.span(sources[1], rows), Self.span(target, rows))
            return [try calls.add(a.pointer, b.pointer, out: out.pointer, count: out.count, node: stage.node.name)]
        }
    }
}

extension Op {
    /// A pad's fill value (ONNX constant_value), 0 for every other op.
    var padValue: Float {
        if case .pad(_, let value) = self { return value }
        return 0
    }
}

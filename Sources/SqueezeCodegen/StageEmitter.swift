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

    /// The calls computing `rows` of the stage from `sources` (its inputs, in
    /// order) into `target` (global averages: into the sums `acc`), or nil
    /// for the kinds whose code differs between the schedules. `layer` names
    /// the parameter structs of calls without weights.
    func kernelLines(_ stage: StreamStage, _ convolutions: [Convolution], layer: String, sources: [Map], target: Map, acc: String,
                     rows: (String, String)) throws(Diagnostic) -> [String]? {
        switch stage.kind {
        case .conv, .fireExpand:
            var lines: [String] = []
            for (conv, slice) in zip(convolutions, stage.outputSlices) {
                lines.append(try calls.conv(conv.attributes, source: sources[0], target: target.slice(slice), arrays: conv.arrays, rows: rows))
            }
            return lines
        case .maxPool(let a):
            return [calls.maxPool(a, layer: layer, source: sources[0], target: target, rows: rows)]
        case .convGlobalAverage(let a):
            return [try calls.convGlobalAverage(a, source: sources[0], acc: acc, arrays: convolutions[0].arrays, rows: rows)]
        case .globalAverage:
            return [calls.gap(layer: layer, source: sources[0], acc: acc, rows: rows)]
        case .avgPool, .add, .relu, .concat, .copy:
            return nil
        }
    }
}

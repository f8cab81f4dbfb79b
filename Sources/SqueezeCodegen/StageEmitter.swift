import SqueezeIR
import SqueezeMemory

/// Emits the kernel calls that compute rows of one stage (`Lowering`), for
/// both schedules: the stream schedule's stage functions compute one row at
/// a time into rings, the layer schedule's steps compute all rows of a stage
/// at once or row by row in a fused step's pipeline (`StepEmitter`).
struct StageEmitter {
    typealias Map = StepEmitter.Map

    /// One convolution of a stage: attributes, const arrays, quantisation.
    struct Convolution {
        var attributes: Conv2DAttributes
        var arrays: ConvArrays
        var quant: ConvQuantization?
    }

    let calls: KernelCalls

    /// The stage's convolutions with their arrays (weight of rank 4 among the
    /// stage's parameters, then its bias if it has one), added to the weight
    /// table on first use, in order.
    func convolutions(_ stage: StreamStage, _ weights: inout WeightTable, _ graph: Graph) throws(CodegenError) -> [Convolution] {
        var arrays: [(ConvArrays, ConvQuantization?)] = []
        var i = 0
        while i < stage.parameters.count {
            let parameter = stage.parameters[i]
            guard let tensor = graph.constants[parameter] else { throw CodegenError("parameter '\(parameter)' is missing") }
            guard tensor.shape.rank == 4 else { i += 1; continue }
            let next = i + 1 < stage.parameters.count ? stage.parameters[i + 1] : nil
            let bias = next.flatMap { graph.constants[$0]?.shape.rank == 1 ? $0 : nil }
            arrays.append((try calls.arrays(&weights, weight: parameter, bias: bias, graph), try calls.convQuant(parameter)))
            i += bias == nil ? 1 : 2
        }
        guard arrays.count == stage.convolutions.count else {
            throw CodegenError("stage \(stage.name) has \(arrays.count) weight arrays for \(stage.convolutions.count) convolutions")
        }
        return zip(stage.convolutions, arrays).map { Convolution(attributes: $0, arrays: $1.0, quant: $1.1) }
    }

    /// The calls computing `rows` of the stage from `sources` (its inputs, in
    /// order) into `target` (global averages: into the sums `acc`), or nil
    /// for the kinds whose code differs between the schedules.
    func kernelLines(_ stage: StreamStage, _ convolutions: [Convolution], sources: [Map], target: Map, acc: String,
                     rows: (String, String)) -> [String]? {
        switch stage.kind {
        case .conv, .fireExpand:
            return zip(convolutions, stage.outputSlices).map { conv, slice in
                calls.conv(conv.attributes, conv.quant, source: sources[0], target: target.slice(slice), arrays: conv.arrays, rows: rows)
            }
        case .maxPool(let a):
            return [calls.maxPool(a, source: sources[0], target: target, rows: rows)]
        case .convGlobalAverage(let a):
            return [calls.convGlobalAverage(a, convolutions[0].quant, source: sources[0], acc: acc, arrays: convolutions[0].arrays, rows: rows)]
        case .globalAverage:
            return [calls.gap(source: sources[0], acc: acc, rows: rows)]
        case .avgPool, .add, .relu, .concat, .copy:
            return nil
        }
    }
}

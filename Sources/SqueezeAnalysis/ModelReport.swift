import SqueezeIR
import SqueezeMemory

/// Everything `squeezec analyze` shows about a model.
public struct ModelReport: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        public var name: String
        public var op: String
        /// Output shape, NHWC for 4-D values.
        public var shape: [Int]
        public var params: Int
        public var macs: Int
        /// Bytes of the layer's output.
        public var activationBytes: Int

        enum CodingKeys: String, CodingKey {
            case name, op, shape, params, macs
            case activationBytes = "activation_bytes"
        }
    }

    /// One Fire module beside a plain 3x3 convolution with the same input and
    /// output channels (the seed's comparison; weights only, no biases).
    public struct Fire: Sendable, Codable, Equatable {
        public var name: String
        public var inChannels: Int
        public var squeeze: Int
        public var expand1x1: Int
        public var expand3x3: Int
        public var weights: Int
        public var conv3x3Weights: Int
        /// 1 - weights / conv3x3Weights.
        public var reduction: Double

        enum CodingKeys: String, CodingKey {
            case name, squeeze, weights, reduction
            case inChannels = "in_channels"
            case expand1x1 = "expand1x1"
            case expand3x3 = "expand3x3"
            case conv3x3Weights = "conv3x3_weights"
        }
    }

    /// One step of the fused schedule the generated C runs.
    public struct Step: Sendable, Codable, Equatable {
        public var name: String
        public var op: String
        /// The original layers the step computes.
        public var layers: [String]
        public var output: String
        public var shape: [Int]
        /// Row rings and other scratch of this step.
        public var scratchBytes: Int
        public var macs: Int

        enum CodingKeys: String, CodingKey {
            case name, op, layers, output, shape, macs
            case scratchBytes = "scratch_bytes"
        }
    }

    public var model: String
    /// Input shape, NHWC.
    public var input: [Int]
    public var output: [Int]
    public var params: Int
    public var weightBytes: Int
    public var macs: Int
    /// Peak bytes of a layer-by-layer schedule where every layer writes a new
    /// buffer (input image included): what a naive generator allocates.
    public var naiveActivationBytes: Int
    /// The layer at which that peak happens.
    public var naivePeakLayer: String
    public var layers: [Layer]
    public var fireModules: [Fire]
    /// The fused schedule and its arena (what `generate` emits).
    public var schedule: [Step]
    /// Arena bytes the fused schedule needs (scratch included, caller's input
    /// and output buffers excluded).
    public var peakRAMBytes: Int
    /// No placement of the fused schedule's buffers can use less.
    public var lowerBoundBytes: Int
    public var planner: String
    /// The schedule `peakRAMBytes` is for (`stream` or `layer`).
    public var scheduleKind: String
    /// Arena of the layer schedule (whole maps between fused steps).
    public var layerArenaBytes: Int
    /// Arena of the row-streaming schedule (rings and hand-off rows).
    public var streamArenaBytes: Int

    enum CodingKeys: String, CodingKey {
        case model, input, output, params, macs, layers
        case weightBytes = "weight_bytes"
        case naiveActivationBytes = "naive_activation_bytes"
        case naivePeakLayer = "naive_peak_layer"
        case fireModules = "fire_modules"
        case schedule, planner
        case peakRAMBytes = "peak_ram_bytes"
        case lowerBoundBytes = "lower_bound_bytes"
        case scheduleKind = "schedule_kind"
        case layerArenaBytes = "layer_arena_bytes"
        case streamArenaBytes = "stream_arena_bytes"
    }
}

public enum ModelAnalyzer {
    /// `graph`: the model as the user compiles it (loaded fp32, or quantised
    /// int8); `memory`: its planned stage for the chosen schedule, the very
    /// plan `generate` emits; `comparison`: the plan of the other schedule
    /// (reported beside it). Nothing is fused or planned here.
    public static func analyze(_ graph: Graph, memory: PlannedMemory, comparison: PlannedMemory) throws(Diagnostic) -> ModelReport {
        guard memory.kind != comparison.kind else {
            throw .internal("analyze compares the layer and the stream schedule; got \(memory.kind.rawValue) twice")
        }
        let kind = memory.kind
        var layers: [ModelReport.Layer] = []
        for node in graph.nodes {
            let type = try graph.type(of: node.output)
            layers.append(ModelReport.Layer(
                name: node.name, op: node.op.name, shape: type.shape.dims,
                params: CostModel.parameters(of: node, in: graph),
                macs: CostModel.macs(of: node, in: graph),
                activationBytes: type.byteCount))
        }
        let lifetimes = try Lifetimes.unfused(graph)
        let peak = Lifetimes.peakLiveBytes(lifetimes)
        guard let input = graph.inputs.first, let output = graph.outputs.first else {
            throw .input("graph '\(graph.name)' needs an input and an output")
        }
        let fused = memory.graph
        guard let schedule = memory.layer ?? comparison.layer else { throw .internal("analyze has no layer schedule") }
        let chosen = memory.plan
        let plan = kind == .layer ? memory.plan : comparison.plan
        let streamPlan = kind == .stream ? memory.plan : comparison.plan
        var steps: [ModelReport.Step] = []
        for step in schedule.steps {
            steps.append(ModelReport.Step(
                name: step.node.name, op: step.node.op.name, layers: step.node.sourceNames, output: step.node.output,
                shape: try fused.type(of: step.node.output).shape.dims,
                scratchBytes: step.scratch.reduce(0) { $0 + $1.bytes }, macs: CostModel.macs(of: step.node, in: fused)))
        }
        return ModelReport(
            model: graph.name,
            input: input.type.shape.dims,
            output: try graph.type(of: output).shape.dims,
            params: CostModel.totalParameters(graph),
            weightBytes: CostModel.weightBytes(graph),
            macs: CostModel.totalMACs(graph),
            naiveActivationBytes: peak.bytes,
            naivePeakLayer: graph.nodes.isEmpty ? "" : graph.nodes[peak.step].name,
            layers: layers,
            fireModules: try fires(graph),
            schedule: steps,
            peakRAMBytes: chosen.arenaBytes,
            lowerBoundBytes: chosen.lowerBound,
            planner: chosen.strategy,
            scheduleKind: kind.rawValue,
            layerArenaBytes: plan.arenaBytes,
            streamArenaBytes: streamPlan.arenaBytes)
    }

    static func fires(_ graph: Graph) throws(Diagnostic) -> [ModelReport.Fire] {
        try FireModuleMatcher.match(graph).map { (module: FireModule) throws(Diagnostic) -> ModelReport.Fire in
            let squeeze = graph.nodes[module.squeeze]
            let inChannels = try graph.type(of: squeeze.inputs[0]).shape.c
            let s = try graph.type(of: squeeze.output).shape.c
            let e1 = try graph.type(of: graph.nodes[module.expand1x1].output).shape.c
            let e3 = try graph.type(of: graph.nodes[module.expand3x3].output).shape.c
            let weights = FireCost.weights(inChannels: inChannels, squeeze: s, expand1x1: e1, expand3x3: e3)
            let conv = FireCost.conv3x3Weights(inChannels: inChannels, outChannels: e1 + e3)
            return ModelReport.Fire(name: module.name, inChannels: inChannels, squeeze: s, expand1x1: e1, expand3x3: e3,
                                    weights: weights, conv3x3Weights: conv, reduction: 1 - Double(weights) / Double(conv))
        }
    }
}

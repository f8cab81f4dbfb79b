import SqueezeIR

/// The one lowering of a fused node into row stages, used by both
/// schedules: the stream schedule chains the stages of all nodes, the layer
/// schedule runs each node's stages as one step (its internal values kept in
/// rings). One file per operator family (`ConvLowering`, `FireLowering`,
/// `PoolLowering`, `ElementwiseLowering`) produces the stages and the
/// family's in-place rule.
public enum Lowering {
    /// A value only the stages of one node see, such as a Fire module's
    /// squeeze output or the map before a fused max pool.
    public struct InternalValue: Sendable, Hashable {
        public var value: String
        public var role: BufferID.RingRole
        public var shape: TensorShape
        /// Rows the consumer reads at once: the ring a step running the
        /// node's stages as a row pipeline keeps.
        public var window: Int

        /// Rows of the ring (the window, at most the height).
        public var ringRows: Int { min(window, shape.h) }
    }

    /// The stages of one node, in order.
    public struct Lowered: Sendable {
        public var stages: [StreamStage]
        /// Shapes of every value the stages write (internal ones included).
        public var shapes: [String: TensorShape]
        public var internalValues: [InternalValue]
    }

    /// A Fire module's squeeze output: the quantisation point of the same
    /// name (int8 parameters of the value are looked up by it).
    public static func squeezeValue(_ node: Node) -> String { Quantization.squeezePoint(node.name) }
    /// The map before a node's fused (or folded) max pool: the quantisation
    /// point of the convolution's (or concat's) output before the pool.
    public static func prePoolValue(_ node: Node) -> String { Quantization.convPoint(node.name) }

    /// The node's stages, or nil for a node that works on whole tensors
    /// (flatten, softmax, anything not NHWC in and out).
    public static func lower(_ node: Node, in graph: Graph) throws(Diagnostic) -> Lowered? {
        let input = try graph.type(of: node.inputs[0]).shape
        let output = try graph.type(of: node.output).shape
        guard input.isActivation4D, output.isActivation4D else { return nil }
        var builder = Builder(node: node, output: output)
        switch node.op {
        case .conv2d(let a):
            try ConvLowering.lower(a, input: input, &builder)
        case .fire(let a):
            try FireLowering.lower(a, input: input, &builder)
        case .maxPool, .avgPool, .globalAvgPool:
            PoolLowering.lower(input: input, &builder)
        case .add, .relu, .concat, .dropout, .activation, .affine, .pad:
            ElementwiseLowering.lower(&builder)
        case .flatten, .softmax:
            return nil
        }
        return Lowered(stages: builder.stages, shapes: builder.shapes, internalValues: builder.internalValues)
    }

    /// For the layer schedule's in-place rule: the first input row still
    /// needed when (or while) each output row of the node's step is written,
    /// or nil when the node's step may not overlap its output and input.
    public static func firstLiveInputRow(_ node: Node, input: TensorShape) throws(Diagnostic) -> ((Int) -> Int)? {
        switch node.op {
        case .fire(let a):
            try FireLowering.firstLiveInputRow(a, input: input, node: node)
        case .conv2d:
            ConvLowering.firstLiveInputRow()
        case .maxPool, .avgPool, .globalAvgPool:
            PoolLowering.firstLiveInputRow()
        case .add, .relu, .concat, .dropout, .activation, .affine, .pad:
            ElementwiseLowering.firstLiveInputRow()
        case .flatten, .softmax:
            nil
        }
    }

    /// Collects the stages of one node.
    struct Builder {
        let node: Node
        let output: TensorShape
        var stages: [StreamStage] = []
        var shapes: [String: TensorShape] = [:]
        var internalValues: [InternalValue] = []

        init(node: Node, output: TensorShape) {
            self.node = node
            self.output = output
            shapes[node.output] = output
        }

        mutating func add(_ suffix: String, _ kind: StreamStage.Kind, _ inputs: [StreamInput], _ output: String, rows: Int,
                          _ parameters: [String] = [], pool: PoolAttributes? = nil, preRows: Int? = nil) {
            var stage = StreamStage(name: node.name + suffix, kind: kind, node: node, inputs: inputs, output: output, rows: rows,
                                    parameters: parameters, preRows: preRows ?? rows)
            stage.pool = pool
            stages.append(stage)
        }

        mutating func addInternal(_ value: String, _ role: BufferID.RingRole, _ shape: TensorShape, window: Int) {
            shapes[value] = shape
            internalValues.append(InternalValue(value: value, role: role, shape: shape, window: window))
        }
    }

    static func convInput(_ value: String, _ a: Conv2DAttributes) -> StreamInput {
        StreamInput(value: value, kernel: a.kernel.h, stride: a.stride.h, padTop: a.padding.top)
    }

    static func poolInput(_ value: String, _ p: PoolAttributes) -> StreamInput {
        StreamInput(value: value, kernel: p.kernel.h, stride: p.stride.h, padTop: p.padding.top)
    }

    /// The output shape of a convolution before any fused pool.
    static func preActivation(_ input: TensorShape, _ a: Conv2DAttributes, _ node: Node) throws(Diagnostic) -> TensorShape {
        guard let oh = OutputSize.conv(input: input.h, kernel: a.kernel.h, stride: a.stride.h, padBegin: a.padding.top, padEnd: a.padding.bottom),
              let ow = OutputSize.conv(input: input.w, kernel: a.kernel.w, stride: a.stride.w, padBegin: a.padding.left, padEnd: a.padding.right)
        else { throw .internal("convolution does not fit its input", node: node.name) }
        return .nhwc(input.n, oh, ow, a.outChannels)
    }
}

extension Conv2DAttributes {
    func with(activation: Activation) -> Conv2DAttributes {
        var copy = self
        copy.activation = activation
        return copy
    }
}

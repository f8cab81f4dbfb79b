import SqueezeIR

/// How a stage reads one of its inputs: to produce output row r it reads
/// input rows r * stride - padTop ... r * stride - padTop + kernel - 1
/// (clipped to the input).
public struct StreamInput: Sendable, Hashable {
    public var value: String
    public var kernel: Int
    public var stride: Int
    public var padTop: Int

    public init(value: String, kernel: Int = 1, stride: Int = 1, padTop: Int = 0) {
        self.value = value
        self.kernel = kernel
        self.stride = stride
        self.padTop = padTop
    }

    /// The last input row needed for output row `row` (clipped to `height`).
    public func lastRow(for row: Int, height: Int) -> Int {
        min(row * stride - padTop + kernel - 1, height - 1)
    }

    /// The first input row needed for output row `row` (clipped at 0).
    public func firstRow(for row: Int) -> Int {
        max(row * stride - padTop, 0)
    }
}

/// One row producer of the streaming schedule: a fused step is split into
/// stages (a Fire module into its squeeze and its expand pair, a conv with a
/// fused max pool into the conv and the pool), each producing one row of one
/// value at a time from windows of rows of its inputs.
public struct StreamStage: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A convolution (`attributes` without epilogue pool) into `output`.
        case conv(Conv2DAttributes)
        /// A Fire module's two expands into the channel slices of `output`.
        case fireExpand(FireAttributes)
        case maxPool(PoolAttributes)
        case avgPool(PoolAttributes)
        /// 1x1 conv + ReLU summed into a global average (rows are input rows).
        case convGlobalAverage(Conv2DAttributes)
        /// Plain global average pool (rows are input rows).
        case globalAverage
        case add
        case relu
        /// Unfused concat (copies rows into channel slices).
        case concat
        /// Identity copy (dropout, if one survived).
        case copy
        /// Standalone clip / leaky ReLU / sigmoid: rows copied, then mapped in place.
        case activation(Activation)
        /// Per-channel `x * scale[c] + shift[c]` (parameters: scale, shift):
        /// rows copied, then mapped in place.
        case affine
        /// Zero padding: output row r is a padding row or input row r - top
        /// between padding columns (its input window: rows r - top ... r).
        case pad(Padding)
    }

    public var name: String
    public var kind: Kind
    /// The graph node this stage belongs to (profiling and comments group by it).
    public var node: Node
    public var inputs: [StreamInput]
    /// The value this stage writes rows of (a graph value or an internal
    /// value such as `fire2.squeeze`).
    public var output: String
    /// Rows this stage produces (for global averages: input rows consumed).
    public var rows: Int
    /// Parameter names (weights, biases) the stage's kernels use, in order.
    public var parameters: [String]
    /// A max pool fused into the stage: each pre-pool row is computed into a
    /// one-row scratch and folded into the running pooled rows at once, so
    /// the pre-pool map never exists (not even as a ring of k rows).
    public var pool: PoolAttributes? = nil
    /// Rows before the fused pool (== rows without one).
    public var preRows: Int = 0

    /// The rows the stage computes from its inputs: pre-pool rows when a pool
    /// is fused, its output rows otherwise.
    public var computedRows: Int { pool == nil ? rows : preRows }

    /// The input rows read to compute row `row` of `computedRows`.
    public func lastInputRow(_ input: StreamInput, for row: Int, height: Int) -> Int {
        accumulates ? row : input.lastRow(for: row, height: height)
    }

    /// True for the stages that accumulate over all input rows and write
    /// their output once, at the end.
    public var accumulates: Bool {
        switch kind {
        case .convGlobalAverage, .globalAverage: true
        case .conv, .fireExpand, .maxPool, .avgPool, .add, .relu, .concat, .copy: false
        case .activation, .affine, .pad: false
        }
    }

    /// The convolutions the stage's kernels run, in order (their weights and
    /// biases are `parameters`, in the same order).
    public var convolutions: [Conv2DAttributes] {
        switch kind {
        case .conv(let a), .convGlobalAverage(let a): [a]
        case .fireExpand(let a): [a.expand1x1, a.expand3x3]
        case .maxPool, .avgPool, .globalAverage, .add, .relu, .concat, .copy: []
        case .activation, .affine, .pad: []
        }
    }

    /// The first output channel each convolution writes (the expands write
    /// their slices of the concat).
    public var outputSlices: [Int] {
        switch kind {
        case .fireExpand(let a): [a.channelOffsets.expand1x1, a.channelOffsets.expand3x3]
        case .conv, .convGlobalAverage, .maxPool, .avgPool, .globalAverage, .add, .relu, .concat, .copy: [0]
        case .activation, .affine, .pad: [0]
        }
    }
}

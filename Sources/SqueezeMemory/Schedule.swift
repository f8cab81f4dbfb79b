import SqueezeIR

/// A memory schedule of a fused graph: the steps it runs, where every value
/// lives and the arena buffers with their lifetimes. Implemented by the
/// layer schedule (`ExecutionSchedule`) and the stream schedule
/// (`StreamSchedule`); both run the stages of the one `Lowering`.
public protocol Schedule: Sendable {
    var kind: ScheduleKind { get }
    /// The graph in execution order.
    var graph: Graph { get }
    var storage: ValueStorageTable { get }
    /// Arena buffers of activations, rings and hand-off rows (kernel scratch
    /// is added by `PlannedMemory`).
    var buffers: [BufferLifetime] { get }
    /// One name per step, for timelines.
    var stepNames: [String] { get }
    /// The stages whose kernels run, with the step they run at (kernel
    /// scratch requests are made per stage).
    func kernelStages() throws(Diagnostic) -> [ScheduledStage]
    /// The arena buffer holding a value's data (after aliases; its ring or
    /// shared hand-off buffer when streamed), nil for the caller's buffers.
    func buffer(holding value: String) -> BufferID?
    /// Pairs of buffers that may share addresses (in-place execution).
    func allowances() throws(Diagnostic) -> [OverlapAllowance]
}

/// A stage at the step of its schedule that runs it.
public struct ScheduledStage: Sendable {
    public var step: Int
    public var stage: StreamStage
    /// Shapes of the stage's inputs, in order.
    public var inputShapes: [TensorShape]

    public init(step: Int, stage: StreamStage, inputShapes: [TensorShape]) {
        self.step = step
        self.stage = stage
        self.inputShapes = inputShapes
    }
}

extension Schedule {
    /// The storage of a value after following aliases, and the value that owns it.
    public func resolve(_ value: String) -> (owner: String, storage: ValueStorage) {
        storage.resolve(value)
    }

    /// The lifetime of an arena buffer of this schedule.
    public func lifetime(of buffer: BufferID) -> BufferLifetime? {
        buffers.first { $0.id == buffer }
    }
}

import SqueezeIR

/// Scratch memory one kernel asks the planner for, as TensorFlow Lite Micro
/// kernels call `RequestScratchBufferInArena`. Requests with the same `id`
/// are one buffer, as large as the largest request and live for all of them.
public struct ScratchRequest: Sendable, Hashable {
    public enum Lifetime: Sendable, Hashable {
        /// Live during the step of the stage that asks.
        case step
        /// Live for the whole inference (e.g. shared by many steps, or
        /// carried across steps).
        case inference
    }

    /// A `.kernelScratch` identity.
    public var id: BufferID
    public var bytes: Int
    /// Required alignment of the buffer's start (a divisor of the arena alignment).
    public var alignment: Int
    public var lifetime: Lifetime

    public init(id: BufferID, bytes: Int, alignment: Int, lifetime: Lifetime) {
        self.id = id
        self.bytes = bytes
        self.alignment = alignment
        self.lifetime = lifetime
    }
}

/// What a kernel library tells the planner: the scratch each stage's kernels
/// need. Implemented by the code generator's kernel libraries; the memory
/// module knows no kernel's formula.
public protocol KernelScratchProvider: Sendable {
    /// The requests of one stage's kernels. `inputShapes`: the shapes of
    /// `stage.inputs`, in order.
    func scratch(for stage: StreamStage, inputShapes: [TensorShape]) throws(Diagnostic) -> [ScratchRequest]
}

/// Kernels that need no scratch (planning tests; the fp32 library asks only
/// to decode compressed weights, `F32KernelScratch`).
public struct NoKernelScratch: KernelScratchProvider {
    public init() {}

    public func scratch(for stage: StreamStage, inputShapes: [TensorShape]) throws(Diagnostic) -> [ScratchRequest] { [] }
}

/// The kernel scratch buffers of a schedule: every stage's requests, merged.
public struct KernelScratchPlan: Sendable {
    /// One buffer per requested identity, ordered by name.
    public var buffers: [BufferLifetime]
    /// The scratch each node's kernels use, in the order they first asked.
    public var byNode: [String: [BufferID]]

    /// `lastStep`: the schedule's last step (the end of `.inference` lifetimes).
    public init(_ schedule: any Schedule, provider: any KernelScratchProvider, lastStep: Int) throws(Diagnostic) {
        var merged: [BufferID: BufferLifetime] = [:]
        var byNode: [String: [BufferID]] = [:]
        for scheduled in try schedule.kernelStages() {
            for request in try provider.scratch(for: scheduled.stage, inputShapes: scheduled.inputShapes) {
                guard case .kernelScratch = request.id else {
                    throw .internal("kernel scratch '\(request.id)' must be a kernel scratch identity", node: scheduled.stage.node.name)
                }
                guard request.alignment > 0, ExecutionSchedule.alignment % request.alignment == 0 else {
                    throw .unsupported("kernel scratch '\(request.id)' needs \(request.alignment)-byte alignment; the arena "
                                       + "aligns buffers at \(ExecutionSchedule.alignment)", node: scheduled.stage.node.name)
                }
                let (first, last) = request.lifetime == .inference ? (0, lastStep) : (scheduled.step, scheduled.step)
                let bytes = ExecutionSchedule.rounded(request.bytes)
                if let old = merged[request.id] {
                    merged[request.id] = BufferLifetime(id: request.id, bytes: max(old.bytes, bytes), firstUse: min(old.firstUse, first),
                                                        lastUse: max(old.lastUse, last))
                } else {
                    merged[request.id] = BufferLifetime(id: request.id, bytes: bytes, firstUse: first, lastUse: last)
                }
                let node = scheduled.stage.node.name
                if byNode[node]?.contains(request.id) != true { byNode[node, default: []].append(request.id) }
            }
        }
        buffers = merged.values.sorted { $0.name < $1.name }
        self.byNode = byNode
    }
}

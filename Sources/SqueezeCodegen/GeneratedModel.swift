import SqueezeIR
import SqueezeMemory

/// The result of code generation: the files plus what the tools report.
public struct GeneratedModel: Sendable {
    public var files: [GeneratedFile]
    /// The optimised (fused) graph the code implements.
    public var graph: Graph
    /// The schedule the code runs (layer or stream).
    public var schedule: any Schedule
    public var plan: ArenaPlan
    /// Bytes of the const arrays (packed weights, padded to blocks of 4 channels).
    public var weightBytes: Int
    public var prefix: String

    public var arenaBytes: Int { plan.arenaBytes }

    /// Bytes of the caller's input and output buffers (with `--row-input`
    /// no input buffer: the rows go into the arena's ring).
    public var inputBytes: Int { inputRing != nil ? 0 : inputImageBytes }
    public var outputBytes: Int { (graph.valueTypes[graph.outputs[0]]?.shape.elementCount ?? 0) * (graph.quantization == nil ? 4 : 1) }
    /// RAM besides the stack: the arena and the caller's input and output buffers.
    public var ramBytes: Int { arenaBytes + inputBytes + outputBytes }
    /// The RAM sum in words: "arena A + input I + output O", or with
    /// `--row-input` "arena A with the R-byte input ring + output O".
    public var ramTerms: String { Self.ramTerms(arena: arenaBytes, input: inputBytes, output: outputBytes, ring: inputRing?.bytes) }

    static func ramTerms(arena: Int, input: Int, output: Int, ring: Int?) -> String {
        guard let ring else { return "arena \(arena) + input \(input) + output \(output)" }
        return "arena \(arena) with the \(ring)-byte input ring + output \(output)"
    }

    public var scheduleKind: ScheduleKind { schedule.kind }

    /// The streaming schedule, when the code streams.
    public var stream: StreamSchedule? { schedule as? StreamSchedule }
    /// The layer schedule, when the code runs one fused step after another.
    public var layer: ExecutionSchedule? { schedule as? ExecutionSchedule }

    /// With `--row-input`: the input ring's rows and bytes (part of the arena).
    public var inputRing: (rows: Int, bytes: Int)? { stream?.inputRingSize }

    /// Bytes of one whole input image (what `<prefix>_run` reads).
    public var inputImageBytes: Int {
        graph.inputType == .uint8 ? graph.inputs[0].type.shape.elementCount : graph.inputs[0].type.byteCount
    }
}

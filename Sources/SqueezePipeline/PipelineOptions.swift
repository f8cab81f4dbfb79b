import SqueezeMemory
import SqueezePasses

/// Everything the compile pipeline needs besides the code generator's options.
public struct PipelineOptions: Sendable {
    public var source: ModelSource
    public var precision: Precision
    public var calibration: CalibrationOptions
    public var schedule: ScheduleKind
    public var planner: any ArenaPlanner
    /// The fusion passes (run once, by `CompilePipeline.fuse`).
    public var passes: PassPipeline

    public init(source: ModelSource, precision: Precision = .fp32, calibration: CalibrationOptions = CalibrationOptions(),
                schedule: ScheduleKind = .stream, planner: any ArenaPlanner = SearchPlanner(), passes: PassPipeline = PassPipeline()) {
        self.source = source
        self.precision = precision
        self.calibration = calibration
        self.schedule = schedule
        self.planner = planner
        self.passes = passes
    }
}

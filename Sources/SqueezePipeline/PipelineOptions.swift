import SqueezeFrontend
import SqueezeMemory
import SqueezePasses

/// Numeric precision of the compiled model.
public enum Precision: String, Sendable, CaseIterable {
    case fp32
    case int8
}

/// Where the model comes from: a built-in SqueezeNet (with its
/// hyper-parameters) or an `.onnx` path, and optional trained weights.
public struct ModelSource: Sendable {
    /// `squeezenet1.0`, `squeezenet1.1` or a path to an `.onnx` file.
    public var name: String
    public var config: SqueezeNetConfig
    /// An `.npz` of trained fp32 weights.
    public var weights: String?

    public init(name: String, config: SqueezeNetConfig = SqueezeNetConfig(version: .v1_1), weights: String? = nil) {
        self.name = name
        self.config = config
        self.weights = weights
    }
}

/// How an int8 model is calibrated.
public struct CalibrationOptions: Sendable {
    /// Folder of representative inputs; nil: seeded noise.
    public var folder: String?
    /// `minmax`, `percentile[:P]` or `mse` (parsed when the model is lowered).
    public var method: String

    /// Seeded noise inputs used without a folder.
    public static let noiseCount = 8

    public init(folder: String? = nil, method: String = "minmax") {
        self.folder = folder
        self.method = method
    }
}

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

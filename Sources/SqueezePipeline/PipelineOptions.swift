import SqueezeIR
import SqueezeMemory
import SqueezePasses
import SqueezeQuant

/// Everything the compile pipeline needs besides the code generator's options.
public struct PipelineOptions: Sendable {
    public var source: ModelSource
    public var precision: Precision
    public var calibration: CalibrationOptions
    public var schedule: ScheduleKind
    /// Command-line preprocessing options, over the model's own (its ONNX
    /// metadata) or the standard one (`Preprocessing.standard`).
    public var preprocessing: PreprocessingOverrides
    public var planner: any ArenaPlanner
    /// The fusion passes (run once, by `CompilePipeline.fuse`).
    public var passes: PassPipeline
    /// Post-training pruning and weight sharing (`--prune`, `--codebook`),
    /// applied to the loaded weights so the reference, calibration and
    /// the generated C all run the modified weights.
    public var compression: CompressionOptions
    /// RAM regions the arena may be split over, fastest first (a board
    /// whose description puts the arena in several regions); empty: one arena.
    public var arenaRegions: [ArenaRegion] = []
    /// `--row-input`: the generated code fetches the input a row at a time
    /// from a caller's function into a ring in the arena (stream schedule).
    public var rowInput = false
    /// `--input-type`: `uint8` folds the preprocessing into the first
    /// convolution (`InputNormalisationFolding`, when the model loads) and the
    /// generated C takes raw 0...255 pixels (stream schedule only).
    public var inputType: InputType = .float

    public init(source: ModelSource, precision: Precision = .fp32, calibration: CalibrationOptions = CalibrationOptions(),
                schedule: ScheduleKind = .stream, planner: any ArenaPlanner = SearchPlanner(), passes: PassPipeline = PassPipeline(),
                preprocessing: PreprocessingOverrides = PreprocessingOverrides(), compression: CompressionOptions = CompressionOptions()) {
        self.compression = compression
        self.preprocessing = preprocessing
        self.source = source
        self.precision = precision
        self.calibration = calibration
        self.schedule = schedule
        self.planner = planner
        self.passes = passes
    }
}

import ArgumentParser
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import SqueezePipeline
import SqueezeQuant

/// MODEL and the options every model-reading subcommand shares.
struct ModelOptions: ParsableArguments {
    @Argument(help: "A built-in model (squeezenet1.0, squeezenet1.1) or a path to an .onnx file.")
    var model: String

    @Option(help: "Input height and width in pixels.")
    var inputSize: Int = 224

    @Option(help: "Number of output classes.")
    var classes: Int = 1000

    @Option(help: "Squeeze ratio SR: squeeze filters / expand filters.")
    var squeezeRatio: Double = 0.125

    @Option(name: .customLong("pct3x3"), help: "Fraction of expand filters that are 3x3 (pct_3x3).")
    var pct3x3: Double = 0.5

    @Option(name: .customLong("base-e"), help: "Expand filters in the first Fire module (base_e).")
    var baseE: Int = 128

    @Option(name: .customLong("incr-e"), help: "Expand filters added every --freq Fire modules (incr_e).")
    var incrE: Int = 128

    @Option(help: "Fire modules between expand-size increases (freq).")
    var freq: Int = 2

    @Option(help: "Bypass connections: none, simple or complex (paper, Section 6).")
    var bypass: SqueezeNetConfig.Bypass = .none

    @Flag(help: "Append a softmax: outputs are probabilities instead of logits.")
    var softmax = false

    @Option(help: "Seed of the built-in deterministic weights.")
    var seed: UInt64 = 1

    @Option(help: "Trained weights: an .npz of float32 arrays in PyTorch layout (see docs/weights.md).")
    var weights: String?

    @Option(help: "Memory schedule of the generated code: stream (rows flow through small rings; default) or layer (whole maps between fused steps).")
    var schedule: ScheduleKind = .stream

    @Flag(name: .customLong("row-input"), help: "Stream schedule: the generated code also takes its input a row at a time from a function you give (<prefix>_run_rows), into a ring in the arena, so the whole input image never needs to be in RAM; see docs/generated-c.md.")
    var rowInput = false

    @Flag(help: "List every node of a pre-flight report (unsupported nodes), not just the summary.")
    var verbose = false

    @Option(name: .customLong("input-type"), help: ArgumentHelp("What the generated C takes: float (normalised values; default) or uint8 (raw 0-255 pixels, NHWC, resized and in channel order but not scaled or normalised: the mean/std/scale are folded into the first convolution; stream schedule); see docs/preprocessing.md.", valueName: "float|uint8"))
    var inputType: InputType = .float

    @Option(help: "Numeric precision of the compiled model: fp32 (default) or int8 (calibrated, per-channel weights).")
    var precision: Precision = .fp32

    @Option(help: "int8: folder of representative inputs for calibration (.npy or .pb tensors [1,3,H,W] float32 normalised, or .png/.ppm/.pgm/.pnm images, preprocessed as the model says: docs/preprocessing.md). Without it, seeded noise is used.")
    var calibrate: String?

    @Option(name: .customLong("calibration"), help: "int8: how activation ranges are chosen: minmax (default), percentile[:P] (default P 99.99) or mse.")
    var calibrationMethod: String?

    @Option(help: "int8: load a calibration result written by 'squeezec calibrate' instead of calibrating (checked against the model; replaces --calibrate and --calibration).")
    var quantization: String?

    @Option(help: ArgumentHelp("Post-training magnitude pruning: zero this fraction of each conv layer's weights (smallest |w| first), in [0, 1); see docs/compression.md.", valueName: "sparsity"))
    var prune: Double?

    @Option(help: ArgumentHelp("Post-training weight sharing: each conv layer's weights become 2^BITS shared values (seeded k-means), BITS 2...8; see docs/compression.md.", valueName: "bits"))
    var codebook: Int?

    @Option(name: .customLong("weight-format"),
            help: ArgumentHelp("How the C stores conv weights: auto (per layer the smallest exact format the kernels decode, when it saves a quarter or more; default) or dense; see docs/compression.md.",
                               valueName: "auto|dense"))
    var weightFormat: WeightStoragePolicy = .auto

    @Option(name: .customLong("decode-scratch"),
            help: ArgumentHelp("RAM for decoding compressed conv weights, in bytes (default 8192; each layer still decodes at least 4 fp32 or 2 int8 output channels at a time): smaller saves arena, larger runs faster; see docs/compression.md.",
                               valueName: "bytes"))
    var decodeScratch: Int?

    @Option(name: .customLong("prune-layer"), help: ArgumentHelp("Per-layer pruning, over --prune (repeatable): NAME a conv layer as 'analyze' prints it (conv1, fire9/expand3x3) or its weight (conv1.weight, or conv1 for an ONNX export's conv1.weight); 0 leaves it dense.", valueName: "name=sparsity"))
    var pruneLayers: [String] = []

    @Option(name: .customLong("codebook-layer"), help: ArgumentHelp("Per-layer weight sharing, over --codebook (repeatable): BITS 2...8, or none to leave the layer unshared.", valueName: "name=bits"))
    var codebookLayers: [String] = []

    /// The compression options; malformed overrides are usage errors (names are checked against the model when it loads).
    func compression() throws(Diagnostic) -> CompressionOptions {
        var options = CompressionOptions(sparsity: prune, codebookBits: codebook, storage: weightFormat, decodeScratch: decodeScratch)
        for text in pruneLayers { try options.addPruneOverride(text) }
        for text in codebookLayers { try options.addCodebookOverride(text) }
        return options
    }

    func validate() throws {
        do {
            try compression().check()
        } catch {
            throw ValidationError(error.message)
        }
        if rowInput && schedule == .layer {
            throw ValidationError("--row-input needs the stream schedule: the layer schedule keeps whole maps (drop --schedule layer)")
        }
        if inputType == .uint8 && schedule == .layer {
            throw ValidationError(CompilePipeline.layerRefusal)
        }
        if quantization != nil {
            guard precision == .int8 else { throw ValidationError("--quantization needs --precision int8") }
            guard calibrate == nil, calibrationMethod == nil else {
                throw ValidationError("--quantization loads a calibration result: drop --calibrate and --calibration")
            }
        }
    }

    @Option(help: ArgumentHelp("Image preprocessing: per-channel mean subtracted after scaling, e.g. 0.485,0.456,0.406 (default: the model's metadata, else ImageNet's; see docs/preprocessing.md).", valueName: "a,b,c"))
    var mean: String?

    @Option(help: ArgumentHelp("Image preprocessing: per-channel standard deviation divided by, e.g. 0.229,0.224,0.225.", valueName: "a,b,c"))
    var std: String?

    @Option(help: ArgumentHelp("Image preprocessing: factor for the 0-255 pixel values, e.g. 1/255.", valueName: "x"))
    var scale: String?

    @Option(help: ArgumentHelp("Image preprocessing: channel order of the model input: rgb, bgr or grey (luma to every channel).", valueName: "order"))
    var channels: String?

    @Option(help: ArgumentHelp("Image preprocessing: crop (shorter side resized, centre crop) or none (the image must already be the model's size).", valueName: "mode"))
    var resize: String?

    /// The preprocessing options given; bad values are usage errors naming the option.
    func preprocessingOverrides() throws(Diagnostic) -> PreprocessingOverrides {
        let texts: [PreprocessingOverrides.Field: String?] = [.mean: mean, .std: std, .scale: scale, .channels: channels, .resize: resize]
        do {
            return try PreprocessingOverrides(parsing: texts.compactMapValues { $0 }) { $0.option }
        } catch {
            throw .usage(error.message)
        }
    }

    func config() -> SqueezeNetConfig {
        SqueezeNetConfig(version: .v1_1, inputSize: inputSize, classes: classes, baseE: baseE, incrE: incrE,
                         freq: freq, pct3x3: pct3x3, squeezeRatio: squeezeRatio, bypass: bypass,
                         softmax: softmax, seed: seed)
    }

    /// The options as pipeline options.
    func pipelineOptions() throws(Diagnostic) -> PipelineOptions {
        var options = PipelineOptions(source: ModelSource(name: model, config: config(), weights: weights), precision: precision,
                                      calibration: CalibrationOptions(folder: calibrate, method: calibrationMethod ?? "minmax", file: quantization),
                                      schedule: schedule, preprocessing: try preprocessingOverrides(), compression: try compression())
        options.rowInput = rowInput
        options.inputType = inputType
        return options
    }

    /// The compile pipeline for these options. `quiet`: no notes or
    /// calibration progress (JSON output); otherwise they go to stderr.
    func pipeline(quiet: Bool = false) throws(Diagnostic) -> CompilePipeline {
        CompilePipeline(options: try pipelineOptions()) { line in if !quiet { Console.note(line) } }
    }
}

extension Precision: ExpressibleByArgument {}
extension SqueezeNetConfig.Bypass: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}
extension InputType: ExpressibleByArgument {}
extension WeightStoragePolicy: ExpressibleByArgument {}

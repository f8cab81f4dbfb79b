import SqueezeEvaluation

/// What `squeezec validate` found.
public struct ValidationReport: Sendable, Codable {
    public struct InputResult: Sendable, Codable {
        public var name: String
        public var error: ErrorStats
        public var referenceTop1: Int
        public var generatedTop1: Int

        enum CodingKeys: String, CodingKey {
            case name, error
            case referenceTop1 = "reference_top1"
            case generatedTop1 = "generated_top1"
        }
    }

    /// The first traced layer whose output is off by more than the tolerance.
    public struct Divergence: Sendable, Codable {
        public var layer: String
        public var value: String
        public var error: ErrorStats
    }

    public var passed: Bool
    public var target: String
    public var model: String
    /// Allowed max |generated - reference| as a fraction of the reference output's range.
    public var tolerance: Double
    public var maxAbsError: Double
    public var maxRelativeError: Double
    public var arenaBytes: Int
    public var weightBytes: Int
    public var inputs: [InputResult]
    public var firstDivergence: Divergence?
    /// "fp32" or "int8". int8 outputs must be identical to the int8
    /// reference (tolerance 0): `differingBytes` counts the bytes that are not.
    public var precision = "fp32"
    public var differingBytes: Int?
    /// int8 only, with the fp32 graph at hand: the dequantised outputs against fp32.
    public var fidelity: Fidelity?

    /// Instructions per step (firmware targets).
    public struct Layer: Sendable, Codable {
        public var name: String
        public var instructions: Int
        /// MACs of the fused layer, and instructions per MAC (nil for layers without MACs).
        public var macs: Int?
        public var instructionsPerMAC: Double?

        enum CodingKeys: String, CodingKey {
            case name, instructions, macs
            case instructionsPerMAC = "instructions_per_mac"
        }
    }

    /// Firmware targets only: flash (code + weights), RAM (.data + .bss + arena
    /// + measured stack), stack high-water mark, instructions per inference
    /// (deterministic, QEMU -icount) and per step, and per MAC.
    public var flashBytes: Int?
    /// The flash figure by part: code (`.text`), weights (the weight
    /// arrays), other (vectors, other const data, the `.data` load image).
    public var flashCodeBytes: Int?
    public var flashWeightsBytes: Int?
    public var flashOtherBytes: Int?
    public var ramBytes: Int?
    /// RAM by part: arena, data + bss, the harness's buffers (in `ramBytes`).
    public var ramArenaBytes: Int?
    public var ramDataBytes: Int?
    public var ramHarnessBytes: Int?
    /// Each RAM region of the board: what it holds, the stack as reserved.
    public var ramRegions: [RegionUsage]?
    public var stackBytes: Int?
    public var instructions: Int?
    public var instructionsPerMAC: Double?
    public var macs: Int?
    public var layers: [Layer]?

    enum CodingKeys: String, CodingKey {
        case passed, target, model, tolerance, inputs, precision, fidelity
        case differingBytes = "differing_bytes"
        case maxAbsError = "max_abs_error"
        case maxRelativeError = "max_relative_error"
        case arenaBytes = "arena_bytes"
        case weightBytes = "weight_bytes"
        case firstDivergence = "first_divergence"
        case flashBytes = "flash_bytes"
        case flashCodeBytes = "flash_code_bytes"
        case flashWeightsBytes = "flash_weights_bytes"
        case flashOtherBytes = "flash_other_bytes"
        case ramBytes = "ram_bytes"
        case ramArenaBytes = "ram_arena_bytes"
        case ramDataBytes = "ram_data_bss_bytes"
        case ramHarnessBytes = "ram_harness_bytes"
        case ramRegions = "ram_regions"
        case stackBytes = "stack_bytes"
        case instructions, macs, layers
        case instructionsPerMAC = "instructions_per_mac"
    }
}

extension ValidationReport {
    /// The RAM figure by part, as `validate` prints it (nil without a firmware build).
    public var ramSummary: String? {
        guard let arena = ramArenaBytes, let data = ramDataBytes, let harness = ramHarnessBytes else { return nil }
        return FirmwareSizes.ramSummary(arena: arena, dataBss: data, harness: harness, stack: stackBytes, measured: true)
    }
}

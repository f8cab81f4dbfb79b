/// What the model's input buffer holds (`--input-type`).
///
/// - `float`: normalised values, `x[c] = (v[c] * scale - mean[c]) / std[c]`
///   (`Preprocessing`), as fp32 (or int8 codes of them in an int8 build).
/// - `uint8`: raw pixel values 0...255 (what cameras give), after the resize
///   and channel order but without scale, mean and std: the normalisation is
///   folded into the first convolution (`SqueezePasses.InputNormalisationFolding`).
///   The reference interpreters read the same raw values as floats; an int8
///   build quantises them with scale 1 and zero point -128 (code = v - 128,
///   exact), and the generated C takes `const uint8_t *` in both precisions.
public enum InputType: String, Sendable, Hashable, CaseIterable {
    case float
    case uint8

    /// The int8 quantisation of a raw 0...255 input: exact, code = v - 128.
    public static let rawQuantization = QuantParams(scale: 1, zeroPoint: -128)

    /// The range calibration records for a raw input (gives `rawQuantization`).
    public static let rawRange: ClosedRange<Float> = 0...255
}

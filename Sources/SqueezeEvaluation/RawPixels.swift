import SqueezeIR

/// Inputs of a model compiled with `--input-type uint8`: whole pixel values
/// 0...255, what the generated C receives as `uint8_t`.
public enum RawPixels {
    /// `values` as the model's input type takes them: unchanged for `float`;
    /// for `uint8` rounded to the nearest integer (half away from zero) and
    /// clamped to 0...255 (a bilinear resize or a grey luma gives fractions).
    public static func conformed(_ values: [Float], to type: InputType) -> [Float] {
        switch type {
        case .float: values
        case .uint8: values.map { min(max($0.rounded(.toNearestOrAwayFromZero), 0), 255) }
        }
    }

    /// Seeded noise for an input of `type`: `InputFiles.seeded` for `float`,
    /// whole numbers spread over 0...255 for `uint8`.
    public static func seeded(_ seed: UInt64, for input: ValueInfo, type: InputType) -> [Float] {
        switch type {
        case .float:
            return InputFiles.seeded(seed, for: input)
        case .uint8:
            var random = SeededRandom(seed: seed, stream: "input")
            return (0..<input.type.shape.elementCount).map { _ in min(max(random.uniform(0, 256).rounded(.down), 0), 255) }
        }
    }
}

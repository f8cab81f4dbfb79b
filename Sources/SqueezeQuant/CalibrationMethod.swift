/// How a calibrated activation range is chosen from the observed values.
public enum CalibrationMethod: Sendable, Hashable, CustomStringConvertible {
    /// The whole observed range: nothing is clipped (outliers widen the scale).
    case minMax
    /// Clip both tails at a percentile of the observed values, e.g. 99.99
    /// keeps everything between the 0.01% and the 99.99% quantile.
    case percentile(Double)
    /// The clipping range (a fraction of the observed range, in 1/128 steps)
    /// that minimises the expected squared quantisation error: rounding
    /// error scale^2/12 inside, clipping error outside.
    case mse

    /// Parses `minmax`, `percentile`, `percentile:P` (0 < P < 100) and `mse`.
    public init?(parsing text: String) {
        switch text {
        case "minmax", "min-max": self = .minMax
        case "mse": self = .mse
        case "percentile": self = .percentile(99.99)
        default:
            guard text.hasPrefix("percentile:"), let p = Double(text.dropFirst("percentile:".count)), p > 50, p < 100 else { return nil }
            self = .percentile(p)
        }
    }

    public var description: String {
        switch self {
        case .minMax: "minmax"
        case .percentile(let p): "percentile \(p)"
        case .mse: "mse"
        }
    }

    /// Whether the method needs a histogram (a second pass over the inputs).
    var needsHistogram: Bool {
        if case .minMax = self { return false }
        return true
    }
}

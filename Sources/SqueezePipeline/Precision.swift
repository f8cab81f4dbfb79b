/// Numeric precision of the compiled model.
public enum Precision: String, Sendable, CaseIterable {
    case fp32
    case int8
}

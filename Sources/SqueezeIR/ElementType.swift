/// The element type of a tensor. Activations are fp32 today; int8 (with int32
/// biases) is designed in so quantized graphs reuse the same IR.
public enum ElementType: String, Sendable, Hashable, CaseIterable, Codable {
    case float32
    case int8
    case int32

    public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .int8: 1
        }
    }

    /// The C type the code generator uses for this element type.
    public var cType: String {
        switch self {
        case .float32: "float"
        case .int8: "int8_t"
        case .int32: "int32_t"
        }
    }
}

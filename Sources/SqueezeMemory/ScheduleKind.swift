/// How activations flow between fused steps.
public enum ScheduleKind: String, Sendable, Hashable, CaseIterable {
    /// One fused step after another, whole feature maps between steps.
    case layer
    /// Every stage produces rows on demand into small rings: no large map is
    /// ever stored.
    case stream
}

import SqueezeCodegen

/// The generated C for the planned model.
public struct GeneratedStage: Sendable {
    public var planned: PlannedStage
    public var model: GeneratedModel
}

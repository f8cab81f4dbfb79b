/// How an int8 model is calibrated.
public struct CalibrationOptions: Sendable {
    /// Folder of representative inputs; nil: seeded noise.
    public var folder: String?
    /// `minmax`, `percentile[:P]` or `mse` (parsed when the model is lowered).
    public var method: String

    /// Seeded noise inputs used without a folder.
    public static let noiseCount = 8

    public init(folder: String? = nil, method: String = "minmax") {
        self.folder = folder
        self.method = method
    }
}

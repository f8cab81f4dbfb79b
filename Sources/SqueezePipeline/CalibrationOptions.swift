/// How an int8 model is calibrated.
public struct CalibrationOptions: Sendable {
    /// Folder of representative inputs; nil: seeded noise.
    public var folder: String?
    /// `minmax`, `percentile[:P]` or `mse` (parsed when the model is lowered).
    public var method: String
    /// A quantisation file (`QuantizationFile`) to load instead of
    /// calibrating: its ranges, checked against the model, replace the
    /// folder and the method.
    public var file: String?

    /// Seeded noise inputs used without a folder.
    public static let noiseCount = 8

    public init(folder: String? = nil, method: String = "minmax", file: String? = nil) {
        self.folder = folder
        self.method = method
        self.file = file
    }
}

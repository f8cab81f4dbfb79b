/// How an affine op's `scale` and `shift` constants cover its NHWC map:
/// per channel (`[C]`, the usual case: BatchNormalization, a per-channel
/// Mul/Add/Sub/Div), or per row, per column or per value (`[h, w, C]` with
/// `h` 1 or the map's height and `w` 1 or its width: an ONNX constant that
/// broadcasts along height and width too, channels expanded by the importer).
///
/// The parameter of value (y, x, c) is at
/// `((byRow ? y : 0) * (byColumn ? W : 1) + (byColumn ? x : 0)) * C + c`,
/// the same in the Swift reference and `sq_affine_rows_*`.
public struct AffineBroadcast: Sendable, Hashable {
    public var byRow: Bool
    public var byColumn: Bool

    public init(byRow: Bool, byColumn: Bool) {
        self.byRow = byRow
        self.byColumn = byColumn
    }

    /// One parameter per channel.
    public static let perChannel = AffineBroadcast(byRow: false, byColumn: false)

    /// nil when `parameter` cannot cover `map` (an NHWC activation).
    public init?(parameter: TensorShape, map: TensorShape) {
        guard map.isActivation4D else { return nil }
        switch parameter.rank {
        case 1:
            guard parameter.dims[0] == map.c else { return nil }
            (byRow, byColumn) = (false, false)
        case 3:
            let (h, w, c) = (parameter.dims[0], parameter.dims[1], parameter.dims[2])
            guard c == map.c, h == 1 || h == map.h, w == 1 || w == map.w else { return nil }
            (byRow, byColumn) = (h > 1, w > 1)
        default:
            return nil
        }
    }

    public var perChannel: Bool { !byRow && !byColumn }

    /// The parameter index of value (y, x, c) of a map `width` wide with `channels` channels.
    @inline(__always)
    public func index(y: Int, x: Int, c: Int, width: Int, channels: Int) -> Int {
        ((byRow ? y : 0) * (byColumn ? width : 1) + (byColumn ? x : 0)) * channels + c
    }

    /// "per channel", "per row", "per column" or "per value", for comments and messages.
    public var summary: String {
        switch (byRow, byColumn) {
        case (false, false): "per channel"
        case (true, false): "per row and channel"
        case (false, true): "per column and channel"
        case (true, true): "per value"
        }
    }
}

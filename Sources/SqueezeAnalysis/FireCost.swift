/// The seed's parameter arithmetic for a Fire module (weights only).
public enum FireCost {
    /// (1x1xMxs) + (1x1xsxe1) + (3x3xsxe3).
    public static func weights(inChannels m: Int, squeeze s: Int, expand1x1 e1: Int, expand3x3 e3: Int) -> Int {
        m * s + s * e1 + 9 * s * e3
    }

    /// A standard 3x3 convolution from M to N channels: 3x3xMxN.
    public static func conv3x3Weights(inChannels m: Int, outChannels n: Int) -> Int {
        9 * m * n
    }
}

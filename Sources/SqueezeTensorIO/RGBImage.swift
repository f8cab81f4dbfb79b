import SqueezeIR

/// An 8-bit RGB image: `height` rows of `width` pixels, top row first, each
/// pixel three bytes red, green, blue (`pixels[(y * width + x) * 3 + c]`).
///
/// This is what the image decoders (`PNGFormat`, `PNMFormat`) produce,
/// whatever the file held: grey is copied to the three channels, palettes are
/// looked up, deeper samples are reduced to 8 bits and alpha is dropped.
public struct RGBImage: Sendable, Hashable {
    /// Widest or tallest image the decoders accept, in pixels.
    public static let maximumSide = 16384

    /// Most pixels (width x height) the decoders accept: 64 Mi.
    public static let maximumPixelCount = 64 << 20

    public let width: Int
    public let height: Int
    /// Interleaved RGB, row-major, `width * height * 3` bytes.
    public let pixels: [UInt8]

    /// An image from interleaved RGB bytes. `pixels` must hold exactly
    /// `width * height * 3` bytes and both sizes must be at least 1: anything
    /// else is a bug in the caller and stops the program.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 1 && height >= 1, "RGBImage: size \(width)x\(height) is empty")
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        precondition(!overflow && area <= Int.max / 3 && pixels.count == area * 3,
                     "RGBImage: \(pixels.count) bytes for \(width)x\(height) pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The red, green and blue bytes of one pixel.
    public func pixel(x: Int, y: Int) -> [UInt8] {
        let start = (y * width + x) * 3
        return Array(pixels[start..<start + 3])
    }

    /// Throws unless a decoder may allocate an image of this size: both sides
    /// in 1...`maximumSide` and at most `maximumPixelCount` pixels.
    static func checkSize(width: Int, height: Int, file: String) throws(Diagnostic) {
        guard width >= 1, height >= 1 else {
            throw .input("image is \(width)x\(height) pixels: it has no pixels", file: file)
        }
        guard width <= maximumSide, height <= maximumSide else {
            throw .input("image is \(width)x\(height) pixels, more than the limit of \(maximumSide) a side", file: file)
        }
        guard width * height <= maximumPixelCount else {
            throw .input("image is \(width)x\(height) = \(width * height) pixels, "
                         + "more than the limit of \(maximumPixelCount)", file: file)
        }
    }
}

import SqueezeIR

/// Turns an image into a model's input tensor as its `Preprocessing` says.
/// The default (`Preprocessing.imageNet`) is that of an ImageNet classifier
/// such as SqueezeNet: torchvision's standard evaluation transform
/// `Resize(256), CenterCrop(224), ToTensor(), Normalize(mean, std)`,
/// generalised to any input size, with its own resize filter, and laid out
/// NHWC as squeezec's models take it.
///
/// For an input size `size` (224 for the standard models), with resize
/// `crop` (with `none` steps 1 and 2 are skipped: the image must already be
/// `size` x `size`, `checkSize`):
///
/// 1. **Resize** so the shorter side becomes `resizeSize` =
///    `round(size * 256 / 224)` pixels (256 for 224) and the longer side
///    `floor(resizeSize * long / short)`, as torchvision computes it.
///
///    Filter: bilinear, with no antialiasing of its own, so strong
///    reductions are first prefiltered with an integer box filter. Let
///    `k = floor(shortSide / resizeSize)`. When `k >= 2` the image is first
///    averaged over k x k blocks (block `i` covers source pixels
///    `[i*k, i*k + k)`; rows and columns at the right and bottom that do not
///    fill a block are dropped), which leaves bilinear a reduction of less
///    than 2; when `k = 1` the pixels are used as they are. Then output
///    column `X` of the resized image samples the (block-averaged) image at
///    `x = (X + 0.5) * sourceWidth / (k * resizedWidth) - 0.5`, clamped to
///    `[0, floor(sourceWidth / k) - 1]`, between its neighbours `floor(x)`
///    and `floor(x) + 1` (the last column repeated at the edge); the same for
///    rows. This puts pixel centres at half-integers (PyTorch's
///    `align_corners=False`) and keeps the geometry of the original image.
///    With the box prefilter photos are not badly aliased, but the result
///    is sharper than PIL's antialiased bilinear (what torchvision's
///    `Resize` uses on PIL images), whose filter widens with the reduction:
///    on the scikit-image photos of `scripts/sample_photos.py` the two
///    differ by 0.3 to 5 grey levels on average, and by tens of levels at
///    some sharp edges.
/// 2. **Centre-crop** `size` x `size` pixels: the crop starts at
///    `(resized - size) / 2` rounded half to even on each axis (as
///    torchvision's `round`).
/// 3. **Channels**: `rgb` takes red, green, blue; `bgr` blue, green, red;
///    `grey` gives every model channel (1 or 3 of them) the luma
///    `0.299 R + 0.587 G + 0.114 B`, or the value itself where the three
///    are equal (a grey image).
/// 4. **Scale** and **normalise** per model channel:
///    `(v * scale - mean[c]) / std[c]`; for ImageNet `v / 255` with mean
///    (0.485, 0.456, 0.406) and standard deviation (0.229, 0.224, 0.225).
/// 5. **Output**: float32 NHWC, shape `[1, size, size, channels]`, row-major.
///
/// The image is taken as it was decoded: grey images have three equal
/// channels, alpha was dropped, and there is no gamma or colour-profile
/// conversion.
///
/// Nothing is rounded in between: the box averages and the bilinear values
/// stay fractional (torchvision rounds its resized image to 8 bits). All
/// arithmetic is in Double, in a fixed order, on one thread, and converted to
/// Float at the end, so the result is deterministic; numpy in float64 doing
/// the same operations in the same order gives the same floats
/// (`scripts/sample_photos.py --npy` does exactly that).
public struct ImagePreprocessing: Sendable, Hashable {
    /// ImageNet per-channel mean, RGB.
    public static let mean: [Double] = Preprocessing.imageNet.mean
    /// ImageNet per-channel standard deviation, RGB.
    public static let standardDeviation: [Double] = Preprocessing.imageNet.std
    /// Largest input size accepted.
    public static let maximumSize = 4096

    /// Height and width of the model input.
    public let size: Int
    /// Channels of the model input: 3, or 1 for a grey model.
    public let channels: Int
    /// Channel order, scale, normalisation and resize mode.
    public let preprocessing: Preprocessing

    /// Length of the shorter side after resizing: `round(size * 256 / 224)`.
    public var resizeSize: Int { Preprocessing.resizeSize(for: size) }

    /// Preprocessing for a model whose input is `size` x `size` x
    /// `channels`. Throws unless `size` is in 1...`maximumSize` and
    /// `preprocessing` fits `channels` (`Preprocessing.check`).
    public init(size: Int = 224, channels: Int = 3, preprocessing: Preprocessing = .imageNet) throws(Diagnostic) {
        guard (1...Self.maximumSize).contains(size) else {
            throw .input("image input size \(size) is not in 1...\(Self.maximumSize)")
        }
        try preprocessing.check(channels: channels) { $0.rawValue }
        self.size = size
        self.channels = channels
        self.preprocessing = preprocessing
    }

    /// Throws unless `values(from:)` can take the image: with resize `none`
    /// it must be exactly `size` x `size`.
    public func checkSize(of image: RGBImage) throws(Diagnostic) {
        guard preprocessing.resize == .none, image.width != size || image.height != size else { return }
        throw .input("image is \(image.width)x\(image.height) pixels; with resize none the model needs exactly \(size)x\(size) (or use resize crop)")
    }

    /// Size of the image after resizing (before the crop), width then height.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let short = min(width, height)
        let long = max(width, height)
        let resizedLong = resizeSize * long / short
        return width <= height ? (resizeSize, resizedLong) : (resizedLong, resizeSize)
    }

    /// The model input for an image: float32, shape `[1, size, size, channels]`.
    public func tensor(from image: RGBImage) -> NpyArray {
        NpyArray(shape: [1, size, size, channels], floats: values(from: image))
    }

    /// The preprocessed values, NHWC, `size * size * channels` of them.
    /// With resize `none` the image must pass `checkSize` (a wrong size
    /// stops the program).
    public func values(from image: RGBImage) -> [Float] {
        let crop = preprocessing.resize == .crop
        precondition(crop || (image.width == size && image.height == size), "ImagePreprocessing: unchecked image size")
        // Resize none is the identity resize: taps at pixel centres, weight 0.
        let resized = crop ? resizedSize(width: image.width, height: image.height) : (width: size, height: size)
        let block = crop ? max(1, min(image.width, image.height) / resizeSize) : 1
        let top = Int((Double(resized.height - size) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(resized.width - size) / 2).rounded(.toNearestOrEven))

        // Only the crop is computed: the taps of its columns and rows in
        // the (block-averaged) image, and only the block-averaged rows and
        // columns those taps read, two rows at a time.
        let columns = Self.taps(first: left, count: size, source: image.width, resized: resized.width, block: block)
        let rows = Self.taps(first: top, count: size, source: image.height, resized: resized.height, block: block)
        let reader = BlockRowReader(image: image, block: block, columns: columns.flatMap { [$0.low, $0.high] })
        let columnSlots = columns.map { (reader.slot(column: $0.low), reader.slot(column: $0.high)) }
        var cachedRows: [Int: [Double]] = [:]

        var result: [Float] = []
        result.reserveCapacity(size * size * channels)
        var pixel = [0.0, 0.0, 0.0]
        for row in rows {
            cachedRows = cachedRows.filter { $0.key >= row.low }
            for needed in [row.low, row.high] where cachedRows[needed] == nil {
                cachedRows[needed] = reader.row(needed)
            }
            let upperRow = cachedRows[row.low] ?? []
            let lowerRow = cachedRows[row.high] ?? []
            for (column, slots) in zip(columns, columnSlots) {
                for channel in 0..<3 {
                    let a = upperRow[slots.0 * 3 + channel]
                    let b = upperRow[slots.1 * 3 + channel]
                    let c = lowerRow[slots.0 * 3 + channel]
                    let d = lowerRow[slots.1 * 3 + channel]
                    let upper = a * (1 - column.weight) + b * column.weight
                    let lower = c * (1 - column.weight) + d * column.weight
                    pixel[channel] = upper * (1 - row.weight) + lower * row.weight
                }
                for channel in 0..<channels {
                    let value: Double
                    switch preprocessing.channels {
                    case .rgb: value = pixel[channel]
                    case .bgr: value = pixel[2 - channel]
                    case .grey: value = Self.luma(pixel)
                    }
                    result.append(Float(preprocessing.normalise(value, channel: channel)))
                }
            }
        }
        return result
    }

    /// `0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601), or the value itself
    /// when the three are equal (so a grey image keeps its values exactly).
    static func luma(_ rgb: [Double]) -> Double {
        rgb[0] == rgb[1] && rgb[1] == rgb[2] ? rgb[0] : 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    }

    /// Where one output column (or row) samples the block-averaged image.
    struct Tap: Equatable {
        /// The two neighbouring samples, in block-averaged pixels.
        var low: Int
        var high: Int
        /// Weight of `high`; `low` gets `1 - weight`.
        var weight: Double
    }

    /// The taps of output positions `first..<first + count` of a resize from
    /// `source` to `resized` pixels, sampling an image averaged over blocks
    /// of `block` pixels.
    static func taps(first: Int, count: Int, source: Int, resized: Int, block: Int) -> [Tap] {
        let reduced = source / block
        let scale = Double(source) / Double(block * resized)
        return (first..<first + count).map { position in
            let x = min(max((Double(position) + 0.5) * scale - 0.5, 0), Double(reduced - 1))
            let low = Int(x.rounded(.down))
            return Tap(low: low, high: min(low + 1, reduced - 1), weight: x - Double(low))
        }
    }

    /// Reads rows of the block-averaged image, only at the columns the taps
    /// use, addressed by slot (the position among those columns).
    struct BlockRowReader {
        let image: RGBImage
        let block: Int
        private let usedColumns: [Int]
        private let columnSlots: [Int: Int]

        init(image: RGBImage, block: Int, columns: [Int]) {
            self.image = image
            self.block = block
            usedColumns = Array(Set(columns)).sorted()
            columnSlots = Dictionary(uniqueKeysWithValues: usedColumns.enumerated().map { ($1, $0) })
        }

        /// The slot of a block-averaged column passed to `init`.
        func slot(column: Int) -> Int { columnSlots[column] ?? 0 }

        /// Block-averaged row `row`: RGB of each used column, in slot order.
        func row(_ row: Int) -> [Double] {
            var values: [Double] = []
            values.reserveCapacity(usedColumns.count * 3)
            let area = Double(block * block)
            for column in usedColumns {
                for channel in 0..<3 {
                    guard block > 1 else {
                        values.append(Double(image.pixels[(row * image.width + column) * 3 + channel]))
                        continue
                    }
                    // Summed row by row, left to right (the order matters for
                    // bit-exact agreement with the Python script).
                    var sum = 0.0
                    for dy in 0..<block {
                        let start = ((row * block + dy) * image.width + column * block) * 3 + channel
                        for dx in 0..<block {
                            sum += Double(image.pixels[start + dx * 3])
                        }
                    }
                    values.append(sum / area)
                }
            }
            return values
        }
    }
}

import Foundation
import SqueezeIR
@testable import SqueezeTensorIO
import Testing

@Suite struct ImagePreprocessingTests {
    static let mean: [Double] = [0.485, 0.456, 0.406]
    static let std: [Double] = [0.229, 0.224, 0.225]

    /// The normalised value of a (possibly fractional) 8-bit level.
    static func normalised(_ level: Double, channel: Int) -> Float {
        Float((level / 255 - mean[channel]) / std[channel])
    }

    /// An image whose pixel (x, y) has the colour `colour(x, y)`.
    static func image(width: Int, height: Int, _ colour: (Int, Int) -> [UInt8]) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += colour(x, y) }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A colourful test pattern that identifies each pixel.
    static func pattern(_ x: Int, _ y: Int) -> [UInt8] {
        [UInt8(x * 7 % 256), UInt8(y * 11 % 256), UInt8((x + 3 * y) % 256)]
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "max abs difference \(worst)", sourceLocation: sourceLocation)
    }

    @Test func resizeSizeIsSizeTimes256Over224Rounded() throws {
        #expect(try ImagePreprocessing(size: 224).resizeSize == 256)
        #expect(try ImagePreprocessing().size == 224)
        #expect(try ImagePreprocessing(size: 227).resizeSize == 259)  // 259.43
        #expect(try ImagePreprocessing(size: 64).resizeSize == 73)    // 73.14
        #expect(try ImagePreprocessing(size: 16).resizeSize == 18)    // 18.29
        #expect(try ImagePreprocessing(size: 4).resizeSize == 5)      // 4.57
        #expect(try ImagePreprocessing(size: 1).resizeSize == 1)      // 1.14
    }

    @Test func resizedSizeKeepsTheAspectRatioLikeTorchvision() throws {
        let preprocessing = try ImagePreprocessing(size: 224)
        #expect(preprocessing.resizedSize(width: 451, height: 300) == (384, 256))  // 384.85 floored
        #expect(preprocessing.resizedSize(width: 300, height: 451) == (256, 384))
        #expect(preprocessing.resizedSize(width: 512, height: 512) == (256, 256))
        #expect(preprocessing.resizedSize(width: 1, height: 16384) == (256, 4194304))
    }

    @Test func rejectsSizesOutOfRange() {
        for size in [0, -3, 4097] {
            let error = TestSupport.error { _ = try ImagePreprocessing(size: size) }
            #expect(error?.message == "image input size \(size) is not in 1...4096")
        }
    }

    @Test func outputIsNHWCFloat32OfTheInputSize() throws {
        let tensor = try ImagePreprocessing(size: 10).tensor(from: Self.image(width: 30, height: 17, Self.pattern))
        #expect(tensor.shape == [1, 10, 10, 3])
        #expect(tensor.floats?.count == 300)
        #expect(tensor.shapeMatchesStorage)
    }

    @Test func constantImageGivesTheNormalisedConstants() throws {
        let image = Self.image(width: 50, height: 37) { _, _ in [128, 64, 200] }
        for size in [1, 8, 24, 224] {
            let values = try ImagePreprocessing(size: size).values(from: image)
            let expected = (0..<size * size).flatMap { _ in
                [Self.normalised(128, channel: 0), Self.normalised(64, channel: 1), Self.normalised(200, channel: 2)]
            }
            Self.expectClose(values, expected)
        }
        // Black and white: the ends of each channel's range.
        let black = try ImagePreprocessing(size: 2).values(from: Self.image(width: 3, height: 3) { _, _ in [0, 0, 0] })
        Self.expectClose(Array(black.prefix(3)), [-2.117904, -2.0357141, -1.8044444])
        let white = try ImagePreprocessing(size: 2).values(from: Self.image(width: 3, height: 3) { _, _ in [255, 255, 255] })
        Self.expectClose(Array(white.prefix(3)), [2.2489083, 2.4285715, 2.64])
    }

    /// When the image already has the resized size, resizing samples pixel
    /// centres exactly and the output is the centre crop, pixel for pixel.
    @Test func cropIsCentredOnNonSquareImages() throws {
        // size 14 -> resize 16; a 16 x 24 portrait image is not resized.
        let portrait = Self.image(width: 16, height: 24, Self.pattern)
        let preprocessing = try ImagePreprocessing(size: 14)
        #expect(preprocessing.resizedSize(width: 16, height: 24) == (16, 24))
        // Crop offset: left (16 - 14) / 2 = 1, top (24 - 14) / 2 = 5.
        Self.expectClose(preprocessing.values(from: portrait), Self.expectedCrop(portrait, left: 1, top: 5, size: 14), tolerance: 0)
        let landscape = Self.image(width: 24, height: 16, Self.pattern)
        Self.expectClose(preprocessing.values(from: landscape), Self.expectedCrop(landscape, left: 5, top: 1, size: 14), tolerance: 0)
    }

    @Test func cropOffsetRoundsHalfToEven() throws {
        // size 7 -> resize 8. 8 x 9: left round(0.5) = 0, top round(1.0) = 1.
        let tall = Self.image(width: 8, height: 9, Self.pattern)
        let preprocessing = try ImagePreprocessing(size: 7)
        Self.expectClose(preprocessing.values(from: tall), Self.expectedCrop(tall, left: 0, top: 1, size: 7), tolerance: 0)
        // 10 x 8: left round(1.5) = 2, top round(0.5) = 0.
        let wide = Self.image(width: 10, height: 8, Self.pattern)
        Self.expectClose(preprocessing.values(from: wide), Self.expectedCrop(wide, left: 2, top: 0, size: 7), tolerance: 0)
    }

    /// Enlarging a horizontal ramp: half-pixel centres and clamped edges.
    @Test func bilinearUsesHalfPixelCentresAndClampsAtTheEdges() throws {
        // 4 x 4 image, red = 40 * x; size 7 -> resize 8 (scale 0.5), crop
        // offset round(0.5) = 0. Output column X samples x = 0.5 X - 0.25,
        // clamped to [0, 3].
        let ramp = Self.image(width: 4, height: 4) { x, _ in [UInt8(40 * x), 0, 0] }
        let values = try ImagePreprocessing(size: 7).values(from: ramp)
        let sampled: [Double] = [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75]
        for (column, x) in sampled.enumerated() {
            for row in 0..<7 {
                let red = values[(row * 7 + column) * 3]
                #expect(abs(red - Self.normalised(40 * x, channel: 0)) <= 1e-6, "column \(column) row \(row)")
            }
        }
        // A vertical ramp gives the same along rows.
        let vertical = Self.image(width: 4, height: 4) { _, y in [0, UInt8(40 * y), 0] }
        let verticalValues = try ImagePreprocessing(size: 7).values(from: vertical)
        for (row, y) in sampled.enumerated() {
            #expect(abs(verticalValues[(row * 7 + 3) * 3 + 1] - Self.normalised(40 * y, channel: 1)) <= 1e-6)
        }
    }

    /// Halving: 2 x 2 blocks are averaged, then bilinear samples the block
    /// averages at their centres.
    @Test func twoTimesReductionAveragesTwoByTwoBlocks() throws {
        let image = Self.image(width: 32, height: 32, Self.pattern)
        // size 14 -> resize 16, block 2, crop offset 1.
        let values = try ImagePreprocessing(size: 14).values(from: image)
        var expected: [Float] = []
        for y in 1..<15 {
            for x in 1..<15 {
                for channel in 0..<3 {
                    var sum = 0.0
                    for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        sum += Double(image.pixel(x: 2 * x + dx, y: 2 * y + dy)[channel])
                    }
                    expected.append(Self.normalised(sum / 4, channel: channel))
                }
            }
        }
        Self.expectClose(values, expected)
    }

    /// A one-pixel checkerboard shrunk 100 times: the box filter averages it
    /// to mid-grey instead of picking black or white pixels.
    @Test func strongReductionsAreNotAliased() throws {
        let board = Self.image(width: 1000, height: 900) { x, y in
            (x + y) % 2 == 0 ? [255, 255, 255] : [0, 0, 0]
        }
        let values = try ImagePreprocessing(size: 8).values(from: board)
        let expected = (0..<64).flatMap { _ in (0..<3).map { Self.normalised(127.5, channel: $0) } }
        Self.expectClose(values, expected, tolerance: 0.001)
    }

    @Test func gradientStaysMonotonicAndInRange() throws {
        let gradient = Self.image(width: 300, height: 200) { x, _ in [UInt8(x * 255 / 299), 0, 0] }
        let values = try ImagePreprocessing(size: 32).values(from: gradient)
        let firstRow = (0..<32).map { values[$0 * 3] }
        #expect(zip(firstRow, firstRow.dropFirst()).allSatisfy { $0 < $1 })
        #expect(firstRow.first! > Self.normalised(0, channel: 0) && firstRow.last! < Self.normalised(255, channel: 0))
        // Rows are identical: the image does not change along y.
        for row in 1..<32 {
            #expect((0..<32).map { values[(row * 32 + $0) * 3] } == firstRow)
        }
        // The crop is centred: the middle of the output is near the middle grey.
        let middle = Double((firstRow[15] + firstRow[16]) / 2) * Self.std[0] + Self.mean[0]
        #expect(abs(middle - 0.5) < 0.01)
    }

    @Test func isDeterministic() throws {
        let image = Self.image(width: 123, height: 77, Self.pattern)
        let preprocessing = try ImagePreprocessing(size: 31)
        #expect(preprocessing.values(from: image) == preprocessing.values(from: image))
    }

    @Test func tapsOfAnIdentityResizeArePixelCentres() {
        let taps = ImagePreprocessing.taps(first: 0, count: 5, source: 5, resized: 5, block: 1)
        #expect(taps.map(\.low) == [0, 1, 2, 3, 4])
        #expect(taps.map(\.high) == [1, 2, 3, 4, 4])
        #expect(taps.allSatisfy { $0.weight == 0 })
    }

    /// The normalised pixels of a `size` x `size` window of an image.
    static func expectedCrop(_ image: RGBImage, left: Int, top: Int, size: Int) -> [Float] {
        var values: [Float] = []
        for y in top..<top + size {
            for x in left..<left + size {
                let colour = image.pixel(x: x, y: y)
                for channel in 0..<3 { values.append(normalised(Double(colour[channel]), channel: channel)) }
            }
        }
        return values
    }
}

/// The model's own preprocessing: channel order, grey, scale, mean and std,
/// resize none (`Preprocessing`).
extension ImagePreprocessingTests {
    @Test func bgrReversesTheChannelsBeforeNormalising() throws {
        let p = Preprocessing(mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2], channels: .bgr, resize: .none)
        let image = Self.image(width: 2, height: 2) { x, _ in x == 0 ? [255, 0, 51] : [102, 204, 0] }
        let values = try ImagePreprocessing(size: 2, channels: 3, preprocessing: p).values(from: image)
        // Pixel 0: blue 51 -> (0.2 - 0.1) / 0.5 = 0.2; green 0 -> -0.2 / 0.25 = -0.8; red 255 -> (1 - 0.3) / 2 = 0.35.
        // Pixel 1: blue 0 -> -0.2; green 204 -> (0.8 - 0.2) / 0.25 = 2.4; red 102 -> (0.4 - 0.3) / 2 = 0.05.
        Self.expectClose(values, [0.2, -0.8, 0.35, -0.2, 2.4, 0.05, 0.2, -0.8, 0.35, -0.2, 2.4, 0.05])
    }

    @Test func greyGivesTheLumaToEveryChannel() throws {
        let p = Preprocessing(mean: [0, 0, 0], std: [1, 1, 1], scale: .init(1), channels: .grey, resize: .none)
        let image = Self.image(width: 2, height: 2) { x, _ in x == 0 ? [100, 50, 200] : [77, 77, 77] }
        let values = try ImagePreprocessing(size: 2, channels: 3, preprocessing: p).values(from: image)
        // 0.299 * 100 + 0.587 * 50 + 0.114 * 200 = 29.9 + 29.35 + 22.8 = 82.05; a grey pixel keeps its value.
        Self.expectClose(values, [82.05, 82.05, 82.05, 77, 77, 77, 82.05, 82.05, 82.05, 77, 77, 77], tolerance: 1e-5)
        #expect(Array(values.suffix(3)) == [77, 77, 77])
    }

    @Test func greyIntoOneChannel() throws {
        let p = Preprocessing(mean: [0.3055], std: [0.3239], channels: .grey, resize: .none)
        let image = Self.image(width: 3, height: 3) { x, _ in [UInt8(x * 100), UInt8(x * 100), UInt8(x * 100)] }
        let tensor = try ImagePreprocessing(size: 3, channels: 1, preprocessing: p).tensor(from: image)
        #expect(tensor.shape == [1, 3, 3, 1])
        // (0 - 0.3055) / 0.3239 = -0.9431923; (100/255 - 0.3055) / 0.3239 = 0.2675420; (200/255 - 0.3055) / 0.3239 = 1.4782764.
        Self.expectClose(tensor.floats ?? [], (0..<3).flatMap { _ in [-0.9431923, 0.2675420, 1.4782764] as [Float] })
    }

    @Test func resizeNoneTakesThePixelsAsTheyAre() throws {
        let p = Preprocessing(mean: [0, 0, 0], std: [1, 1, 1], scale: .init(1), resize: .none)
        let image = Self.image(width: 5, height: 5, Self.pattern)
        let values = try ImagePreprocessing(size: 5, preprocessing: p).values(from: image)
        #expect(values == image.pixels.map(Float.init))
        // Crop would resize 5 -> 6 and crop: not the same.
        let cropped = try ImagePreprocessing(size: 5, preprocessing: Preprocessing(mean: [0, 0, 0], std: [1, 1, 1], scale: .init(1)))
        #expect(cropped.values(from: image) != values)
    }

    @Test func resizeNoneRejectsAnotherSize() throws {
        let p = Preprocessing(mean: [0], std: [1], channels: .grey, resize: .none)
        let transform = try ImagePreprocessing(size: 32, channels: 1, preprocessing: p)
        let error = TestSupport.error { try transform.checkSize(of: Self.image(width: 32, height: 31) { _, _ in [0, 0, 0] }) }
        #expect(error?.message == "image is 32x31 pixels; with resize none the model needs exactly 32x32 (or use resize crop)")
        #expect(TestSupport.error { try transform.checkSize(of: Self.image(width: 32, height: 32) { _, _ in [0, 0, 0] }) } == nil)
    }

    @Test func scaleAndMeanByHand() throws {
        // scale 2 (0..510), mean 100, std 10: v = 60 -> (120 - 100) / 10 = 2.
        let p = Preprocessing(mean: [100, 100, 100], std: [10, 10, 10], scale: .init(2), resize: .none)
        let values = try ImagePreprocessing(size: 1, preprocessing: p).values(from: Self.image(width: 1, height: 1) { _, _ in [60, 50, 40] })
        #expect(values == [2, 0, -2])
    }

    @Test func imageNetIsTheDefault() throws {
        #expect(try ImagePreprocessing(size: 8).preprocessing == .imageNet)
        let mismatch = TestSupport.error { _ = try ImagePreprocessing(size: 8, channels: 1) }
        #expect(mismatch?.message == "channels rgb needs a 3-channel model; this one has 1 channel (use grey)")
    }
}

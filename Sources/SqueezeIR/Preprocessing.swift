/// How an image becomes the model's input: the model's own convention, not
/// always ImageNet's.
///
/// For a pixel value `v` in 0...255 (after the resize, in the channel order
/// `channels` gives) model channel `c` receives
/// `(v * scale - mean[c]) / std[c]`.
///
/// - `channels`: `rgb` (model channel 0 is red), `bgr` (channel 0 is blue)
///   or `grey` (every model channel receives the luma
///   `0.299 R + 0.587 G + 0.114 B`; a grey image, whose three channels are
///   equal, gives its own value exactly). `rgb` and `bgr` need a 3-channel
///   model; `grey` takes a 1- or 3-channel model.
/// - `resize`: `crop` resizes the shorter side to `round(size * 256 / 224)`
///   and centre-crops `size` x `size` (torchvision's evaluation transform,
///   see `SqueezeTensorIO.ImagePreprocessing`); `none` takes the image as it
///   is, which must then be exactly the model's size.
///
/// The built-in SqueezeNets and models that do not say otherwise use
/// `imageNet`. ONNX models may carry their own in `metadata_props`
/// (`PreprocessingOverrides.Field.metadataKey`); the command line overrides either
/// (`PreprocessingOverrides`).
public struct Preprocessing: Sendable, Hashable, CustomStringConvertible {
    /// Which image channel each model channel receives.
    public enum Channels: String, Sendable, Hashable, CaseIterable {
        case rgb, bgr, grey
    }

    /// Whether the image is resized and centre-cropped to the model's size.
    public enum Resize: String, Sendable, Hashable, CaseIterable {
        case crop, none
    }

    /// The factor pixel values are multiplied by, kept as a fraction so that
    /// `1/255` divides by 255 exactly as the ImageNet transform always did.
    public struct Scale: Sendable, Hashable, CustomStringConvertible {
        public var numerator: Double
        public var denominator: Double

        public init(_ numerator: Double, over denominator: Double = 1) {
            self.numerator = numerator
            self.denominator = denominator
        }

        /// `1/255`.
        public static let byteToUnit = Scale(1, over: 255)

        public var value: Double { numerator / denominator }

        /// `v * numerator / denominator`, in that order.
        public func apply(_ v: Double) -> Double { v * numerator / denominator }

        /// `X` or `A/B`, finite and positive; nil otherwise.
        public init?(parsing text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                .map(Preprocessing.trimmed)
            guard parts.count == 1 || parts.count == 2,
                  let numerator = Preprocessing.number(parts[0]),
                  let denominator = parts.count == 2 ? Preprocessing.number(parts[1]) : 1,
                  numerator > 0, denominator > 0, (numerator / denominator).isFinite, numerator / denominator > 0 else { return nil }
            self.init(numerator, over: denominator)
        }

        public var description: String {
            denominator == 1 ? Preprocessing.format(numerator)
                : Preprocessing.format(numerator) + "/" + Preprocessing.format(denominator)
        }
    }

    /// Per model channel, subtracted after scaling.
    public var mean: [Double]
    /// Per model channel, divided by after subtracting the mean.
    public var std: [Double]
    public var scale: Scale
    public var channels: Channels
    public var resize: Resize

    public init(mean: [Double], std: [Double], scale: Scale = .byteToUnit, channels: Channels = .rgb, resize: Resize = .crop) {
        self.mean = mean
        self.std = std
        self.scale = scale
        self.channels = channels
        self.resize = resize
    }

    /// torchvision's ImageNet transform: RGB, `v / 255`, ImageNet mean and
    /// std, shorter-side resize and centre crop.
    public static let imageNet = Preprocessing(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// What a model with `channels` input channels gets unless it or the
    /// command line says otherwise: for 3 channels `imageNet` (with mean and
    /// std reversed when `order` is `bgr`); for `grey` (the only order of a
    /// 1-channel model) `v / 255` with mean 0 and std 1 on every channel;
    /// nil for any other channel count (images cannot feed such a model).
    public static func standard(channels: Int, order: Channels? = nil) -> Preprocessing? {
        switch (channels, order ?? (channels == 1 ? .grey : .rgb)) {
        case (1, _), (3, .grey):
            return Preprocessing(mean: Array(repeating: 0, count: channels), std: Array(repeating: 1, count: channels), channels: .grey)
        case (3, .rgb):
            return .imageNet
        case (3, .bgr):
            return Preprocessing(mean: imageNet.mean.reversed(), std: imageNet.std.reversed(), channels: .bgr)
        default:
            return nil
        }
    }

    /// `overrides` applied to what the model declares, or to
    /// `standard(channels:order:)` for the overrides' channel order when it
    /// declares nothing; nil when neither exists (the model cannot take
    /// images). Not checked: call `check`.
    public static func resolved(_ overrides: PreprocessingOverrides, over declared: Preprocessing?, channels: Int) -> Preprocessing? {
        (declared ?? standard(channels: channels, order: overrides.channels)).map(overrides.applied)
    }

    /// Throws unless this preprocessing can feed a model with `channels`
    /// input channels: one mean and one std per channel, every std non-zero,
    /// every number finite, and `rgb`/`bgr` only for 3 channels. `name`
    /// gives how a field is called in the message (an option or a metadata
    /// key).
    public func check(channels count: Int, name: (PreprocessingOverrides.Field) -> String) throws(Diagnostic) {
        guard count == 1 || count == 3 else {
            throw .unsupported("images need a model with 1 or 3 input channels; this one has \(count) (use a .npy)")
        }
        if channels != .grey && count != 3 {
            throw .input("\(name(.channels)) \(channels.rawValue) needs a 3-channel model; this one has \(count) channel (use grey)")
        }
        for (field, values) in [(PreprocessingOverrides.Field.mean, mean), (.std, std)] {
            guard values.count == count else {
                throw .input("\(name(field)) has \(values.count) value\(values.count == 1 ? "" : "s"); the model has \(count) input channel\(count == 1 ? "" : "s")")
            }
            guard values.allSatisfy(\.isFinite) else { throw .input("\(name(field)) must be finite numbers") }
        }
        guard std.allSatisfy({ $0 != 0 }) else { throw .input("\(name(.std)) must not be 0") }
        guard scale.value.isFinite, scale.value > 0 else { throw .input("\(name(.scale)) must be a positive finite number") }
    }

    /// The model input for pixel value `v` (0...255) of model channel `channel`.
    public func normalise(_ v: Double, channel: Int) -> Double {
        (scale.apply(v) - mean[channel]) / std[channel]
    }

    /// Length of the shorter side after a `crop` resize for a model input
    /// of `size` x `size`: `round(size * 256 / 224)` (256 for 224).
    public static func resizeSize(for size: Int) -> Int { (size * 256 + 112) / 224 }

    /// What an image goes through to become a `height` x `width` input, in
    /// a few lines (the generated header, `analyze`).
    public func steps(height: Int, width: Int) -> [String] {
        let geometry: String
        switch resize {
        case .crop:
            geometry = height == width
                ? "resize crop: shorter side resized to \(Self.resizeSize(for: height)) pixels (bilinear), centre \(width)x\(height) cropped"
                : "resize crop: needs a square input, this one is \(width)x\(height)"
        case .none:
            geometry = "resize none: the image must be exactly \(width)x\(height) pixels"
        }
        let order: String
        switch channels {
        case .rgb: order = "channels rgb: channel 0 red, 1 green, 2 blue"
        case .bgr: order = "channels bgr: channel 0 blue, 1 green, 2 red"
        case .grey: order = "channels grey: every channel the luma 0.299 R + 0.587 G + 0.114 B (a grey image: its value)"
        }
        return [geometry, order, formula, "mean = \(Self.format(mean)), std = \(Self.format(std))"]
    }

    /// `x[c] = (v[c] * 1/255 - mean[c]) / std[c]` with the numbers, for
    /// documentation (the generated header, `analyze`).
    public var formula: String {
        "x[c] = (v[c] * \(scale) - mean[c]) / std[c], v = pixel value 0..255"
    }

    /// One line: `rgb, scale 1/255, mean 0.485,0.456,0.406, std 0.229,0.224,0.225, resize crop`.
    public var description: String {
        "\(channels.rawValue), scale \(scale), mean \(Self.format(mean)), std \(Self.format(std)), resize \(resize.rawValue)"
    }

    /// Comma-separated numbers, shortest round-trip form.
    public static func format(_ values: [Double]) -> String { values.map(format).joined(separator: ",") }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// A decimal number (no hex, nan or inf spellings); nil otherwise.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ "0123456789.eE+-".contains($0) }), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `a,b,c`: comma-separated finite decimal numbers; nil unless every
    /// part is one.
    public static func numbers(_ text: String) -> [Double]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(Preprocessing.trimmed)
        var values: [Double] = []
        for part in parts {
            guard let value = number(part) else { return nil }
            values.append(value)
        }
        return values
    }
}

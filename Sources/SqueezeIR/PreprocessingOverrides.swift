/// Some fields of a `Preprocessing`, as a model's metadata or the command
/// line gives them; the others come from what they are applied to.
public struct PreprocessingOverrides: Sendable, Hashable {
    /// The fields, named as the options (`--mean`) and metadata keys
    /// (`squeezec.mean`) spell them.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case mean, std, scale, channels, resize

        /// `--mean`.
        public var option: String { "--" + rawValue }
        /// `squeezec.mean`.
        public var metadataKey: String { "squeezec." + rawValue }
    }

    public var mean: [Double]?
    public var std: [Double]?
    public var scale: Preprocessing.Scale?
    public var channels: Preprocessing.Channels?
    public var resize: Preprocessing.Resize?

    public init(mean: [Double]? = nil, std: [Double]? = nil, scale: Preprocessing.Scale? = nil,
                channels: Preprocessing.Channels? = nil, resize: Preprocessing.Resize? = nil) {
        self.mean = mean
        self.std = std
        self.scale = scale
        self.channels = channels
        self.resize = resize
    }

    /// Parses the given fields' texts. `name` says how a field is called in
    /// a message (`--mean` or `squeezec.mean`); errors are `.input` with
    /// that name and the bad text.
    public init(parsing texts: [Field: String], name: (Field) -> String) throws(Diagnostic) {
        self.init()
        for field in Field.allCases {
            guard let text = texts[field] else { continue }
            let shown = "\(name(field)) '\(Self.printable(text))'"
            switch field {
            case .mean, .std:
                guard let values = Preprocessing.numbers(text) else {
                    throw .input("\(shown) is not a comma-separated list of numbers (e.g. 0.485,0.456,0.406)")
                }
                if field == .std {
                    guard values.allSatisfy({ $0 != 0 }) else { throw .input("\(shown): a standard deviation of 0 divides by zero") }
                    std = values
                } else {
                    mean = values
                }
            case .scale:
                guard let scale = Preprocessing.Scale(parsing: text) else {
                    throw .input("\(shown) is not a positive number or fraction (e.g. 1/255 or 0.5)")
                }
                self.scale = scale
            case .channels:
                guard let channels = Preprocessing.Channels(rawValue: text) else {
                    throw .input("\(shown) is not rgb, bgr or grey")
                }
                self.channels = channels
            case .resize:
                guard let resize = Preprocessing.Resize(rawValue: text) else {
                    throw .input("\(shown) is not crop or none")
                }
                self.resize = resize
            }
        }
    }

    /// The fields that are set.
    public var fields: Set<Field> {
        var result: Set<Field> = []
        if mean != nil { result.insert(.mean) }
        if std != nil { result.insert(.std) }
        if scale != nil { result.insert(.scale) }
        if channels != nil { result.insert(.channels) }
        if resize != nil { result.insert(.resize) }
        return result
    }

    public var isEmpty: Bool { fields.isEmpty }

    /// `base` with the fields that are set replaced.
    public func applied(to base: Preprocessing) -> Preprocessing {
        Preprocessing(mean: mean ?? base.mean, std: std ?? base.std, scale: scale ?? base.scale,
                      channels: channels ?? base.channels, resize: resize ?? base.resize)
    }

    /// At most 40 printable ASCII characters of a user's text.
    static func printable(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0.value < 127 ? Character($0) : "?" })
        return cleaned.count > 40 ? String(cleaned.prefix(40)) + "..." : cleaned
    }
}

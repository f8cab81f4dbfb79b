import SqueezeIR

/// Accuracy of a classifier over a labelled set (or one shard of it), kept as
/// counts so that shard reports merge exactly (`merged`): the confusion
/// matrix, top-1 and top-5 hits, and for int8 how often the top-1 class is
/// the same as the fp32 reference's. Ratios are derived from the counts.
public struct AccuracyReport: Sendable, Codable, Equatable {
    /// int8 vs fp32 on the same inputs.
    public struct Agreement: Sendable, Codable, Equatable {
        /// Inputs compared.
        public var compared: Int
        /// Inputs whose int8 top-1 class is the fp32 top-1 class.
        public var top1Same: Int

        public init(compared: Int = 0, top1Same: Int = 0) {
            self.compared = compared
            self.top1Same = top1Same
        }

        public var ratio: Double { compared == 0 ? 0 : Double(top1Same) / Double(compared) }

        enum CodingKeys: String, CodingKey {
            case compared
            case top1Same = "top1_same"
        }
    }

    /// Everything that decides the predictions (model, precision, calibration,
    /// target, ...): only reports with equal settings merge.
    public var settings: [String: String]
    /// Class names by index.
    public var classes: [String]
    /// Inputs in the whole (limited) set, over all shards.
    public var datasetSize: Int
    /// The set is split in `shardCount` shards; this report covers `shards`.
    public var shardCount: Int
    public var shards: [Int]
    public var top1Correct = 0
    public var top5Correct = 0
    public var confusion: ConfusionMatrix
    public var agreement: Agreement?

    public init(settings: [String: String], classes: [String], datasetSize: Int, shard: Shard, int8: Bool) {
        self.settings = settings
        self.classes = classes
        self.datasetSize = datasetSize
        self.shardCount = shard.count
        self.shards = [shard.index]
        self.confusion = ConfusionMatrix(classes: classes.count)
        self.agreement = int8 ? Agreement() : nil
    }

    /// Adds one input: its true class, the model's output and, for int8, the
    /// fp32 reference's top-1 class on the same input.
    public mutating func record(label: Int, output: [Float], floatTop1: Int? = nil) {
        let top5 = TopK.indices(output, 5)
        let predicted = top5.first ?? 0
        confusion.add(truth: label, predicted: predicted)
        if predicted == label { top1Correct += 1 }
        if top5.contains(label) { top5Correct += 1 }
        if let floatTop1, agreement != nil {
            agreement!.compared += 1
            if floatTop1 == predicted { agreement!.top1Same += 1 }
        }
    }

    public var images: Int { confusion.total }
    public var top1: Double { images == 0 ? 0 : Double(top1Correct) / Double(images) }
    public var top5: Double { images == 0 ? 0 : Double(top5Correct) / Double(images) }
    /// Whether every shard of the set is in this report.
    public var isComplete: Bool { shards.count == shardCount }

    /// The sum of shard reports: refuses reports of different models or
    /// settings, of different sets or splits, and overlapping shards.
    public static func merged(_ reports: [AccuracyReport], names: [String]? = nil) throws(Diagnostic) -> AccuracyReport {
        guard var result = reports.first else { throw .usage("--merge needs at least one report") }
        let label = { (i: Int) in names.map { $0[i] } ?? "report \(i + 1)" }
        var owner: [Int: Int] = [:]
        for shard in result.shards { owner[shard] = 0 }
        for (i, report) in reports.enumerated().dropFirst() {
            if report.settings != result.settings {
                let keys = Set(report.settings.keys).union(result.settings.keys).sorted()
                let key = keys.first { report.settings[$0] != result.settings[$0] } ?? "?"
                throw .input("cannot merge: \(label(i)) has \(key) '\(report.settings[key] ?? "none")', \(label(0)) has '\(result.settings[key] ?? "none")'",
                             file: names?[i])
            }
            guard report.classes == result.classes, report.datasetSize == result.datasetSize else {
                throw .input("cannot merge: \(label(i)) was measured on a different data set (\(report.classes.count) classes, \(report.datasetSize) inputs; \(label(0)): \(result.classes.count) classes, \(result.datasetSize) inputs)",
                             file: names?[i])
            }
            guard report.shardCount == result.shardCount else {
                throw .input("cannot merge: \(label(i)) is split in \(report.shardCount) shards, \(label(0)) in \(result.shardCount)", file: names?[i])
            }
            guard (report.agreement == nil) == (result.agreement == nil) else {
                throw .input("cannot merge: \(label(i)) and \(label(0)) differ in precision", file: names?[i])
            }
            for shard in report.shards {
                if let first = owner[shard] {
                    throw .input("cannot merge: shard \(shard)/\(report.shardCount) is in both \(label(first)) and \(label(i))", file: names?[i])
                }
                owner[shard] = i
            }
            result.shards += report.shards
            result.top1Correct += report.top1Correct
            result.top5Correct += report.top5Correct
            result.confusion = result.confusion + report.confusion
            if let a = report.agreement, let b = result.agreement {
                result.agreement = Agreement(compared: a.compared + b.compared, top1Same: a.top1Same + b.top1Same)
            }
        }
        result.shards.sort()
        return result
    }

    enum CodingKeys: String, CodingKey {
        case settings, classes, shards, confusion, agreement, images, top1, top5, complete
        case datasetSize = "dataset_size"
        case shardCount = "shard_count"
        case top1Correct = "top1_correct"
        case top5Correct = "top5_correct"
        case perClass = "per_class"
    }

    /// One class's line of the JSON report (derived, not read back).
    struct ClassEntry: Encodable {
        var name: String
        var correct: Int
        var total: Int
        var accuracy: Double?
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        settings = try c.decode([String: String].self, forKey: .settings)
        classes = try c.decode([String].self, forKey: .classes)
        datasetSize = try c.decode(Int.self, forKey: .datasetSize)
        shardCount = try c.decode(Int.self, forKey: .shardCount)
        shards = try c.decode([Int].self, forKey: .shards)
        top1Correct = try c.decode(Int.self, forKey: .top1Correct)
        top5Correct = try c.decode(Int.self, forKey: .top5Correct)
        confusion = try c.decode(ConfusionMatrix.self, forKey: .confusion)
        agreement = try c.decodeIfPresent(Agreement.self, forKey: .agreement)
        guard confusion.classes == classes.count, confusion.counts.allSatisfy({ $0.count == classes.count }),
              shardCount >= 1, shards.allSatisfy({ $0 >= 0 && $0 < shardCount }),
              confusion.counts.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "inconsistent report"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(settings, forKey: .settings)
        try c.encode(classes, forKey: .classes)
        try c.encode(datasetSize, forKey: .datasetSize)
        try c.encode(shardCount, forKey: .shardCount)
        try c.encode(shards, forKey: .shards)
        try c.encode(isComplete, forKey: .complete)
        try c.encode(images, forKey: .images)
        try c.encode(top1Correct, forKey: .top1Correct)
        try c.encode(top5Correct, forKey: .top5Correct)
        try c.encode(top1, forKey: .top1)
        try c.encode(top5, forKey: .top5)
        try c.encode(confusion, forKey: .confusion)
        try c.encodeIfPresent(agreement, forKey: .agreement)
        let perClass = classes.indices.map {
            ClassEntry(name: classes[$0], correct: confusion.correct(of: $0), total: confusion.total(of: $0), accuracy: confusion.accuracy(of: $0))
        }
        try c.encode(perClass, forKey: .perClass)
    }
}

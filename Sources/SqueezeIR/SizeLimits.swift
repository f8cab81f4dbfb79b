/// The largest model squeezec compiles (docs/limits.md). Sizes are checked
/// with overflow-safe arithmetic before anything that large is allocated, so
/// an absurd model or option is refused with the numbers instead of killing
/// the process. No network meant for a microcontroller comes near them.
public enum SizeLimits {
    /// Elements of one tensor, a weight or an activation: 2^28 (1 GiB of float32).
    public static let maxElements = 1 << 28
    /// Bytes of all weights together, as float32: 1 GiB.
    public static let maxWeightBytes = 1 << 30
    /// Bytes of the planned arena (all live activations at once): 2 GiB.
    public static let maxArenaBytes = 1 << 31
    /// Longest chain of streamed stages the generated C may nest: each stage
    /// pulls its input rows by calling its producer's `ensure` function, so
    /// the chain is the depth of nested calls at run time, and the header's
    /// stack bound (MODEL_STACK_BYTES) holds only for short chains
    /// (squeezenet1.0 and 1.1 with the complex bypass: 26).
    public static let maxStreamedChain = 64
    /// `--decode-scratch` bytes: below 1 KiB every layer decodes its
    /// smallest block anyway; above 16 MiB is no microcontroller's RAM.
    public static let decodeScratch = 1024...(16 << 20)

    /// a + b, or Int.max when it overflows.
    public static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : value
    }

    /// a * b, or Int.max when it overflows (sizes are never negative).
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : value
    }

    /// The product of `dims`, Int.max when it overflows.
    public static func product(_ dims: [Int]) -> Int {
        dims.reduce(1, product)
    }

    /// `count` with thousands separated, e.g. 22_500_000_000 -> "22,500,000,000".
    public static func formatted(_ count: Int) -> String {
        guard count != .max else { return "more than \(formatted(Int.max / 2))" }
        let digits = String(count.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (count < 0 ? "-" : "") + out
    }

    /// Refuses a tensor of `elements` elements (`what`: "weight 'conv1.weight'", "value 'fire2'").
    public static func checkTensor(elements: Int, _ what: String, node: String?, file: String? = nil) throws(Diagnostic) {
        guard elements <= maxElements else {
            throw .unsupported("\(what) would have \(formatted(elements)) elements; the limit is \(formatted(maxElements)) (docs/limits.md)",
                               file: file, node: node)
        }
    }

    /// Refuses weights of `bytes` bytes in all (`node`: the layer that crossed the limit).
    public static func checkWeights(bytes: Int, node: String?, file: String? = nil) throws(Diagnostic) {
        guard bytes <= maxWeightBytes else {
            throw .unsupported("the weights would take \(formatted(bytes)) bytes (from this layer on); the limit is \(formatted(maxWeightBytes)) bytes (docs/limits.md)",
                               file: file, node: node)
        }
    }

    /// Refuses an arena of `bytes` bytes.
    public static func checkArena(bytes: Int, file: String? = nil) throws(Diagnostic) {
        guard bytes <= maxArenaBytes else {
            throw .unsupported("the arena would take \(formatted(bytes)) bytes; the limit is \(formatted(maxArenaBytes)) bytes (docs/limits.md)",
                               file: file)
        }
    }

    /// Every value of a shape-inferred graph, and its weights in all (in
    /// node order, so the message names the first layer over a limit).
    public static func check(_ graph: Graph, file: String? = nil) throws(Diagnostic) {
        for input in graph.inputs {
            try checkTensor(elements: product(input.type.shape.dims), "input '\(input.name)'", node: nil, file: file)
        }
        var weightBytes = 0
        var counted = Set<String>()
        for node in graph.nodes {
            if let type = graph.valueTypes[node.output] {
                try checkTensor(elements: product(type.shape.dims), "its output", node: node.name, file: file)
            }
            for parameter in node.parameters where counted.insert(parameter).inserted {
                guard let tensor = graph.constants[parameter] else { continue }
                weightBytes = sum(weightBytes, product(product(tensor.shape.dims), 4))
                try checkWeights(bytes: weightBytes, node: node.name, file: file)
            }
        }
    }
}

import Foundation
import SqueezeIR
import SqueezeTensorIO

/// Imports an ONNX model (a SqueezeNet-like CNN) as a squeezec graph.
///
/// What is read: opsets 11 through 21 of the default domain; one float32
/// image input `[1, C, H, W]` (a symbolic batch dimension is taken as 1),
/// which becomes an NHWC graph input of the same name; the operators Conv,
/// Relu, MaxPool, AveragePool, GlobalAveragePool, Concat, Dropout, Identity,
/// Flatten, Reshape (to 2-D), Softmax, Add, BatchNormalization (folded into
/// the Conv before it) and Constant, and for already-quantised models
/// QuantizeLinear, DequantizeLinear, QLinearConv and com.microsoft's
/// QLinearAdd, QLinearConcat and QLinearGlobalAveragePool (the full list:
/// `ONNXOperatorTable`; what they become: docs/quantized-models.md). Conv
/// weights become OHWI constants.
/// Node names and value names are those of the file (a node without a name
/// gets `OpType_index`).
///
/// Every unsupported node is listed in one diagnostic, so a user sees the
/// whole job at once. The returned graph has passed shape inference and the
/// graph verifier.
public enum ONNXImporter {
    /// The versions of the default ONNX operator set squeezec reads: 11
    /// through 21 as specified, and 22 to 25 too, since for the operators
    /// squeezec supports those versions only add data types (bfloat16, float8,
    /// int4...) that the importer rejects anyway (the onnx package's own
    /// backend node tests are written at opset 22 and, for Identity, 25).
    public static let supportedOpsets: ClosedRange<Int64> = 11...25

    /// Reads and imports an `.onnx` file.
    public static func load(path: String) throws(Diagnostic) -> Graph {
        try load(bytes: ONNXFile.readBytes(path), file: path)
    }

    /// Imports the bytes of an `.onnx` file; `file` names it in diagnostics
    /// and, without a graph name in the file, names the graph.
    public static func load(bytes: [UInt8], file: String) throws(Diagnostic) -> Graph {
        let model = try ONNXProto.decodeModel(bytes, file: file)
        guard model.irVersion > 0 else {
            throw .input("not an ONNX model: ir_version is missing", file: file)
        }
        guard let graph = model.graph else {
            throw .input("not an ONNX model: it has no graph", file: file)
        }
        let opset = try defaultOpset(model, file: file)
        var converter = try ONNXGraphConverter(graph: graph, opset: opset, file: file)
        var imported = try converter.run()
        for entry in model.metadataProps { imported.metadata[entry.key] = entry.value }
        imported.preprocessing = try preprocessing(imported, file: file)
        return imported
    }

    /// The preprocessing the model's `squeezec.*` metadata_props declare
    /// (docs/preprocessing.md), over the standard one for its input
    /// channels; nil when it declares none. Bad values are errors naming the
    /// file and the key.
    static func preprocessing(_ graph: SqueezeIR.Graph, file: String) throws(Diagnostic) -> Preprocessing? {
        var texts: [PreprocessingOverrides.Field: String] = [:]
        for field in PreprocessingOverrides.Field.allCases {
            texts[field] = graph.metadata[field.metadataKey]
        }
        guard !texts.isEmpty else { return nil }
        let declared: PreprocessingOverrides
        let channels = graph.inputs.first.map { $0.type.shape.isActivation4D ? $0.type.shape.c : 0 } ?? 0
        do {
            declared = try PreprocessingOverrides(parsing: texts) { "metadata \($0.metadataKey)" }
            let result = Preprocessing.resolved(declared, over: nil, channels: channels) ?? declared.applied(to: .imageNet)
            try result.check(channels: channels) { "metadata \($0.metadataKey)" }
            return result
        } catch {
            throw error.inFile(file)
        }
    }

    /// The version of the default operator set the model imports, checked.
    static func defaultOpset(_ model: ONNXProto.Model, file: String) throws(Diagnostic) -> Int64 {
        let versions = Set(model.opsetImports.filter { isDefaultDomain($0.domain) }.map(\.version))
        guard let version = versions.first else {
            throw .input("the model imports no operator set of the default ONNX domain (opset_import)", file: file)
        }
        guard versions.count == 1 else {
            throw .input("the model imports the default ONNX domain at several versions: \(versions.sorted())", file: file)
        }
        guard supportedOpsets.contains(version) else {
            throw .unsupported("opset \(version) of the default ONNX domain is not supported (squeezec reads opsets \(supportedOpsets.lowerBound) through \(supportedOpsets.upperBound))", file: file)
        }
        return version
    }

    static func isDefaultDomain(_ domain: String) -> Bool {
        domain.isEmpty || domain == "ai.onnx"
    }
}

/// Limits on sizes read from a file: generous for real networks, small
/// enough that no size arithmetic can overflow.
enum ONNXLimits {
    /// Kernel sizes, strides and pads.
    static let maxSpatial: Int64 = 1 << 16
    /// Input height and width.
    static let maxImageSide: Int64 = 1 << 16
    static let maxChannels: Int64 = 1 << 20
    /// Input values per image.
    static let maxInputElements = 1 << 30
}

/// A check made after shape inference, on the IR node at `node`.
enum ONNXPostCheck {
    /// A Reshape imported as flatten: the result must be `[1, columns]`.
    case reshape(node: Int, target: [Int64], columns: Int64?)
    /// Softmax: the input must be 2-D.
    case softmax(node: Int)
    /// Flatten with a negative axis: it must mean axis 1.
    case flattenAxis(node: Int, axis: Int64)
}

/// The state of one import: ONNX nodes are converted in topological order
/// into IR nodes.
struct ONNXGraphConverter {
    let file: String
    let proto: ONNXProto.Graph
    let opset: Int64
    /// Every node, with its unique name, in the file's order.
    let views: [ONNXNodeView]
    /// Indices into `views` in execution order.
    var order: [Int] = []

    /// Initializers and Constant-node outputs, by value name.
    var constants: [String: ONNXProto.Tensor] = [:]
    /// Identity outputs -> the value they stand for (already resolved).
    var aliases: [String: String] = [:]
    /// The readers of each (resolved) value: indices into `views`, and -1
    /// for a graph output. Identity nodes are not readers.
    var uses: [String: [Int]] = [:]

    /// The graph input (NHWC) and every activation defined so far.
    var input: ValueInfo
    var defined: Set<String> = []
    /// Outputs of nodes found unsupported: defined, but not built.
    var poisoned: Set<String> = []
    /// Every value name of the file: initializers, inputs, node outputs.
    let valueNames: Set<String>

    var nodes: [SqueezeIR.Node] = []
    /// IR node index of each activation.
    var producers: [String: Int] = [:]
    var irConstants: [String: SqueezeIR.Tensor] = [:]
    var postChecks: [ONNXPostCheck] = []
    /// Gemm/MatMul outputs (a flatten of a fully-connected convolution) whose bias an Add may fold (`ONNXDense`).
    var denseOutputs: Set<String> = []
    /// (node name, op type, reason) of every unsupported node.
    var unsupported: [(String, String, String)] = []

    /// Already-quantised models (`ONNXQuantizedOperators`): "QDQ" or
    /// "QOperator" once a quantised node is read.
    var quantizationFormat: String?
    /// Parameters of quantised activation values (int8 domain).
    var valueParams: [String: QuantParams] = [:]
    /// Quantised initializers by the name of the float value they stand for.
    var quantizedConstants: [String: ONNXQuantizedConstant] = [:]
    /// The model's integer weights and biases by IR constant name.
    var importedWeights: [String: QuantizedWeight] = [:]
    var importedBiases: [String: QuantizedBias] = [:]

    init(graph: ONNXProto.Graph, opset: Int64, file: String) throws(Diagnostic) {
        self.file = file
        self.proto = graph
        self.opset = opset
        if graph.hasSparseInitializers {
            throw .unsupported("sparse initializers are not supported", file: file)
        }
        for tensor in graph.initializers {
            guard !tensor.name.isEmpty else { throw .input("an initializer has no name", file: file) }
            guard constants.updateValue(tensor, forKey: tensor.name) == nil else {
                throw .input("initializer '\(MessageText.printable(tensor.name))' is given twice", file: file)
            }
        }
        input = try Self.graphInput(graph, constants: constants, file: file)
        defined.insert(input.name)
        views = Self.namedNodes(graph.nodes, file: file)
        var names = Set(constants.keys)
        names.formUnion(graph.inputs.map(\.name))
        for node in graph.nodes { names.formUnion(node.outputs) }
        valueNames = names
    }

    // MARK: Running

    mutating func run() throws(Diagnostic) -> SqueezeIR.Graph {
        order = try ONNXGraphOrder.sort(views, constants: constants, input: input.name, file: file)
        collectUses()
        for index in order {
            let view = views[index]
            do {
                try checkExtraOutputs(view)
                try convert(view)
            } catch where error.kind == .unsupported {
                unsupported.append((view.name, view.opType, error.message))
                for output in view.outputs where !output.isEmpty {
                    defined.insert(output)
                    poisoned.insert(output)
                }
            } catch {
                throw located(error, view)
            }
        }
        try reportUnsupported()
        let outputs = try graphOutputs()
        let graphName = proto.name.isEmpty ? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent : proto.name
        let graph = SqueezeIR.Graph(name: graphName, inputs: [input], outputs: outputs, nodes: nodes, constants: irConstants)
        var typed: SqueezeIR.Graph
        do {
            try ONNXSizeGuard.check(graph)
            typed = try ShapeInference.run(graph)
            try runPostChecks(typed)
            try checkDeclaredOutputShapes(typed)
            if let format = quantizationFormat {
                typed.importedQuantization = ImportedQuantization(format: format, values: valueParams, weights: importedWeights,
                                                                  biases: importedBiases)
                typed = try ONNXReluRestoration.run(typed, reserved: valueNames)
            }
            try GraphVerifier.verify(typed)
        } catch {
            throw error.inFile(file)
        }
        return typed
    }

    func located(_ error: Diagnostic, _ view: ONNXNodeView) -> Diagnostic {
        var copy = error
        if copy.location.file == nil { copy.location.file = file }
        if copy.location.node == nil { copy.location.node = view.name }
        return copy
    }

    /// One diagnostic summarising every unsupported node (counts per op
    /// type, the first names; the full list in `details`, for `--verbose`),
    /// with a hint when the model is quantised: squeezec can quantise the
    /// float model itself.
    func reportUnsupported() throws(Diagnostic) {
        guard !unsupported.isEmpty else { return }
        let nodes = unsupported.map { UnsupportedNode(name: $0.0, op: $0.1, reason: $0.2) }
        let quantised = quantizationFormat != nil || unsupported.contains { $0.1.hasPrefix("QLinear") || $0.1.hasPrefix("Quant") }
        let hint = quantised ? "squeezec can quantise the float model itself: --precision int8 --calibrate DIR" : nil
        throw UnsupportedNode.report(nodes, what: "", hint: hint, file: file)
    }

    // MARK: Graph input and node names

    /// The single graph input that is not an initializer: float32
    /// `[1, C, H, W]` (batch may be symbolic), as an NHWC `ValueInfo`.
    static func graphInput(_ graph: ONNXProto.Graph, constants: [String: ONNXProto.Tensor], file: String) throws(Diagnostic) -> ValueInfo {
        let inputs = graph.inputs.filter { constants[$0.name] == nil }
        guard let info = inputs.first else {
            throw .input("the graph has no input (every input is an initializer)", file: file)
        }
        guard inputs.count == 1 else {
            let names = inputs.map { "'\(MessageText.printable($0.name))'" }.joined(separator: ", ")
            throw .unsupported("the graph has \(inputs.count) inputs (\(names)); squeezec compiles networks with one image input", file: file)
        }
        let name = MessageText.printable(info.name)
        guard !info.name.isEmpty else { throw .input("the graph input has no name", file: file) }
        guard let type = info.type else {
            throw .unsupported("graph input '\(name)' is not a tensor", file: file)
        }
        guard type.elementType == ONNXDataType.float else {
            throw .unsupported("graph input '\(name)' is \(ONNXDataType.name(type.elementType)); squeezec needs a float32 image", file: file)
        }
        guard let shape = type.shape else {
            throw .unsupported("graph input '\(name)' has no shape; export with a fixed [1, C, H, W] input", file: file)
        }
        guard shape.count == 4 else {
            throw .unsupported("graph input '\(name)' has rank \(shape.count); squeezec needs an image [1, C, H, W]", file: file)
        }
        switch shape[0] {
        case .value(1), .parameter, .unknown: break
        case .value(let n):
            throw .unsupported("graph input '\(name)' has batch size \(n); squeezec compiles batch 1 (use 1 or a symbolic batch)", file: file)
        }
        var sizes: [Int] = []
        for (axis, label, limit) in [(1, "channels", ONNXLimits.maxChannels), (2, "height", ONNXLimits.maxImageSide), (3, "width", ONNXLimits.maxImageSide)] {
            switch shape[axis] {
            case .value(let v) where v >= 1 && v <= limit:
                sizes.append(Int(v))
            case .value(let v):
                throw .input("graph input '\(name)' has \(label) \(v); expected 1 to \(limit)", file: file)
            case .parameter(let p):
                throw .unsupported("graph input '\(name)' has dynamic \(label) '\(MessageText.printable(p))'; export with a fixed input size", file: file)
            case .unknown:
                throw .unsupported("graph input '\(name)' has unknown \(label); export with a fixed input size", file: file)
            }
        }
        let (c, h, w) = (sizes[0], sizes[1], sizes[2])
        guard c * h * w <= ONNXLimits.maxInputElements else {
            throw .input("graph input '\(name)' [1, \(c), \(h), \(w)] is too large", file: file)
        }
        return ValueInfo(name: info.name, type: TensorType(.float32, .nhwc(1, h, w, c)))
    }

    /// Node names from the file, made unique; `OpType_index` when missing.
    static func namedNodes(_ nodes: [ONNXProto.Node], file: String) -> [ONNXNodeView] {
        var used = Set<String>()
        // Next suffix to try for each repeated name, so many repeats stay linear.
        var nextSuffix: [String: Int] = [:]
        var views: [ONNXNodeView] = []
        views.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            let base = !node.name.isEmpty ? node.name : "\(node.opType.isEmpty ? "node" : node.opType)_\(index)"
            var name = base
            while !used.insert(name).inserted {
                let suffix = nextSuffix[base, default: 2]
                nextSuffix[base] = suffix + 1
                name = "\(base)_\(suffix)"
            }
            views.append(ONNXNodeView(proto: node, name: name, index: index, file: file))
        }
        return views
    }

    // MARK: Values

    /// The value an Identity chain stands for.
    func resolve(_ name: String) -> String {
        aliases[name] ?? name
    }

    /// Follows Identity nodes (in execution order) and records who reads
    /// what, for BatchNormalization folding and unused extra outputs.
    mutating func collectUses() {
        for index in order {
            let view = views[index]
            if view.opType == "Identity" && ONNXImporter.isDefaultDomain(view.proto.domain)
                || Self.isActivationQDQ(view, constants: constants, resolve: resolve),
               let input = view.input(0), let output = view.outputs.first, !output.isEmpty {
                aliases[output] = resolve(input)
                continue
            }
            for input in view.inputs where !input.isEmpty {
                uses[resolve(input), default: []].append(index)
            }
        }
        for output in proto.outputs {
            uses[resolve(output.name), default: []].append(-1)
        }
    }

    /// Outputs after the first are not built; they must not be read.
    func checkExtraOutputs(_ view: ONNXNodeView) throws(Diagnostic) {
        guard let first = view.outputs.first, !first.isEmpty else {
            throw view.invalid("\(view.opType) has no output")
        }
        for (position, output) in view.outputs.enumerated().dropFirst() where !output.isEmpty {
            if uses[resolve(output)] != nil {
                throw .unsupported("its output \(position + 1) ('\(MessageText.printable(output))') is used; squeezec builds only the first output")
            }
        }
    }

    /// An activation input (graph input or node output).
    func activation(_ name: String, of view: ONNXNodeView) throws(Diagnostic) -> String {
        let value = resolve(name)
        if constants[value] != nil {
            throw .unsupported("input '\(MessageText.printable(name))' is a constant; \(view.opType) is supported on computed values only")
        }
        guard defined.contains(value) else {
            throw view.invalid("input '\(MessageText.printable(name))' is not a graph input, an initializer or the output of an earlier node")
        }
        return value
    }

    /// A constant input (initializer or Constant output).
    func constant(_ name: String, of view: ONNXNodeView) throws(Diagnostic) -> ONNXProto.Tensor {
        let value = resolve(name)
        if let tensor = constants[value] { return tensor }
        if defined.contains(value) {
            throw .unsupported("input '\(MessageText.printable(name))' must be a constant (an initializer or Constant), but it is computed")
        }
        throw view.invalid("input '\(MessageText.printable(name))' is not a graph input, an initializer or the output of an earlier node")
    }

    /// Appends an IR node.
    mutating func emit(_ node: SqueezeIR.Node) {
        producers[node.output] = nodes.count
        defined.insert(node.output)
        nodes.append(node)
    }

    /// Stores an IR constant and returns its name. With `reuse`, the name is
    /// `preferred` (an ONNX initializer's name) unless that already holds a
    /// different tensor; otherwise (new tensors, such as folded weights) it is
    /// a fresh name clear of every ONNX value and IR constant.
    mutating func store(_ tensor: SqueezeIR.Tensor, as preferred: String, reuse: Bool) -> String {
        if reuse {
            guard let existing = irConstants[preferred] else {
                irConstants[preferred] = tensor
                return preferred
            }
            if existing == tensor { return preferred }
        }
        var name = preferred
        var suffix = 2
        while valueNames.contains(name) || irConstants[name] != nil {
            name = "\(preferred)_\(suffix)"
            suffix += 1
        }
        irConstants[name] = tensor
        return name
    }

    // MARK: Outputs and checks

    /// The graph outputs as IR values. An output made by an Identity renames
    /// the value it copies, so the output keeps its ONNX name.
    mutating func graphOutputs() throws(Diagnostic) -> [String] {
        guard !proto.outputs.isEmpty else { throw .input("the graph has no output", file: file) }
        let names = Set(proto.outputs.map(\.name))
        var renames: [String: String] = [:]
        var result: [String] = []
        for output in proto.outputs {
            let name = output.name
            guard !name.isEmpty else { throw .input("a graph output has no name", file: file) }
            let value = resolve(name)
            if constants[value] != nil {
                throw .unsupported("graph output '\(MessageText.printable(name))' is a constant", file: file)
            }
            guard defined.contains(value) else {
                throw .input("graph output '\(MessageText.printable(name))' is never produced", file: file)
            }
            if value != name, !names.contains(value), producers[value] != nil, renames[value] == nil {
                renames[value] = name
                result.append(name)
            } else {
                result.append(renames[value] ?? value)
            }
        }
        guard !renames.isEmpty else { return result }
        for (old, new) in renames {
            if let params = valueParams[old] { valueParams[new] = params }
        }
        for index in nodes.indices {
            if let new = renames[nodes[index].output] { nodes[index].output = new }
            nodes[index].inputs = nodes[index].inputs.map { renames[$0] ?? $0 }
        }
        return result
    }

    func runPostChecks(_ graph: SqueezeIR.Graph) throws(Diagnostic) {
        for check in postChecks {
            switch check {
            case .reshape(let index, let target, let columns):
                let node = graph.nodes[index]
                let x = try graph.type(of: node.inputs[0]).shape
                let y = try graph.type(of: node.output).shape
                if let columns, y.dims != [1, Int(columns)] {
                    throw .unsupported("Reshape to \(target) needs \(columns) values per image, but its input \(x) (\(Self.onnxShape(x))) has \(x.elementCount)", node: node.name)
                }
            case .softmax(let index):
                let node = graph.nodes[index]
                let x = try graph.type(of: node.inputs[0]).shape
                guard x.rank == 2 else {
                    throw .unsupported("Softmax is supported on 2-D tensors only; its input is \(Self.onnxShape(x))", node: node.name)
                }
            case .flattenAxis(let index, let axis):
                let node = graph.nodes[index]
                let x = try graph.type(of: node.inputs[0]).shape
                guard Int64(x.rank) + axis == 1 else {
                    throw .unsupported("Flatten axis \(axis) on a rank-\(x.rank) tensor is not supported (only axis 1)", node: node.name)
                }
            }
        }
    }

    /// The graph outputs' declared shapes (where given) must match.
    func checkDeclaredOutputShapes(_ graph: SqueezeIR.Graph) throws(Diagnostic) {
        for (info, value) in zip(proto.outputs, graph.outputs) {
            guard let declared = info.type?.shape, let actual = graph.valueTypes[value]?.shape else { continue }
            let onnxDims = Self.onnxDims(actual)
            let matches = declared.count == onnxDims.count && zip(declared, onnxDims).allSatisfy { dimension, size in
                if case .value(let v) = dimension { return v == Int64(size) }
                return true
            }
            guard matches else {
                let text = declared.map { dimension -> String in
                    switch dimension {
                    case .value(let v): "\(v)"
                    case .parameter(let p): MessageText.printable(p)
                    case .unknown: "?"
                    }
                }
                throw .input("graph output '\(MessageText.printable(info.name))' is declared as [\(text.joined(separator: ", "))] but computes to \(onnxDims)",
                             node: graph.producers[value].map { graph.nodes[$0].name })
            }
        }
    }

    /// An IR shape in ONNX axis order (NCHW for 4-D).
    static func onnxDims(_ shape: TensorShape) -> [Int] {
        shape.rank == 4 ? [shape.n, shape.c, shape.h, shape.w] : shape.dims
    }

    static func onnxShape(_ shape: TensorShape) -> String {
        "\(onnxDims(shape))"
    }
}

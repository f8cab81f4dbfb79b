import SqueezeIR

/// `--input-type uint8`: folds the graph's preprocessing
/// `x[c] = (v[c] * scale - mean[c]) / std[c]` into the one convolution that
/// reads the input, so the model takes raw pixel values `v` (0...255):
///
///     w'[o,kh,kw,c] = w[o,kh,kw,c] * scale / std[c]
///     b'[o]         = b[o] - sum_{kh,kw,c} w[o,kh,kw,c] * mean[c] / std[c]
///
/// (in Double, then rounded to Float). The result's `preprocessing` keeps its
/// channel order and resize with scale 1, mean 0 and std 1, and its
/// `inputType` is `uint8`.
///
/// Refused (one line naming the node and why): no preprocessing known, an
/// input that feeds anything but exactly one unpadded convolution (a padded
/// tap reads 0 where the original model read the normalised 0.0, which is the
/// raw value mean/scale: not a pixel value), weights that are not fp32.
/// A graph already folded is returned unchanged.
public struct InputNormalisationFolding: GraphPass {
    public let name = "input-normalisation-folding"

    public init() {}

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        guard graph.inputType == .float else { return graph }
        let option = "--input-type uint8"
        guard graph.quantization == nil else { throw .usage("\(option): the graph '\(graph.name)' is already quantised") }
        guard let preprocessing = graph.preprocessing else {
            throw .unsupported("\(option): the model's preprocessing (mean, std, scale) is unknown, so it cannot be folded")
        }
        guard graph.inputs.count == 1, let input = graph.inputs.first else {
            throw .unsupported("\(option) needs a model with one input (this one has \(graph.inputs.count))")
        }
        let shape = input.type.shape
        guard shape.isActivation4D, preprocessing.mean.count == shape.c, preprocessing.std.count == shape.c else {
            throw .unsupported("\(option): the input '\(input.name)' \(shape) does not match the preprocessing (\(preprocessing.mean.count) channels)")
        }
        let readers = graph.nodes.indices.filter { graph.nodes[$0].inputs.contains(input.name) }
        guard !graph.outputs.contains(input.name), readers.count == 1, let index = readers.first else {
            let names = readers.map { graph.nodes[$0].name }.joined(separator: ", ")
            throw .unsupported("\(option): the input '\(input.name)' must feed exactly one convolution; it feeds \(readers.count) node(s)\(names.isEmpty ? "" : " (\(names))")")
        }
        var node = graph.nodes[index]
        guard case .conv2d(var attributes) = node.op, node.inputs == [input.name] else {
            throw .unsupported("\(option): the input must feed a convolution, not \(node.op.name)", node: node.name)
        }
        guard attributes.padding.isZero else {
            throw .unsupported("\(option): the first convolution is padded (\(attributes.padding)); a padded tap would need the raw value "
                               + "mean/scale, which is not a pixel value", node: node.name)
        }
        guard let weightTensor = graph.constants[node.parameters[0]], let weights = weightTensor.floats,
              weightTensor.shape.dims.count == 4, weightTensor.shape.dims[3] == shape.c else {
            throw .unsupported("\(option): the first convolution's weights are not fp32 OHWI with \(shape.c) input channels", node: node.name)
        }
        let outChannels = attributes.outChannels
        var bias = [Double](repeating: 0, count: outChannels)
        if attributes.hasBias {
            guard node.parameters.count > 1, let b = graph.constants[node.parameters[1]]?.floats, b.count == outChannels else {
                throw .unsupported("\(option): the first convolution's bias is not fp32", node: node.name)
            }
            bias = b.map(Double.init)
        }
        let channels = shape.c
        let perOutput = weights.count / outChannels
        let scale = preprocessing.scale.value
        var folded = [Float](repeating: 0, count: weights.count)
        for o in 0..<outChannels {
            var shift = 0.0
            for k in 0..<perOutput {
                let c = k % channels
                let w = Double(weights[o * perOutput + k])
                folded[o * perOutput + k] = Float(w * scale / preprocessing.std[c])
                shift += w * preprocessing.mean[c] / preprocessing.std[c]
            }
            bias[o] -= shift
        }
        var result = graph
        result.constants[node.parameters[0]] = Tensor(shape: weightTensor.shape, floats: folded)
        let biasTensor = Tensor(shape: TensorShape([outChannels]), floats: bias.map { Float($0) })
        if attributes.hasBias {
            result.constants[node.parameters[1]] = biasTensor
        } else {
            var name = node.name + ".folded_bias"
            while result.constants[name] != nil { name += "_" }
            result.constants[name] = biasTensor
            attributes.hasBias = true
            node.op = .conv2d(attributes)
            node.parameters = [node.parameters[0], name]
            result.nodes[index] = node
        }
        result.preprocessing = Preprocessing(mean: Array(repeating: 0, count: channels), std: Array(repeating: 1, count: channels),
                                             scale: Preprocessing.Scale(1), channels: preprocessing.channels, resize: preprocessing.resize)
        result.inputType = .uint8
        result.foldedPreprocessing = preprocessing
        return result
    }
}

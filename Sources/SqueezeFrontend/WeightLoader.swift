import SqueezeIR
import SqueezeTensorIO

/// Loads trained weights for a built-in model from a NumPy `.npz` archive.
///
/// Format (documented in docs/weights.md): one float32 array per parameter, in the
/// PyTorch layout: conv weights OIHW `[out, in, kh, kw]`, biases `[out]`.
/// Keys are squeezec's parameter names (`conv1.weight`, `fire2/squeeze1x1.bias`,
/// ...; `squeezec dump` lists them) or torchvision's `state_dict` keys
/// (`features.0.weight`, `features.3.squeeze.weight`, `classifier.1.bias`), so
/// `np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})`
/// works as it is. Every parameter must be present; unknown keys are an error
/// (they usually mean the wrong model or metaparameters).
public enum WeightLoader {
    public static func apply(file: String, to graph: Graph, aliases: [String: String]) throws(Diagnostic) -> Graph {
        let arrays = try NpzArchive.read(path: file)
        var result = graph
        var assigned = Set<String>()
        for key in arrays.keys.sorted() {
            let name = graph.constants[key] != nil ? key : aliases[key]
            guard let name, let current = graph.constants[name], let array = arrays[key] else {
                throw .input("array '\(key)' matches no parameter of \(graph.name) (see 'squeezec dump' for the names)", file: file)
            }
            guard assigned.insert(name).inserted else {
                throw .input("parameter '\(name)' is given twice (array '\(key)')", file: file)
            }
            result.constants[name] = try convert(array, key: key, like: current, file: file)
        }
        let missing = graph.constants.keys.filter { !assigned.contains($0) }.sorted()
        if !missing.isEmpty {
            let list = missing.prefix(3).joined(separator: ", ") + (missing.count > 3 ? ", ..." : "")
            throw .input("\(missing.count) parameter(s) missing: \(list)", file: file)
        }
        return result
    }

    /// PyTorch layout -> squeezec layout, checking the shape.
    static func convert(_ array: NpyArray, key: String, like current: Tensor, file: String) throws(Diagnostic) -> Tensor {
        guard let values = array.floats else {
            throw .input("array '\(key)' must be float32", file: file)
        }
        let dims = current.shape.dims
        if dims.count == 4 {
            let (o, kh, kw, i) = (dims[0], dims[1], dims[2], dims[3])
            guard array.shape == [o, i, kh, kw] else {
                throw .input("array '\(key)' has shape \(array.shape), expected \([o, i, kh, kw]) (OIHW)", file: file)
            }
            return Tensor(shape: current.shape, floats: Layout.oihwToOHWI(values, o: o, i: i, kh: kh, kw: kw))
        }
        guard array.shape == dims else {
            throw .input("array '\(key)' has shape \(array.shape), expected \(dims)", file: file)
        }
        return Tensor(shape: current.shape, floats: values)
    }
}

import SqueezeFrontend
import SqueezeIR
import SqueezeTensorIO

/// Reading model inputs and writing outputs in the users' convention
/// (NCHW float32 `.npy`), converting to and from squeezec's NHWC.
public enum InputFiles {
    /// Image files read as inputs (decoded, resized, centre-cropped and
    /// normalised: `ImagePreprocessing`).
    public static let imageExtensions = ImageInput.fileExtensions

    /// Any supported input file: tensors (`.npy`, `.pb`, taken as they are)
    /// or images, turned into the model's input by `preprocessing` (the
    /// model's: `Graph.preprocessing` once the compile pipeline loaded it;
    /// nil: `Preprocessing.standard` for the input's channels). Every
    /// command reads its inputs through here (`run`, `validate`,
    /// calibration folders, `eval`).
    public static func readInput(_ path: String, for input: ValueInfo,
                                 preprocessing: Preprocessing? = nil) throws(Diagnostic) -> [Float] {
        guard ImageInput.isImagePath(path) else { return try readImage(path, for: input) }
        let s = input.type.shape
        guard s.isActivation4D, s.n == 1, s.c == 1 || s.c == 3, s.h == s.w,
              let preprocessing = preprocessing ?? Preprocessing.standard(channels: s.c) else {
            throw .unsupported("images need a square 1- or 3-channel input; the model takes \(s) (use a .npy)", file: path)
        }
        let tensor = try ImageInput.loadTensor(path: path, size: s.h, channels: s.c, preprocessing: preprocessing)
        guard let values = tensor.floats, values.count == s.elementCount else { throw .internal("image preprocessing gave the wrong size") }
        return values
    }

    /// Reads `[1, C, H, W]` (or `[C, H, W]`) float32 from a NumPy `.npy` or an
    /// ONNX TensorProto `.pb` file and returns NHWC data for `input`.
    public static func readImage(_ path: String, for input: ValueInfo) throws(Diagnostic) -> [Float] {
        let array = path.lowercased().hasSuffix(".pb") ? try TensorProtoFile.read(path: path) : try NpyFormat.read(path: path)
        let s = input.type.shape
        let expected = [1, s.c, s.h, s.w]
        let shape = array.shape.count == 3 ? [1] + array.shape : array.shape
        guard shape == expected else {
            throw .input("input has shape \(array.shape), the model expects \(expected) (NCHW)", file: path)
        }
        guard let values = array.floats else {
            throw .input("input must be float32", file: path)
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            let hw = s.h * s.w
            let position = [0, index / hw, index % hw / s.w, index % s.w]
            throw .input("input holds \(values[index]) at index \(index) (NCHW \(position)): inputs must be finite numbers", file: path)
        }
        return Layout.nchwToNHWC(values, n: 1, c: s.c, h: s.h, w: s.w)
    }

    /// A deterministic input for `input`, roughly the range of a normalised image.
    public static func seeded(_ seed: UInt64, for input: ValueInfo) -> [Float] {
        var random = SeededRandom(seed: seed, stream: "input")
        return (0..<input.type.shape.elementCount).map { _ in random.uniform(-2, 2) }
    }

    /// Writes an output value in the ONNX convention (`[1, classes]` stays as is;
    /// a 4-D NHWC value becomes NCHW).
    public static func writeOutput(_ values: [Float], type: TensorType, to path: String) throws(Diagnostic) {
        var shape = type.shape.dims
        var data = values
        if type.shape.isActivation4D {
            let s = type.shape
            data = Layout.nhwcToNCHW(values, n: s.n, c: s.c, h: s.h, w: s.w)
            shape = [s.n, s.c, s.h, s.w]
        }
        try NpyFormat.write(NpyArray(shape: shape, floats: data), to: path)
    }
}

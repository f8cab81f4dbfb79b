import SqueezeIR

/// What generated code needs from its surroundings besides the caller's
/// buffers: C library functions and stack.
///
/// The model code (`<prefix>.c`, weights, arena) calls `memcpy` and `memset`
/// (string.h; compilers also emit calls to them for loops and copies, and
/// every C toolchain provides them, freestanding ones included). fp32 models
/// with a Softmax or a Sigmoid call `expf` (libm). int8 model code needs no libm; its
/// float convenience entry point (`<prefix>_f32.c`, linked only when called)
/// calls `roundf`. The CKernel and build tests compile the generated code
/// with gcc, clang and arm-none-eabi-gcc and check the undefined symbols of
/// the objects (`nm -u`) against these lists.
public enum RuntimeNeeds {
    /// Library functions the model code may call.
    public static func modelSymbols(_ graph: Graph) -> [String] {
        let softmax = graph.nodes.contains { node in
            switch node.op {
            case .softmax, .activation(.sigmoid): true
            case .conv2d, .fire, .relu, .maxPool, .avgPool, .globalAvgPool, .concat, .add, .dropout, .flatten: false
            case .activation, .affine, .pad: false
            }
        }
        return ["memcpy", "memset"] + (softmax && graph.quantization == nil ? ["expf"] : [])
    }

    /// Library functions the int8 float entry point (`<prefix>_f32.c`) may call besides those.
    public static let floatEntrySymbols = ["roundf"]

    /// A bound on the stack one inference uses (bytes), library calls
    /// included: the deepest call chain of the model's functions measured
    /// with `-fcallgraph-info=su` is at most 1.8 KB for dense SqueezeNet
    /// (int8 at -O3 with arm-none-eabi-gcc 12; fp32 at most 1.1 KB) and
    /// 2.0 KB for int8 with compressed weights, at -O2, -O3 and -Os with gcc
    /// 12 and arm-none-eabi-gcc 12 (`GeneratedFolderBuildTests` checks the
    /// dense models against this bound less 1 KiB for library calls).
    /// Builds at -O0 are not covered.
    public static let stackBytes = 4096
}

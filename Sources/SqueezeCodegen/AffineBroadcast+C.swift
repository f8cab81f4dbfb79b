import SqueezeIR

/// How the generated C describes an affine op's parameters
/// (`sq_affine_params_*`): per-channel ones exactly as before broadcasts
/// existed (no `by_row`/`by_col` fields: zero), the others with their flags.
extension AffineBroadcast {
    /// An affine node's broadcast, from its scale's shape (`[C]` or `[h, w, C]`).
    static func of(_ node: Node, in graph: Graph) -> AffineBroadcast {
        guard let dims = node.parameters.first.flatMap({ graph.constants[$0]?.shape.dims }), dims.count == 3 else { return .perChannel }
        return AffineBroadcast(byRow: dims[0] > 1, byColumn: dims[1] > 1)
    }

    /// `.by_row` / `.by_col` initialisers, none for per-channel parameters.
    var fields: [String] {
        (byRow ? [".by_row = 1"] : []) + (byColumn ? [".by_col = 1"] : [])
    }

    /// "per-channel scale", "scale per row and channel", ...
    func parameterComment(_ what: String) -> String {
        perChannel ? "per-channel \(what)" : "\(what) \(summary)"
    }

    /// The map in the struct's comment.
    var formula: String {
        perChannel ? "x * scale[c] + shift[c]" : "x * scale + shift (\(summary))"
    }
}

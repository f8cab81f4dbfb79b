import SqueezeIR

/// The parameters of every quantisation point of a fused graph (see
/// `Calibrator.points`) from an already-quantised model's parameters on
/// values (`ImportedQuantization.values`, set by the importer): a point
/// inside a fused node (a Fire module's squeeze output, a convolution's
/// output before its fused pool) is the value it was before fusion, found
/// through `Node.fusedFrom` in the unfused graph.
public enum ImportedPoints {
    public static func params(fused: Graph, source: Graph) throws(Diagnostic) -> [String: QuantParams] {
        guard let imported = source.importedQuantization else {
            throw .internal("graph '\(source.name)' carries no imported quantisation")
        }
        var result: [String: QuantParams] = [:]
        func take(_ point: String, value: String, node: String?) throws(Diagnostic) {
            guard let p = imported.values[value] else {
                throw .unsupported("value '\(value)' has no quantisation parameters in the model (no QuantizeLinear or QLinear operator "
                                   + "gives its scale); squeezec can quantise the float model itself: --precision int8 --calibrate DIR",
                                   node: node)
            }
            result[point] = p
        }
        let input = fused.inputs[0].name
        try take(input, value: input, node: nil)
        for node in fused.nodes {
            let sources = node.sourceNames.compactMap { source.node(named: $0) }
            /// The value a fused pool read: its input before fusion.
            func prePool() throws(Diagnostic) -> String {
                guard let pool = sources.last(where: { if case .maxPool = $0.op { true } else { $0.op == .globalAvgPool } }) else {
                    throw .internal("fused pool of '\(node.name)' not found among \(node.sourceNames)", node: node.name)
                }
                return pool.inputs[0]
            }
            switch node.op {
            case .conv2d(let a):
                if a.pool == nil {
                    try take(node.output, value: node.output, node: node.name)
                } else {
                    try take(Quantization.convPoint(node.name), value: try prePool(), node: node.name)
                    if a.pool == .globalAverage { try take(node.output, value: node.output, node: node.name) }
                }
            case .fire(let a):
                guard let expand = sources.first(where: { if case .conv2d = $0.op { $0.inputs[0] != node.inputs[0] } else { false } }) else {
                    throw .internal("the expand convolutions of '\(node.name)' were not found", node: node.name)
                }
                try take(Quantization.squeezePoint(node.name), value: expand.inputs[0], node: node.name)
                // The expands' own parameters (the concat's inputs before fusion), when the model gives them.
                if let concat = sources.first(where: { $0.op == .concat }), concat.inputs.count == 2 {
                    let (first, second) = a.expand1x1First ? ("1x1", "3x3") : ("3x3", "1x1")
                    for (expand, value) in [(first, concat.inputs[0]), (second, concat.inputs[1])] {
                        if let p = imported.values[value] { result[Quantization.expandPoint(node.name, expand)] = p }
                    }
                }
                if a.pool == nil {
                    try take(node.output, value: node.output, node: node.name)
                } else {
                    try take(Quantization.convPoint(node.name), value: try prePool(), node: node.name)
                }
            case .globalAvgPool, .add, .activation, .affine:
                try take(node.output, value: node.output, node: node.name)
            case .relu, .maxPool, .avgPool, .concat, .dropout, .flatten, .softmax, .pad:
                break
            }
        }
        return result
    }
}

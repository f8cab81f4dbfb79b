import SqueezeIR
import SqueezeMemory

/// fp32 calls of the activations, affine maps and pads
/// (Templates/sq_kernels_f32.h: `sq_act_rows_f32`, `sq_affine_rows_f32`,
/// `sq_pad_rows_f32`). Each works in place on rows of a map (or copies rows
/// for pads), so it runs on whole maps in the layer schedule and on one row
/// of a ring in the stream schedule.
extension F32KernelLibrary {
    func convEpilogue(_ a: Conv2DAttributes, node: String, output: Map, rows: (String, String)) throws(Diagnostic) -> [String] {
        switch a.activation {
        case .none, .relu: return []
        case .clip, .leakyRelu, .sigmoid: return [try activation(a.activation, node: node, target: output, rows: rows)]
        }
    }

    func activation(_ a: Activation, node: String, target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        var fields = [".map = " + KernelParameterTable.dims(target)]
        func literal(_ x: Float) throws(Diagnostic) -> String {
            guard let text = FloatLiteral.c(x) else { throw Diagnostic.internal("activation parameter \(x) is not finite", node: node) }
            return text
        }
        switch a {
        case .clip(let lo, let hi): fields += [".kind = 1", ".lo = \(try literal(lo))", ".hi = \(try literal(hi))"]
        case .leakyRelu(let alpha): fields += [".kind = 2", ".alpha = \(try literal(alpha))"]
        case .sigmoid: fields += [".kind = 3"]
        case .none, .relu: throw Diagnostic.internal("\(a.name) has no activation kernel", node: node)
        }
        let name = parameters.add(kind: "act", layer: node, type: "sq_act_params_f32",
                                  comment: "\(node): \(a.summary) on \(target.w)x\(target.c) rows", fields: fields)
        return "sq_act_rows_f32(&\(name), \(target.pointer), \(rows.0), \(rows.1));"
    }

    func affine(node: String, parameters names: [String], target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        guard names.count == 2, let tensor = constants[names[0]], let scale = tensor.floats, let shift = constants[names[1]]?.floats,
              let broadcast = AffineBroadcast(parameter: tensor.shape, map: .nhwc(1, target.h, target.w, target.c)) else {
            throw Diagnostic.internal("affine parameters are missing or do not cover the map", node: node)
        }
        func literals(_ values: [Float]) throws(Diagnostic) -> [String] {
            var result: [String] = []
            for v in values {
                guard let text = FloatLiteral.c(v) else { throw Diagnostic.internal("affine parameter \(v) is not finite", node: node) }
                result.append(text)
            }
            return result
        }
        let s = parameters.addArray(kind: "scale", layer: node, type: "float", comment: "\(node): \(broadcast.parameterComment("scale"))",
                                    values: try literals(scale))
        let t = parameters.addArray(kind: "shift", layer: node, type: "float", comment: "\(node): \(broadcast.parameterComment("shift"))",
                                    values: try literals(shift))
        let name = parameters.add(kind: "affine", layer: node, type: "sq_affine_params_f32",
                                  comment: "\(node): \(broadcast.formula) on \(target.w)x\(target.c) rows",
                                  fields: [".map = " + KernelParameterTable.dims(target), ".scale = \(s)", ".shift = \(t)"]
                                      + broadcast.fields)
        return "sq_affine_rows_f32(&\(name), \(target.pointer), \(rows.0), \(rows.1));"
    }

    func pad(_ p: Padding, value: Float, layer: String, input: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        try padCall(p, value: value, layer: layer, source: source, target: target, fill: 0, rows: rows)
    }
}

import SqueezeIR
import SqueezeMemory

/// int8 calls of the activations, affine maps and pads
/// (Templates/sq_kernels_s8.h): clip after a convolution is the clamp of its
/// requantisation (nothing to add); leaky ReLU, sigmoid and standalone clip
/// are 256-entry tables (`ActivationQuantization`, `sq_lut_rows_s8`); affine
/// maps requantise per channel (`AffineQuantization`, `sq_affine_rows_s8`);
/// pads fill with the input's zero point (`sq_pad_rows_s8`).
extension S8KernelLibrary {
    func convEpilogue(_ a: Conv2DAttributes, node: String, output: Map, rows: (String, String)) throws(Diagnostic) -> [String] {
        if a.activation.isClamp { return [] }
        return [try activation(a.activation, node: node, target: output, rows: rows)]
    }

    func activation(_ a: Activation, node: String, target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        guard let q = quantization.activations[node] else { throw Diagnostic.internal("activation has no lookup table", node: node) }
        let table = parameters.addArray(kind: "lut", layer: node, type: "int8_t",
                                        comment: "\(node): \(a.summary), output code of input code + 128 "
                                            + "(scale \(q.input.scale) zp \(q.input.zeroPoint) -> scale \(q.output.scale) zp \(q.output.zeroPoint))",
                                        values: q.table.map { String($0) })
        let name = parameters.add(kind: "act", layer: node, type: "sq_lut_params_s8",
                                  comment: "\(node): \(a.summary) on \(target.w)x\(target.c) rows",
                                  fields: [".map = " + KernelParameterTable.dims(target), ".table = \(table)"])
        return "sq_lut_rows_s8(&\(name), \(target.pointer), \(rows.0), \(rows.1));"
    }

    func affine(node: String, parameters names: [String], target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        guard let q = quantization.affines[node] else { throw Diagnostic.internal("affine op has no quantisation parameters", node: node) }
        let broadcast = q.broadcast
        let m = parameters.addArray(kind: "mult", layer: node, type: "int32_t", comment: "\(node): \(broadcast.parameterComment("multipliers"))",
                                    values: q.multipliers.map { String($0) })
        let o = parameters.addArray(kind: "offset", layer: node, type: "int64_t",
                                    comment: "\(node): \(broadcast.parameterComment("offsets")) (<< shift)",
                                    values: q.offsets.map { "INT64_C(\($0))" })
        let name = parameters.add(kind: "affine", layer: node, type: "sq_affine_params_s8",
                                  comment: "\(node): \(broadcast.formula) requantised \(broadcast.perChannel ? "per channel" : "in"), one rounding",
                                  fields: [".map = " + KernelParameterTable.dims(target), ".in_zp = \(q.input.zeroPoint)",
                                           ".out_zp = \(q.output.zeroPoint)", ".shift = \(q.shift)", ".mult = \(m)", ".offset = \(o)"]
                                      + broadcast.fields)
        return "sq_affine_rows_s8(&\(name), \(target.pointer), \(rows.0), \(rows.1));"
    }

    func pad(_ p: Padding, value: Float, layer: String, input: String, source: Map, target: Map, rows: (String, String)) throws(Diagnostic) -> String {
        guard let q = quantization.values[input] else { throw Diagnostic.internal("value '\(input)' has no quantisation parameters", node: layer) }
        return try padCall(p, value: value, layer: layer, source: source, target: target, fill: Int32(q.quantize(value)), rows: rows)
    }
}

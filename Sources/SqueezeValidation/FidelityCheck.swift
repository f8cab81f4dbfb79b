import SqueezeEvaluation
import SqueezeIR
import SqueezeReference

/// Validation step for int8: the generated code's outputs, decoded to real
/// values, against the fp32 reference on the same inputs.
enum FidelityCheck {
    static func measure(int8: any ModelInterpreter, float: any ModelInterpreter, inputs: [ValidationInput],
                        outputs: [[Float]]) throws(Diagnostic) -> Fidelity {
        var reference: [[Float]] = []
        var decoded: [[Float]] = []
        for (input, output) in zip(inputs, outputs) {
            reference.append(try float.infer(input.values))
            decoded.append(try int8.decode(output))
        }
        return Fidelity(names: inputs.map(\.name), reference: reference, compared: decoded)
    }
}

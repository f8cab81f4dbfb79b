"""Already-quantised ONNX fixtures for squeezec (issue 15): onnxruntime's own
quantize_static over the trained digits fixtures, in both formats (QDQ and
QOperator), per-channel and per-tensor weights, uint8 and int8 activations,
calibrated on the fixture's calibration images (Tests/Fixtures/digits/calibrate,
40 PNGs). No torch; run with the repo venv:

    PY=$(scripts/venv.sh | tail -n1)
    $PY scripts/make_quantized_fixtures.py

Writes Tests/Fixtures/quantized/<name>.onnx, <name>.input<k>.npy (the float
inputs, NCHW, from the first test images) and <name>.ort<k>.npy (onnxruntime's
outputs on them: CPU provider, one thread, default graph optimisations, so the
QDQ pairs run as onnxruntime's integer kernels), plus the onnxruntime top-1 of
every test image (<name>.ort_top1.tsv) for the accuracy comparison.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DIGITS = os.path.join(ROOT, "Tests", "Fixtures", "digits")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "quantized")

# (output name, float model, format, per_channel, activation type)
VARIANTS = [
    ("digits32_qdq_pc_u8", "squeezenet1_1_digits32", QuantFormat.QDQ, True, QuantType.QUInt8),
    ("digits32_qop_pt_u8", "squeezenet1_1_digits32", QuantFormat.QOperator, False, QuantType.QUInt8),
    ("digits32_bypass_qdq_pt_s8", "squeezenet1_1_digits32_bypass", QuantFormat.QDQ, False, QuantType.QInt8),
    ("digits32_bypass_qop_pc_u8", "squeezenet1_1_digits32_bypass", QuantFormat.QOperator, True, QuantType.QUInt8),
]
INPUTS = 3


def metadata(model_path):
    m = onnx.load(model_path)
    return {p.key: p.value for p in m.metadata_props}


def to_input(path, meta):
    mean = float(meta["squeezec.mean"].split(",")[0])
    std = float(meta["squeezec.std"].split(",")[0])
    grey = np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255.0
    x = (grey - mean) / std
    return np.stack([x, x, x])[None].astype(np.float32)


def images(folder):
    result = []
    for label in sorted(os.listdir(folder), key=int):
        for name in sorted(os.listdir(os.path.join(folder, label))):
            if name.endswith(".png"):
                result.append((int(label), os.path.join(folder, label, name)))
    return result


class Reader(CalibrationDataReader):
    def __init__(self, inputs):
        self.items = iter([{"input": x} for x in inputs])

    def get_next(self):
        return next(self.items, None)


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def tiny_models():
    """Two small float models for the pre-flight tests: unsupported_ops.onnx
    (5 nodes of operators squeezec does not read) and concat_int8.onnx (two
    standalone channel concatenations, which have no int8 support)."""
    from onnx import TensorProto, helper
    rng = np.random.default_rng(15)

    def conv(name, x, y, cin, cout):
        w = helper.make_tensor(name + ".weight", TensorProto.FLOAT, [cout, cin, 1, 1],
                               rng.standard_normal(cout * cin).astype(np.float32).tolist())
        return helper.make_node("Conv", [x, w.name], [y], name=name, kernel_shape=[1, 1]), w

    def save(graph, name):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=7)
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(OUT, name))

    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])
    c, w = conv("conv", "input", "c", 3, 4)
    nodes = [c]
    previous = "c"
    for i, op in enumerate(["Erf", "Sin", "Erf", "Cos", "Erf"]):
        nodes.append(helper.make_node(op, [previous], [f"{op.lower()}{i}"], name=f"{op.lower()}{i}"))
        previous = f"{op.lower()}{i}"
    y = helper.make_tensor_value_info(previous, TensorProto.FLOAT, [1, 4, 8, 8])
    save(helper.make_graph(nodes, "unsupported_ops", [x], [y], [w]), "unsupported_ops.onnx")

    a, wa = conv("a", "input", "a_out", 3, 4)
    b, wb = conv("b", "input", "b_out", 3, 4)
    d, wd = conv("d", "input", "d_out", 3, 4)
    nodes = [a, b, d,
             helper.make_node("Concat", ["a_out", "b_out"], ["ab"], name="concat1", axis=1),
             helper.make_node("Concat", ["ab", "d_out"], ["abd"], name="concat2", axis=1),
             helper.make_node("GlobalAveragePool", ["abd"], ["g"], name="gap"),
             helper.make_node("Flatten", ["g"], ["output"], name="flatten", axis=1)]
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 12])
    save(helper.make_graph(nodes, "concat_int8", [x], [y], [wa, wb, wd]), "concat_int8.onnx")


def main():
    os.makedirs(OUT, exist_ok=True)
    tiny_models()
    if "--tiny" in sys.argv:
        return
    calibration = images(os.path.join(DIGITS, "calibrate"))
    tests = images(os.path.join(DIGITS, "test"))
    for name, source, fmt, per_channel, activation in VARIANTS:
        float_path = os.path.join(DIGITS, source + ".onnx")
        meta = metadata(float_path)
        calib = [to_input(p, meta) for _, p in calibration]
        path = os.path.join(OUT, name + ".onnx")
        quantize_static(float_path, path, Reader(calib), quant_format=fmt, per_channel=per_channel,
                        activation_type=activation, weight_type=QuantType.QInt8, reduce_range=True)
        model = onnx.load(path)
        # Keep the preprocessing metadata (quantize_static drops metadata_props).
        del model.metadata_props[:]
        for key, value in sorted(meta.items()):
            entry = model.metadata_props.add()
            entry.key, entry.value = key, value
        onnx.save(model, path)
        run = session(path)
        for k in range(INPUTS):
            x = to_input(tests[k * 37][1], meta)
            np.save(os.path.join(OUT, f"{name}.input{k}.npy"), x)
            np.save(os.path.join(OUT, f"{name}.ort{k}.npy"), run.run(None, {"input": x})[0])
        correct = 0
        with open(os.path.join(OUT, name + ".ort_top1.tsv"), "w") as f:
            f.write("path\tlabel\tort_top1\n")
            for label, p in tests:
                top = int(np.argmax(run.run(None, {"input": to_input(p, meta)})[0]))
                correct += top == label
                f.write(f"{os.path.relpath(p, DIGITS)}\t{label}\t{top}\n")
        print(f"{name}: {os.path.getsize(path)} bytes, onnxruntime top-1 {correct}/{len(tests)}", file=sys.stderr)


if __name__ == "__main__":
    main()

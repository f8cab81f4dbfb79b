#!/usr/bin/env python3
"""Writes broadcast_ops.onnx in Tests/Fixtures/onnx/: Mul/Add/Sub/Div by
constants that broadcast over the height and width of the map, not only per
channel (squeezec: the affine op with `[h, w, C]` parameters,
`AffineBroadcast`), and a Pad with a non-zero constant_value.

Run with the repo's venv:  scripts/venv.sh && .venv/bin/python scripts/make_broadcast_fixture.py

Input [1, 4, 6, 5] -> Mul by a [5] constant (per column) -> Conv 3x3 (pad 1,
4 -> 6) -> Add of a [6, 6, 5] constant (per value; not foldable into the
Conv) -> Relu -> Sub of a [6, 1] constant (per row) -> Div by a [6, 1, 1]
constant (per channel) -> MaxPool 2x2 stride 2 -> Mul by a [3, 1] constant
(per row of the pooled map) -> Pad (top 1, right 1) with 0.75 ->
GlobalAveragePool -> Flatten -> output [1, 6].

Three seeded inputs (normal(0, 1)) and onnxruntime's outputs (one thread,
graph optimisations off) are saved as .npy next to it. Deterministic.
"""
from __future__ import annotations

import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")


def main() -> None:
    rng = np.random.default_rng(16)
    inits: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def init(name: str, arr) -> str:
        inits.append(numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name))
        return name

    def inits_int64(name: str, values) -> str:
        inits.append(numpy_helper.from_array(np.asarray(values, dtype=np.int64), name))
        return name

    def node(op: str, name: str, inputs: list[str], **attrs) -> str:
        out = f"{name}_out"
        nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    y = node("Mul", "mul_w", ["input", init("mul_w.c", rng.uniform(0.5, 1.5, size=(5,)))])
    w = init("conv1.weight", rng.normal(0.0, np.sqrt(2.0 / 36), size=(6, 4, 3, 3)))
    b = init("conv1.bias", rng.normal(0.0, 0.1, size=(6,)))
    y = node("Conv", "conv1", [y, w, b], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = node("Add", "add_full", [y, init("add_full.c", rng.normal(0.0, 0.3, size=(6, 6, 5)))])
    y = node("Relu", "relu1", [y])
    y = node("Sub", "sub_h", [y, init("sub_h.c", rng.normal(0.0, 0.2, size=(6, 1)))])
    y = node("Div", "div_c", [y, init("div_c.c", rng.uniform(0.5, 2.0, size=(6, 1, 1)))])
    y = node("MaxPool", "pool1", [y], kernel_shape=[2, 2], strides=[2, 2])
    y = node("Mul", "mul_h", [y, init("mul_h.c", rng.uniform(-1.0, 1.5, size=(3, 1)))])
    y = node("Pad", "pad_v", [y, inits_int64("pad_v.pads", [0, 0, 1, 0, 0, 0, 0, 1]), init("pad_v.value", np.array(0.75))])
    y = node("GlobalAveragePool", "gap", [y])
    nodes.append(helper.make_node("Flatten", [y], ["output"], name="flatten", axis=1))

    graph = helper.make_graph(
        nodes, "broadcast_ops",
        [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [1, 4, 6, 5])],
        [helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, [1, 6])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="squeezec-fixtures")
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(OUT, "broadcast_ops.onnx")
    onnx.save(model, path)

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inputs = np.random.default_rng(161)
    for i in range(3):
        x = inputs.normal(0.0, 1.0, size=(1, 4, 6, 5)).astype(np.float32)
        (out,) = session.run(None, {"input": x})
        np.save(os.path.join(OUT, f"broadcast_ops.input{i}.npy"), x)
        np.save(os.path.join(OUT, f"broadcast_ops.output{i}.npy"), out.astype(np.float32))
    print(path)


if __name__ == "__main__":
    main()

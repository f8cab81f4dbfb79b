#!/usr/bin/env python3
"""Writes the tiny ONNX fixtures of the SqueezeNet-family ops in Tests/Fixtures/onnx/:
family_ops.onnx (below) and broadcast_ops.onnx (`broadcast_ops`).

Run with the repo's venv:  scripts/venv.sh && .venv/bin/python scripts/make_family_fixtures.py

family_ops.onnx (opset 13, input [1,3,16,16] -> output [1,10]) uses every op of
issue 15 part A in the places where squeezec folds or fuses it and where it
cannot: Pad before a Conv (folded into the Conv's padding), BatchNormalization
right after a Conv (folded by the importer), Clip(0, 6) after it (ReLU6, fused
as the Conv's clamp), LeakyRelu after a 3x3 Conv (fused), MaxPool with
auto_pad=SAME_UPPER (fused into that Conv), BatchNormalization after the pool
(a standalone per-channel affine op), Pad before a MaxPool (an explicit
pad op: a max pool's padding is -inf, and the affine op's output may be
negative), Sigmoid, Clip(0.2, 0.8)
standalone, Sub by a per-channel constant before a 1x1 Conv (folded into its
weights and bias), Mul by a scalar after it (folded), Relu, a 3x3 Conv with
auto_pad=SAME_LOWER and stride 2, Add of a scalar (folded), Relu,
GlobalAveragePool, LeakyRelu standalone (after the stream: it reads a global
average), Flatten, Sigmoid on the flat logits (a whole-tensor step).

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
    rng = np.random.default_rng(15)
    inits: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def init(name: str, arr) -> str:
        inits.append(numpy_helper.from_array(np.asarray(arr, dtype=np.asarray(arr).dtype), name))
        return name

    def f32(*shape, scale=1.0, low=None):
        if low is not None:
            return rng.uniform(low, scale, size=shape).astype(np.float32)
        return (rng.normal(0.0, scale, size=shape)).astype(np.float32)

    def node(op: str, name: str, inputs: list[str], **attrs) -> str:
        out = f"{name}_out"
        nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def conv(x, name, cin, cout, k, **attrs):
        w = init(f"{name}.weight", f32(cout, cin, k, k, scale=np.sqrt(2.0 / (cin * k * k))))
        b = init(f"{name}.bias", f32(cout, scale=0.1))
        return node("Conv", name, [x, w, b], kernel_shape=[k, k], **attrs)

    def bn(x, name, c):
        return node("BatchNormalization", name, [
            x, init(f"{name}.scale", f32(c, scale=1.5, low=0.5)), init(f"{name}.B", f32(c, scale=0.2)),
            init(f"{name}.mean", f32(c, scale=0.2)), init(f"{name}.var", f32(c, scale=1.5, low=0.5))], epsilon=1e-5)

    x = "input"
    y = node("Pad", "pad1", [x, init("pad1.pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64))])
    y = conv(y, "conv1", 3, 8, 3)
    y = bn(y, "bn1", 8)
    y = node("Clip", "relu6", [y, init("relu6.min", np.array(0.0, np.float32)), init("relu6.max", np.array(6.0, np.float32))])
    y = conv(y, "conv2", 8, 8, 3, pads=[1, 1, 1, 1])
    y = node("LeakyRelu", "leaky2", [y], alpha=0.1)
    y = node("MaxPool", "pool2", [y], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_UPPER")
    y = bn(y, "bn2", 8)
    y = node("Pad", "pad3", [y, init("pad3.pads", np.array([0, 0, 1, 0, 0, 0, 0, 1], dtype=np.int64))])
    y = node("MaxPool", "pool3", [y], kernel_shape=[3, 3], strides=[2, 2])
    y = node("Sigmoid", "sigmoid", [y])
    y = node("Clip", "clip3", [y, init("clip3.min", np.array(0.2, np.float32)), init("clip3.max", np.array(0.8, np.float32))])
    # A Fire module with ReLU6 on the squeeze and the 1x1 expand, ReLU on the 3x3 expand.
    six = [init("fire.min", np.array(0.0, np.float32)), init("fire.max", np.array(6.0, np.float32))]
    s = node("Clip", "fire/squeeze_relu6", [conv(y, "fire/squeeze", 8, 4, 1)] + six)
    e1 = node("Clip", "fire/expand1x1_relu6", [conv(s, "fire/expand1x1", 4, 4, 1)] + six)
    e3 = node("Relu", "fire/expand3x3_relu", [conv(s, "fire/expand3x3", 4, 4, 3, pads=[1, 1, 1, 1])])
    y = node("Concat", "fire/concat", [e1, e3], axis=1)
    y = node("Sub", "sub4", [y, init("sub4.c", f32(8, 1, 1, scale=0.3) + 0.5)])
    y = conv(y, "conv4", 8, 6, 1)
    y = node("Mul", "mul4", [y, init("mul4.c", np.array(0.5, np.float32))])
    y = node("Relu", "relu4", [y])
    y = conv(y, "conv5", 6, 10, 3, strides=[2, 2], auto_pad="SAME_LOWER")
    y = node("Add", "add5", [y, init("add5.c", np.array(0.1, np.float32))])
    y = node("Relu", "relu5", [y])
    y = node("GlobalAveragePool", "gap", [y])
    y = node("LeakyRelu", "leaky6", [y], alpha=0.2)
    y = node("Flatten", "flatten", [y], axis=1)
    nodes.append(helper.make_node("Sigmoid", [y], ["output"], name="sigmoid7"))
    save_fixture("family_ops", nodes, inits, [1, 3, 16, 16], [1, 10], input_seed=151)


def broadcast_ops() -> None:
    """broadcast_ops.onnx: Mul/Add/Sub/Div by constants that broadcast over
    the height and width of the map, not only per channel (squeezec: the
    affine op with `[h, w, C]` parameters, `AffineBroadcast`), and a Pad
    with a non-zero constant_value.

    Input [1, 4, 6, 5] -> Mul by a [5] constant (per column) -> Conv 3x3
    (pad 1, 4 -> 6) -> Add of a [6, 6, 5] constant (per value; not foldable
    into the Conv) -> Relu -> Sub of a [6, 1] constant (per row) -> Div by a
    [6, 1, 1] constant (per channel) -> MaxPool 2x2 stride 2 -> Mul by a
    [3, 1] constant (per row of the pooled map) -> Pad (top 1, right 1) with
    0.75 -> GlobalAveragePool -> Flatten -> output [1, 6].
    """
    rng = np.random.default_rng(16)
    inits: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def init(name: str, arr, dtype=np.float32) -> str:
        inits.append(numpy_helper.from_array(np.asarray(arr, dtype=dtype), name))
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
    y = node("Pad", "pad_v", [y, init("pad_v.pads", [0, 0, 1, 0, 0, 0, 0, 1], np.int64), init("pad_v.value", np.array(0.75))])
    y = node("GlobalAveragePool", "gap", [y])
    nodes.append(helper.make_node("Flatten", [y], ["output"], name="flatten", axis=1))
    save_fixture("broadcast_ops", nodes, inits, [1, 4, 6, 5], [1, 6], input_seed=161)


def save_fixture(name: str, nodes, inits, input_shape: list[int], output_shape: list[int], input_seed: int) -> None:
    """Checks and writes <name>.onnx (opset 13, IR 7), three seeded inputs
    (normal(0, 1)) and onnxruntime's outputs (one thread, no graph
    optimisation) as <name>.input<k>.npy, <name>.output<k>.npy."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, input_shape)],
        [helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, output_shape)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="squeezec-fixtures")
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(OUT, f"{name}.onnx")
    onnx.save(model, path)

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inputs = np.random.default_rng(input_seed)
    for i in range(3):
        x = inputs.normal(0.0, 1.0, size=input_shape).astype(np.float32)
        (out,) = session.run(None, {"input": x})
        np.save(os.path.join(OUT, f"{name}.input{i}.npy"), x)
        np.save(os.path.join(OUT, f"{name}.output{i}.npy"), out.astype(np.float32))
    print(path)


if __name__ == "__main__":
    main()
    broadcast_ops()

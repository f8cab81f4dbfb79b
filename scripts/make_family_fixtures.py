#!/usr/bin/env python3
"""Writes the tiny ONNX fixture of the SqueezeNet-family ops in Tests/Fixtures/onnx/.

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

    graph = helper.make_graph(
        nodes, "family_ops",
        [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="squeezec-fixtures")
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(OUT, "family_ops.onnx")
    onnx.save(model, path)

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inputs = np.random.default_rng(151)
    for i in range(3):
        x = inputs.normal(0.0, 1.0, size=(1, 3, 16, 16)).astype(np.float32)
        (out,) = session.run(None, {"input": x})
        np.save(os.path.join(OUT, f"family_ops.input{i}.npy"), x)
        np.save(os.path.join(OUT, f"family_ops.output{i}.npy"), out.astype(np.float32))
    print(path)


if __name__ == "__main__":
    main()

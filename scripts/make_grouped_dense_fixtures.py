#!/usr/bin/env python3
"""Writes the grouped-convolution and dense-head ONNX fixtures in Tests/Fixtures/onnx/.

Run with the repo's venv:  scripts/venv.sh && .venv/bin/python scripts/make_grouped_dense_fixtures.py

Two tiny SqueezeNet-like models (onnx.helper, no PyTorch), input [1, 3, 16, 16]:

- dw_fire_gemm: conv1 3x3 + ReLU, max pool, one Fire module whose expand 3x3
  is a grouped convolution (group 4, 4 -> 8 channels: channel multiplier 2),
  a depthwise 3x3 stride-2 convolution (group 16), an AveragePool 3x3/1
  pad 1 with count_include_pad=1, a grouped 1x1 (group 2), Flatten of the
  4x4x12 map, a Gemm head (transB=1, alpha 0.5, beta 2, bias [10]), Softmax.
- dw_gap_matmul: conv1 stride 2, an AveragePool 3x3/2 pad 1 with ceil_mode=1
  (count_include_pad=0), a depthwise 3x3 (group 8) + ReLU, GlobalAveragePool,
  Reshape to [1, -1], MatMul by a [8, 10] weight and Add of a [10] bias.

For each, one seeded input (float32 NCHW, normal(0, 1)) and onnxruntime's
output (CPUExecutionProvider, one thread, graph optimizations off) are saved
as <model>.input0.npy / <model>.output0.npy. Deterministic (fixed seeds).
"""
from __future__ import annotations

import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")


class Builder:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []

    def const(self, name: str, shape, scale: float = 0.3) -> str:
        self.inits.append(numpy_helper.from_array((self.rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    def conv(self, name: str, x: str, cin: int, cout: int, k: int, pad: int = 0, stride: int = 1, group: int = 1,
             relu: bool = True) -> str:
        w = self.const(f"{name}.weight", (cout, cin // group, k, k), scale=1.0 / np.sqrt(k * k * cin / group))
        b = self.const(f"{name}.bias", (cout,), scale=0.1)
        attrs = dict(kernel_shape=[k, k], pads=[pad] * 4, strides=[stride, stride])
        if group != 1:
            attrs["group"] = group
        self.nodes.append(helper.make_node("Conv", [x, w, b], [name], name=name, **attrs))
        if not relu:
            return name
        self.nodes.append(helper.make_node("Relu", [name], [name + "_relu"], name=name + "_relu"))
        return name + "_relu"

    def model(self, name: str, output: str, classes: int) -> onnx.ModelProto:
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 16, 16])],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, [1, classes])],
            initializer=self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="squeezec-fixtures")
        m.ir_version = 8
        onnx.checker.check_model(m, full_check=True)
        return m


def dw_fire_gemm() -> onnx.ModelProto:
    b = Builder(15)
    x = b.conv("conv1", "data", 3, 8, 3, pad=1)
    b.nodes.append(helper.make_node("MaxPool", [x], ["pool1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]))
    s = b.conv("fire2/squeeze1x1", "pool1", 8, 4, 1)
    e1 = b.conv("fire2/expand1x1", s, 4, 8, 1)
    e3 = b.conv("fire2/expand3x3", s, 4, 8, 3, pad=1, group=4)
    b.nodes.append(helper.make_node("Concat", [e1, e3], ["fire2/concat"], name="fire2/concat", axis=1))
    d = b.conv("dw3", "fire2/concat", 16, 16, 3, pad=1, stride=2, group=16)
    b.nodes.append(helper.make_node("AveragePool", [d], ["avg3"], name="avg3", kernel_shape=[3, 3], strides=[1, 1],
                                    pads=[1, 1, 1, 1], count_include_pad=1))
    p = b.conv("pw3", "avg3", 16, 12, 1, group=2)
    b.nodes.append(helper.make_node("Flatten", [p], ["flat"], name="flatten", axis=1))
    w = b.const("fc.weight", (10, 12 * 4 * 4), scale=0.1)
    c = b.const("fc.bias", (10,), scale=0.1)
    b.nodes.append(helper.make_node("Gemm", ["flat", w, c], ["logits"], name="fc", transB=1, alpha=0.5, beta=2.0))
    b.nodes.append(helper.make_node("Softmax", ["logits"], ["prob"], name="prob", axis=1))
    return b.model("dw_fire_gemm", "prob", 10)


def dw_gap_matmul() -> onnx.ModelProto:
    b = Builder(16)
    x = b.conv("conv1", "data", 3, 8, 3, pad=1, stride=2)
    b.nodes.append(helper.make_node("AveragePool", [x], ["avg1"], name="avg1", kernel_shape=[3, 3], strides=[2, 2],
                                    pads=[1, 1, 1, 1], ceil_mode=1))
    d = b.conv("dw2", "avg1", 8, 8, 3, pad=1, group=8)
    b.nodes.append(helper.make_node("GlobalAveragePool", [d], ["gap"], name="gap"))
    b.inits.append(numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "flat_shape"))
    b.nodes.append(helper.make_node("Reshape", ["gap", "flat_shape"], ["flat"], name="reshape"))
    w = b.const("fc.weight", (8, 10), scale=0.5)
    c = b.const("fc.bias", (10,), scale=0.1)
    b.nodes.append(helper.make_node("MatMul", ["flat", w], ["fc_mm"], name="fc_matmul"))
    b.nodes.append(helper.make_node("Add", ["fc_mm", c], ["logits"], name="fc_add"))
    return b.model("dw_gap_matmul", "logits", 10)


def main() -> None:
    for make, seed in [(dw_fire_gemm, 150), (dw_gap_matmul, 160)]:
        model = make()
        name = model.graph.name
        onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
        x = np.random.default_rng(seed).standard_normal((1, 3, 16, 16)).astype(np.float32)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        (y,) = session.run(None, {"data": x})
        np.save(os.path.join(OUT, f"{name}.input0.npy"), x)
        np.save(os.path.join(OUT, f"{name}.output0.npy"), y.astype(np.float32))
        print(name, y.shape, float(np.abs(y).max()))


if __name__ == "__main__":
    main()

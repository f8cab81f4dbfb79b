#!/usr/bin/env python3
"""Writes the hostile ONNX models of issue 16 into Tests/Fixtures/hostile/.

Run with the repo's venv:  PY=$(scripts/venv.sh | tail -n1) && $PY scripts/make_hostile_fixtures.py

Each model is small (a few kB, the deep chains share one weight) and is a
case that once crashed squeezec or made it write broken C; the CLI tests in
Tests/SqueezecCLITests/HostileInputTests.swift run every one of them.
Deterministic: re-running gives byte-identical files.
"""
from __future__ import annotations

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "hostile")


def model(name, nodes, inits, size=(1, 1, 8, 8), outputs=("y",)):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, list(size))
    ys = [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs]
    graph = helper.make_graph(nodes, name, [x], ys, initializer=inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_hostile_fixtures")
    m.ir_version = 8
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)


def conv(name, x, y, w, b, **attrs):
    return helper.make_node("Conv", [x, w, b], [y], name=name, **attrs)


def deep_relu(n=2000):
    nodes = [helper.make_node("Relu", ["x" if i == 0 else f"r{i - 1}"], ["y" if i == n - 1 else f"r{i}"], name=f"relu{i}")
             for i in range(n)]
    model("deep_relu", nodes, [])


def deep_conv(n=3000):
    # One shared 1x1 weight keeps the file small.
    nodes = [conv(f"conv{i}", "x" if i == 0 else f"c{i - 1}", "y" if i == n - 1 else f"c{i}", "w", "b") for i in range(n)]
    model("deep_conv", nodes, [init("w", np.ones((1, 1, 1, 1))), init("b", [0.0])], size=(1, 1, 4, 4))


def non_finite():
    w = np.full((2, 1, 3, 3), 0.1)
    w[1, 0, 2, 1] = np.nan
    model("nan_weight", [conv("conv_nan", "x", "y", "w", "b", pads=[1, 1, 1, 1])], [init("w", w), init("b", [0.0, 0.0])])
    model("inf_bias", [conv("conv_inf", "x", "y", "w", "b")], [init("w", np.full((2, 1, 1, 1), 0.5)), init("b", [0.0, np.inf])])


def fire_stride():
    # conv1 -> relu -> Fire whose squeeze conv has strides 8x1: its input has 7 rows, the stride reads only row 0.
    rng = np.random.default_rng(16)
    def w(*shape):
        return rng.uniform(-0.5, 0.5, shape)
    inits = [init("conv1.w", w(8, 1, 3, 3)), init("conv1.b", w(8)),
             init("sq.w", w(4, 8, 1, 1)), init("sq.b", w(4)),
             init("e1.w", w(8, 4, 1, 1)), init("e1.b", w(8)),
             init("e3.w", w(8, 4, 3, 3)), init("e3.b", w(8))]
    nodes = [conv("conv1", "x", "c1", "conv1.w", "conv1.b", strides=[2, 2]),
             helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
             conv("fire2/squeeze1x1", "r1", "s", "sq.w", "sq.b", strides=[8, 1]),
             helper.make_node("Relu", ["s"], ["sr"], name="fire2/squeeze_relu"),
             conv("fire2/expand1x1", "sr", "e1", "e1.w", "e1.b"),
             helper.make_node("Relu", ["e1"], ["e1r"], name="fire2/expand1x1_relu"),
             conv("fire2/expand3x3", "sr", "e3", "e3.w", "e3.b", pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["e3"], ["e3r"], name="fire2/expand3x3_relu"),
             helper.make_node("Concat", ["e1r", "e3r"], ["y"], name="fire2/concat", axis=1)]
    model("fire_stride", nodes, inits, size=(1, 1, 16, 16))


def unread_rows():
    # c2 (3x3/2, no pad) reads rows 0..6 of c1's 8: row 7 is read by nobody; the floor-mode pool
    # (2x2/2 over c2's 3 rows) leaves c2's last row unread.
    inits = [init("w1", np.full((2, 1, 1, 1), 0.5)), init("b1", [0.1, -0.1]),
             init("w2", np.linspace(-0.2, 0.2, 36).reshape(2, 2, 3, 3)), init("b2", [0.05, 0.0])]
    nodes = [conv("c1", "x", "a", "w1", "b1"), helper.make_node("Relu", ["a"], ["ar"], name="relu1"),
             conv("c2", "ar", "b", "w2", "b2", strides=[2, 2]), helper.make_node("Relu", ["b"], ["br"], name="relu2"),
             helper.make_node("MaxPool", ["br"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2])]
    model("unread_rows", nodes, inits)


def overflow():
    # Finite weights whose products overflow float32: conv2's output is infinite for any non-zero input.
    inits = [init("w1", np.full((2, 1, 1, 1), 1e20)), init("b1", [1.0, 1.0]),
             init("w2", np.full((2, 2, 1, 1), 1e20)), init("b2", [0.0, 0.0])]
    nodes = [conv("conv1", "x", "a", "w1", "b1"), helper.make_node("Relu", ["a"], ["ar"], name="relu1"),
             conv("conv2", "ar", "b", "w2", "b2"), helper.make_node("Relu", ["b"], ["y"], name="relu2")]
    model("overflow", nodes, inits)


def kernel_too_big():
    # A real shape error after a strided conv: the 5x5 kernel does not fit c1's 4x4 output.
    inits = [init("w1", np.full((2, 1, 1, 1), 0.5)), init("b1", [0.1, -0.1]),
             init("w2", np.full((2, 2, 5, 5), 0.1)), init("b2", [0.0, 0.0])]
    nodes = [conv("c1", "x", "a", "w1", "b1", strides=[2, 2]), conv("big_kernel", "a", "y", "w2", "b2")]
    model("kernel_too_big", nodes, inits)


def two_outputs():
    inits = [init("w", np.full((2, 1, 1, 1), 0.5)), init("b", [0.1, -0.1])]
    nodes = [conv("conv", "x", "c", "w", "b"), helper.make_node("Relu", ["c"], ["y"], name="relu"),
             helper.make_node("MaxPool", ["c"], ["z"], name="pool", kernel_shape=[2, 2], strides=[2, 2])]
    model("two_outputs", nodes, inits, outputs=("y", "z"))


def hostile_names():
    # Names that are C comment ends and starts, newlines, quotes, backslashes, non-ASCII.
    names = ["conv /* open", "*/ close; int x;", "line\nbreak // c", 'quote " \\ back\\', "caf\u00e9 \u03b1\u03b2 \u2603"]
    inits = [init("w", np.full((2, 1, 1, 1), 0.5)), init("b", [0.1, -0.1]),
             init("w2", np.full((2, 2, 3, 3), 0.05)), init("b2", [0.0, 0.2])]
    nodes = [conv(names[0], "x", names[1], "w", "b"),
             helper.make_node("Relu", [names[1]], [names[2]], name=names[2]),
             conv(names[3], names[2], names[4], "w2", "b2", pads=[1, 1, 1, 1]),
             helper.make_node("Relu", [names[4]], ["y"], name=names[4] + "/relu */")]
    model("hostile_names", nodes, inits)


def dead_nodes():
    # A conv whose output feeds nothing (reading the live relu's output), a relu hanging off it, and an Add(c, c).
    inits = [init("w", np.full((2, 1, 1, 1), 0.5)), init("b", [0.1, -0.1]),
             init("wd", np.full((2, 2, 1, 1), 0.25)), init("bd", [0.0, 0.0])]
    nodes = [conv("conv", "x", "c", "w", "b"), helper.make_node("Relu", ["c"], ["y"], name="relu"),
             conv("dead_conv", "y", "d", "wd", "bd"), helper.make_node("Relu", ["d"], ["d2"], name="dead_relu"),
             # Reads one value twice: computed, it passed one pointer to two restrict parameters.
             helper.make_node("Add", ["c", "c"], ["d3"], name="dead_add")]
    model("dead_nodes", nodes, inits)


def main():
    os.makedirs(OUT, exist_ok=True)
    deep_relu()
    deep_conv()
    non_finite()
    fire_stride()
    unread_rows()
    overflow()
    kernel_too_big()
    two_outputs()
    hostile_names()
    dead_nodes()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the ONNX test fixtures in Tests/Fixtures/onnx/.

Run with the repo's venv:  scripts/venv.sh && .venv/bin/python scripts/make_onnx_fixtures.py

The SqueezeNet models are built with onnx.helper (no PyTorch) to have the
node structure, node names, initializer names and attributes that
torch.onnx.export(torchvision.models.squeezenet1_0 / 1_1) gives, with seeded
random weights and non-zero biases. One exception: torch's eval-mode export
drops the classifier's Dropout; these models keep it (ratio 0.5, given as an
input since opset 12) so the importer's Dropout-as-identity path is covered.

For every model, three seeded inputs (float32 NCHW, normal(0, 1)) and the
outputs computed by onnxruntime (CPUExecutionProvider, one thread, graph
optimizations off) are saved as .npy next to it. Cross-check: onnx's own
reference evaluator for the SqueezeNets, a float64 numpy version for bn_conv.

Deterministic: fixed seeds, so re-running gives byte-identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnx")
N_INPUTS = 3

# torchvision's Fire table (squeeze, expand1x1 = expand3x3), fire2..fire9.
FIRES = [(16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192), (64, 256), (64, 256)]


class Builder:
    """Accumulates nodes and initializers, naming them the way torch.onnx.export does."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []

    def init(self, name: str, arr: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(np.require(arr, requirements="C"), name))
        return name

    def node(self, op: str, scope: str, inputs: list[str], **attrs) -> str:
        # torch: node "/features/features.0/Conv", output "/features/features.0/Conv_output_0"
        name = f"{scope}/{op}"
        out = f"{name}_output_0"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def conv(self, x: str, scope: str, param: str, cin: int, cout: int, k: int,
             stride: int = 1, pad: int = 0, final: bool = False) -> str:
        fan_in = cin * k * k
        if final:
            # torchvision initialises the final conv with normal(0, 0.01).
            w = self.rng.normal(0.0, 0.01, size=(cout, cin, k, k))
            b = self.rng.uniform(0.0, 0.05, size=cout)
        else:
            # kaiming_uniform_ (ReLU gain) as in torchvision's SqueezeNet; torch's
            # default bias init bound 1/sqrt(fan_in), so biases are non-zero.
            bound = np.sqrt(6.0 / fan_in)
            w = self.rng.uniform(-bound, bound, size=(cout, cin, k, k))
            b = self.rng.uniform(-1.0 / np.sqrt(fan_in), 1.0 / np.sqrt(fan_in), size=cout)
        wn = self.init(f"{param}.weight", w.astype(np.float32))
        bn = self.init(f"{param}.bias", b.astype(np.float32))
        # Attribute set and order as torch exports them (sorted by name).
        return self.node("Conv", scope, [x, wn, bn], dilations=[1, 1], group=1,
                         kernel_shape=[k, k], pads=[pad] * 4, strides=[stride, stride])

    def relu(self, x: str, scope: str) -> str:
        return self.node("Relu", scope, [x])

    def maxpool(self, x: str, scope: str) -> str:
        # nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)
        return self.node("MaxPool", scope, [x], ceil_mode=1, kernel_shape=[3, 3],
                         pads=[0, 0, 0, 0], strides=[2, 2])

    def fire(self, x: str, idx: int, cin: int, sq: int, ex: int) -> str:
        s, p = f"/features/features.{idx}", f"features.{idx}"
        t = self.relu(self.conv(x, f"{s}/squeeze", f"{p}.squeeze", cin, sq, 1), f"{s}/squeeze_activation")
        a = self.relu(self.conv(t, f"{s}/expand1x1", f"{p}.expand1x1", sq, ex, 1), f"{s}/expand1x1_activation")
        b = self.relu(self.conv(t, f"{s}/expand3x3", f"{p}.expand3x3", sq, ex, 3, pad=1), f"{s}/expand3x3_activation")
        return self.node("Concat", s, [a, b], axis=1)


def squeezenet(version: str, hw: int, classes: int, opset: int, seed: int) -> onnx.ModelProto:
    g = Builder(seed)
    x = "input"
    if version == "1_0":
        x = g.conv(x, "/features/features.0", "features.0", 3, 96, 7, stride=2)
        cin = 96
    else:
        x = g.conv(x, "/features/features.0", "features.0", 3, 64, 3, stride=2)
        cin = 64
    x = g.relu(x, "/features/features.1")
    x = g.maxpool(x, "/features/features.2")
    idx = 3
    # Fire modules fire2..fire9; a MaxPool follows fire4 and fire8 (v1.0) or fire3 and fire5 (v1.1).
    pool_fires = {"1_0": (4, 8), "1_1": (3, 5)}[version]
    for n, (sq, ex) in enumerate(FIRES, start=2):
        x = g.fire(x, idx, cin, sq, ex)
        cin = 2 * ex
        idx += 1
        if n in pool_fires:
            x = g.maxpool(x, f"/features/features.{idx}")
            idx += 1
    # classifier: Dropout(0.5), Conv 1x1, ReLU, AdaptiveAvgPool2d((1, 1))
    ratio = g.init("classifier.0.ratio", np.array(0.5, dtype=np.float32))
    x = g.node("Dropout", "/classifier/classifier.0", [x, ratio])
    x = g.conv(x, "/classifier/classifier.1", "classifier.1", cin, classes, 1, final=True)
    x = g.relu(x, "/classifier/classifier.2")
    x = g.node("GlobalAveragePool", "/classifier/classifier.3", [x])
    # torch.flatten(x, 1) in SqueezeNet.forward, at the top-level scope.
    g.nodes.append(helper.make_node("Flatten", [x], ["output"], name="/Flatten", axis=1))

    graph = helper.make_graph(
        g.nodes, "main_graph",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, hw, hw])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, classes])],
        initializer=g.inits,
    )
    return finish(graph, opset,
                  f"SqueezeNet {version.replace('_', '.')} ({hw}x{hw}, {classes} classes), "
                  f"layout of torch.onnx.export(torchvision.models.squeezenet{version}); "
                  f"seeded random weights (seed {seed}).")


def bn_conv(seed: int) -> onnx.ModelProto:
    """Conv(no bias) -> BatchNormalization -> Relu -> MaxPool(pads) -> AveragePool(pads,
    count_include_pad=0) -> Add(other branch: strided 1x1 Conv) -> Reshape[1,-1] -> Softmax."""
    rng = np.random.default_rng(seed)
    f32 = np.float32
    c = 8
    inits = [
        numpy_helper.from_array(rng.uniform(-0.8, 0.8, size=(c, 3, 3, 3)).astype(f32), "conv_a.weight"),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, size=c).astype(f32), "bn.scale"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, size=c).astype(f32), "bn.bias"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, size=c).astype(f32), "bn.mean"),
        numpy_helper.from_array(rng.uniform(0.5, 2.0, size=c).astype(f32), "bn.var"),
        numpy_helper.from_array(rng.uniform(-1.0, 1.0, size=(c, 3, 1, 1)).astype(f32), "conv_b.weight"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, size=c).astype(f32), "conv_b.bias"),
        numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "shape"),
    ]
    nodes = [
        helper.make_node("Conv", ["input", "conv_a.weight"], ["a1"], name="conv_a",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),           # [N,8,12,12]
        helper.make_node("BatchNormalization", ["a1", "bn.scale", "bn.bias", "bn.mean", "bn.var"],
                         ["a2"], name="bn", epsilon=1e-3),                  # epsilon not the default 1e-5
        helper.make_node("Relu", ["a2"], ["a3"], name="relu"),
        helper.make_node("MaxPool", ["a3"], ["a4"], name="maxpool",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),  # [N,8,6,6]
        helper.make_node("AveragePool", ["a4"], ["a5"], name="avgpool",
                         kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1],
                         count_include_pad=0),                              # [N,8,4,4]
        helper.make_node("Conv", ["input", "conv_b.weight", "conv_b.bias"], ["b1"], name="conv_b",
                         kernel_shape=[1, 1], strides=[3, 3]),              # [N,8,4,4]
        helper.make_node("Add", ["a5", "b1"], ["sum"], name="add"),
        helper.make_node("Reshape", ["sum", "shape"], ["flat"], name="reshape"),  # [1,128] at N=1
        helper.make_node("Softmax", ["flat"], ["output"], name="softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "bn_conv",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 12, 12])],
        # Reshape to [1,-1] makes the second dim 128*N: symbolic here.
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, "M"])],
        initializer=inits,
    )
    return finish(graph, 11, f"Small Conv/BatchNormalization/pools/Add/Reshape/Softmax graph (seed {seed}).")


def finish(graph: onnx.GraphProto, opset: int, doc: str) -> onnx.ModelProto:
    opsets = [helper.make_opsetid("", opset)]
    model = helper.make_model(
        graph, opset_imports=opsets, producer_name="squeezec-fixtures",
        producer_version="1", doc_string=doc,
        ir_version=helper.find_min_ir_version_for(opsets),
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def with_float_data(model: onnx.ModelProto) -> onnx.ModelProto:
    """Same model, float initializers stored in float_data instead of raw_data."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    for i, t in enumerate(m.graph.initializer):
        if t.data_type == TensorProto.FLOAT:
            arr = numpy_helper.to_array(t)
            m.graph.initializer[i].CopyFrom(
                helper.make_tensor(t.name, TensorProto.FLOAT, list(arr.shape), arr.ravel().tolist()))
            assert not m.graph.initializer[i].raw_data
            assert np.array_equal(numpy_helper.to_array(m.graph.initializer[i]), arr)
    m.doc_string = model.doc_string + " Initializers in float_data, not raw_data."
    onnx.checker.check_model(m, full_check=True)
    return m


def bn_conv_numpy(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    """Independent float64 numpy version of bn_conv, the cross-check for that model.

    (onnx.reference can't be used there: its BatchNormalization-9 takes the
    momentum attribute, which always has its default 0.9, as "training mode" and
    normalises with the batch's own statistics; onnxruntime and the spec use the
    given mean/var when the node has one output.)"""
    w = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    ch = lambda v: v[None, :, None, None]

    def conv(t, wt, b, stride, pad):
        t = np.pad(t, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        k = wt.shape[2]
        ho = (t.shape[2] - k) // stride + 1
        wo = (t.shape[3] - k) // stride + 1
        out = np.zeros((t.shape[0], wt.shape[0], ho, wo))
        for i in range(ho):
            for j in range(wo):
                patch = t[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
                out[:, :, i, j] = np.einsum("nchw,ochw->no", patch, wt)
        return out + (0 if b is None else ch(b))

    def pool(t, k, stride, pad, fn, fill):
        p = np.pad(t, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
        ho = (p.shape[2] - k) // stride + 1
        wo = (p.shape[3] - k) // stride + 1
        out = np.zeros(t.shape[:2] + (ho, wo))
        for i in range(ho):
            for j in range(wo):
                out[:, :, i, j] = fn(p[:, :, i * stride:i * stride + k, j * stride:j * stride + k])
        return out

    x = x.astype(np.float64)
    a = conv(x, w["conv_a.weight"], None, 1, 1)
    a = ch(w["bn.scale"]) * (a - ch(w["bn.mean"])) / np.sqrt(ch(w["bn.var"]) + 1e-3) + ch(w["bn.bias"])
    a = np.maximum(a, 0)
    a = pool(a, 3, 2, 1, lambda v: v.max(axis=(2, 3)), -np.inf)          # pads are -inf for MaxPool
    a = pool(a, 2, 2, 1, lambda v: np.nanmean(v, axis=(2, 3)), np.nan)   # count_include_pad=0
    b = conv(x, w["conv_b.weight"], w["conv_b.bias"], 3, 0)
    z = (a + b).reshape(1, -1)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def run_ort(path: str, x: np.ndarray) -> np.ndarray:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    (y,) = sess.run(None, {"input": x})
    return np.ascontiguousarray(y, dtype=np.float32)


def save_npy(path: str, arr: np.ndarray) -> None:
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(arr), allow_pickle=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--no-reference-check", action="store_true",
                    help="skip the cross-check against onnx.reference (slow for the 224 model)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    base11 = squeezenet("1_1", 64, 10, 13, seed=11)
    # name -> (model, seed of its inputs, input shape)
    models = {
        "squeezenet1_0_64": (squeezenet("1_0", 64, 10, 13, seed=10), 100, (1, 3, 64, 64)),
        "squeezenet1_1_64": (base11, 110, (1, 3, 64, 64)),
        # Same weights and same inputs as squeezenet1_1_64: outputs must match it too.
        "squeezenet1_1_64_floatdata": (with_float_data(base11), 110, (1, 3, 64, 64)),
        "squeezenet1_1_224": (squeezenet("1_1", 224, 1000, 17, seed=12), 120, (1, 3, 224, 224)),
        "bn_conv": (bn_conv(seed=13), 130, (1, 3, 12, 12)),
    }

    for name, (model, in_seed, shape) in models.items():
        mpath = os.path.join(args.out, f"{name}.onnx")
        with open(mpath, "wb") as f:
            f.write(model.SerializeToString())
        onnx.checker.check_model(mpath, full_check=True)  # also the file as written
        if args.no_reference_check:
            ref = None
        elif name == "bn_conv":
            ref = lambda x, m=model: bn_conv_numpy(m, x)  # noqa: E731
        else:
            ref = lambda x, r=ReferenceEvaluator(model): r.run(None, {"input": x})[0]  # noqa: E731
        print(f"{name}.onnx  {os.path.getsize(mpath):>9} bytes  opset "
              f"{model.opset_import[0].version}  ir {model.ir_version}  "
              f"md5 {hashlib.md5(open(mpath, 'rb').read()).hexdigest()}")
        for k in range(N_INPUTS):
            x = np.random.default_rng([in_seed, k]).standard_normal(shape, dtype=np.float32)
            y = run_ort(mpath, x)
            ipath = os.path.join(args.out, f"{name}.input{k}.npy")
            opath = os.path.join(args.out, f"{name}.output{k}.npy")
            save_npy(ipath, x)
            save_npy(opath, y)
            note = ""
            if ref is not None:
                yr = ref(x)
                err = float(np.max(np.abs(yr.astype(np.float64) - y)))
                scale = float(np.max(np.abs(y))) or 1.0
                if err > 1e-4 * max(1.0, scale):
                    print(f"error: {name} input{k}: onnxruntime and onnx.reference differ by {err}",
                          file=sys.stderr)
                    return 1
                note = f"  |ort-ref| {err:.1e}"
            print(f"  input{k} {list(x.shape)}  output{k} {list(y.shape)}  "
                  f"range [{y.min():.4g}, {y.max():.4g}]  std {y.std():.3g}  "
                  f"argmax {int(y.argmax())}{note}")

    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f"total {total} bytes in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

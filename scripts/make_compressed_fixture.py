#!/usr/bin/env python3
"""Makes a Deep-Compression-style ONNX model (Han et al. 2016, pruning and
weight sharing; no retraining): every Conv weight is magnitude-pruned and
its surviving weights shared, as a model pruned and shared elsewhere arrives
(issue 13, "lossless, from the model"; squeezec must find the structure in the
weight values alone).

    make_compressed_fixture.py [--sparsity S] [--bits K] [--seed N] INPUT OUTPUT

INPUT is an fp32 ONNX file, or `squeezenet1.1`: squeezec's built-in
squeezenet1.1 graph (SqueezeNetBuilder.swift: the same layers, names, shapes
and order; --classes, default 1000, and --input-size, default 224, as the
paper's network) with seeded He-uniform weights (classifier U(+-0.01*sqrt(3)),
biases U(-0.05, 0.1), as squeezec's WeightInitializer; the streams differ, the
values are numpy's), built with onnx.helper.

For every Conv weight initializer, separately (biases are left alone):
1. Pruning: the round(S * n) weights of smallest magnitude become +0.0 (ties
   by position in the ONNX OIHW order; weights already zero count as
   smallest). Default S = 2/3.
2. Sharing: the remaining weights are replaced by the nearest of at most 2^K
   values (default K = 4) from 1-D k-means: centroids start evenly spaced over
   the surviving weights' range minus the empty band around zero (the negative
   and the positive range laid end to end), then at most --iterations (30) Lloyd
   steps (nearest centroid, ties to the lower one; an empty cluster keeps its
   centroid); a centroid never becomes zero, so zeros are exactly the pruned
   weights. --seed only drives the built model's weights: the compression is
   deterministic without one.
Everything else (graph, node and value names, other initializers, opset,
metadata_props such as squeezec.mean) is copied unchanged. The output is
checked before it is written: exact zeros, at most 2^K distinct non-zero
float32 values per Conv weight, onnx.checker. numpy and onnx only (the
repo's venv, scripts/venv.sh); deterministic: the same arguments give the
same bytes. A summary goes to stderr.
"""
from __future__ import annotations

import argparse
import os
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# SqueezeNet v1.1 Fire modules fire2..fire9: (squeeze, expand1x1 = expand3x3).
FIRES_V11 = [(16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192), (64, 256), (64, 256)]


def squeezenet11(classes: int, size: int, seed: int) -> onnx.ModelProto:
    """squeezec's built-in squeezenet1.1 as ONNX (NCHW input 'data', Caffe layer names)."""
    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []

    def rng(name: str) -> np.random.Generator:
        return np.random.default_rng([seed, zlib.crc32(name.encode())])

    def conv(name: str, x: str, cin: int, cout: int, k: int, stride: int = 1, pad: int = 0,
             classifier: bool = False) -> str:
        bound = 0.01 * np.sqrt(3.0) if classifier else np.sqrt(6.0 / (cin * k * k))
        w = rng(name + ".weight").uniform(-bound, bound, size=(cout, cin, k, k)).astype(np.float32)
        b = rng(name + ".bias").uniform(-0.05, 0.1, size=cout).astype(np.float32)
        inits.append(numpy_helper.from_array(w, name + ".weight"))
        inits.append(numpy_helper.from_array(b, name + ".bias"))
        nodes.append(helper.make_node("Conv", [x, name + ".weight", name + ".bias"], [name], name=name,
                                      kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4))
        return name

    def op(kind: str, name: str, inputs: list[str], **attrs) -> str:
        nodes.append(helper.make_node(kind, inputs, [name], name=name, **attrs))
        return name

    def maxpool(name: str, x: str) -> str:
        return op("MaxPool", name, [x], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)

    x = op("Relu", "relu_conv1", [conv("conv1", "data", 3, 64, 3, stride=2)])
    x = maxpool("pool1", x)
    cin = 64
    for index, (squeeze, expand) in enumerate(FIRES_V11, start=2):
        p = f"fire{index}/"
        s = op("Relu", p + "relu_squeeze1x1", [conv(p + "squeeze1x1", x, cin, squeeze, 1)])
        e1 = op("Relu", p + "relu_expand1x1", [conv(p + "expand1x1", s, squeeze, expand, 1)])
        e3 = op("Relu", p + "relu_expand3x3", [conv(p + "expand3x3", s, squeeze, expand, 3, pad=1)])
        x = op("Concat", p + "concat", [e1, e3], axis=1)
        cin = 2 * expand
        if index in (3, 5):
            x = maxpool(f"pool{index}", x)
    inits.append(numpy_helper.from_array(np.array(0.5, dtype=np.float32), "drop9.ratio"))
    x = op("Dropout", "drop9", [x, "drop9.ratio"])
    x = op("Relu", "relu_conv10", [conv("conv10", x, cin, classes, 1, classifier=True)])
    x = op("GlobalAveragePool", "pool10", [x])
    x = op("Flatten", "flatten", [x], axis=1)
    graph = helper.make_graph(nodes, "squeezenet1.1",
                              [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, size, size])],
                              [helper.make_tensor_value_info("flatten", TensorProto.FLOAT, [1, classes])],
                              initializer=inits)
    opsets = [helper.make_opsetid("", 13)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="squeezec scripts/make_compressed_fixture.py",
                              producer_version="1", ir_version=helper.find_min_ir_version_for(opsets),
                              doc_string=f"SqueezeNet v1.1 ({size}x{size}, {classes} classes), squeezec's built-in "
                                         f"graph; seeded He-uniform weights (seed {seed}).")
    return model


def prune(w: np.ndarray, sparsity: float) -> np.ndarray:
    """Mask of the weights kept: all but the round(sparsity * n) smallest |w| (ties: lower position pruned first)."""
    flat = w.ravel()
    n = flat.size
    k = int(round(sparsity * n))
    order = np.lexsort((np.arange(n), np.abs(flat.astype(np.float64))))
    keep = np.ones(n, dtype=bool)
    keep[order[:k]] = False
    return keep


def linear_init(v: np.ndarray, clusters: int) -> np.ndarray:
    """Evenly spaced over the values' range minus the empty band around zero that
    pruning leaves: over [min negative, max negative] and [min positive, max
    positive] laid end to end (so no centroid starts where no weight is)."""
    segments = [(float(s.min()), float(s.max())) for s in (v[v < 0], v[v > 0]) if len(s)]
    lengths = np.array([hi - lo for lo, hi in segments])
    points = np.linspace(0.0, float(lengths.sum()), clusters)
    out = np.empty(clusters)
    for i, t in enumerate(points):
        for (lo, hi), length in zip(segments, lengths):
            if t <= length or (lo, hi) == segments[-1]:
                out[i] = lo + min(t, length)
                break
            t -= length
    return out


def kmeans_1d(values: np.ndarray, clusters: int, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """(centroids float32 ascending, index of each value's centroid)."""
    v = values.astype(np.float64)
    unique = np.unique(v)
    if len(unique) <= clusters:
        return unique.astype(np.float32), np.searchsorted(unique, v)
    centroids = linear_init(v, clusters)

    def assign(c: np.ndarray) -> np.ndarray:
        # Sorted 1-D centroids: the nearest is found by the midpoints; a value on a
        # midpoint goes to the lower centroid.
        return np.searchsorted((c[:-1] + c[1:]) / 2, v, side="left")

    index = assign(centroids)
    for _ in range(iterations):
        sums = np.bincount(index, weights=v, minlength=clusters)
        counts = np.bincount(index, minlength=clusters)
        updated = np.where(counts > 0, sums / np.maximum(counts, 1), centroids)
        if np.array_equal(updated, centroids):
            break
        centroids = updated
        index = assign(centroids)
    c32 = centroids.astype(np.float32)
    for j in np.flatnonzero(c32 == 0):  # keep zeros for pruned weights only
        members = v[index == j]
        c32[j] = members[np.argmax(np.abs(members))] if len(members) else np.float32(np.finfo(np.float32).tiny)
    return c32, index


def compress(model: onnx.ModelProto, sparsity: float, bits: int, iterations: int) -> list[tuple[str, int, int, int]]:
    """Prunes and shares every Conv weight initializer in place; returns (name, n, zeros, distinct non-zero)."""
    inits = {t.name: i for i, t in enumerate(model.graph.initializer)}
    done: dict[str, tuple[str, int, int, int]] = {}
    for node in model.graph.node:
        if node.op_type != "Conv" or len(node.input) < 2 or node.input[1] in done:
            continue
        name = node.input[1]
        if name not in inits:
            raise SystemExit(f"error: Conv '{node.name}': weight '{name}' is not an initializer")
        tensor = model.graph.initializer[inits[name]]
        if tensor.data_type != TensorProto.FLOAT:
            raise SystemExit(f"error: Conv '{node.name}': weight '{name}' is not float32")
        w = numpy_helper.to_array(tensor).astype(np.float32)
        keep = prune(w, sparsity)
        out = np.zeros(w.size, dtype=np.float32)
        if keep.any():
            centroids, index = kmeans_1d(w.ravel()[keep], 2 ** bits, iterations)
            out[keep] = centroids[index]
        out = out.reshape(w.shape)
        word = out.view(np.uint32).ravel()
        zeros = int((word == 0).sum())
        distinct = len(np.unique(word[word != 0]))
        if zeros != w.size - int(keep.sum()) or distinct > 2 ** bits or np.isnan(out).any():
            raise SystemExit(f"error: {name}: compression check failed ({zeros} zeros, {distinct} values)")
        model.graph.initializer[inits[name]].CopyFrom(numpy_helper.from_array(out, name))
        done[name] = (name, int(w.size), zeros, distinct)
    if not done:
        raise SystemExit("error: the model has no Conv weights")
    return list(done.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="fp32 .onnx file, or 'squeezenet1.1' (built-in graph, seeded weights)")
    ap.add_argument("output", help="the .onnx file to write")
    ap.add_argument("--sparsity", type=float, default=2 / 3, help="fraction of each Conv weight pruned to zero [0, 1)")
    ap.add_argument("--bits", type=int, default=4, help="at most 2^BITS shared values per layer, 1..8 (default 4)")
    ap.add_argument("--seed", type=int, default=1, help="weights of the built squeezenet1.1 (default 1)")
    ap.add_argument("--classes", type=int, default=1000, help="classes of the built squeezenet1.1 (default 1000)")
    ap.add_argument("--input-size", type=int, default=224, help="input size of the built squeezenet1.1 (default 224)")
    ap.add_argument("--iterations", type=int, default=30, help="k-means Lloyd steps at most (default 30)")
    args = ap.parse_args()
    if not 0 <= args.sparsity < 1:
        ap.error(f"--sparsity {args.sparsity}: must be in [0, 1)")
    if not 1 <= args.bits <= 8:
        ap.error(f"--bits {args.bits}: must be 1...8")

    if args.input == "squeezenet1.1":
        model = squeezenet11(args.classes, args.input_size, args.seed)
    else:
        try:
            model = onnx.load(args.input)
        except Exception as e:  # noqa: BLE001 - one line naming the file
            print(f"error: {args.input}: {e}".splitlines()[0], file=sys.stderr)
            return 1
    layers = compress(model, args.sparsity, args.bits, args.iterations)
    onnx.checker.check_model(model, full_check=True)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(model.SerializeToString())
    os.replace(tmp, args.output)  # never a half-written output
    total = sum(n for _, n, _, _ in layers)
    zeros = sum(z for _, _, z, _ in layers)
    print(f"{args.output}: {len(layers)} conv weights, {zeros} of {total} zero ({zeros / total:.4f}), "
          f"at most {max(d for *_, d in layers)} distinct non-zero values a layer", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

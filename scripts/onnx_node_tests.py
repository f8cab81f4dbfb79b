#!/usr/bin/env python3
"""Lists the ONNX backend node tests that squeezec should pass.

Run with the repo's venv:  .venv/bin/python scripts/onnx_node_tests.py [--rejected] [-v]

Prints, one per line, the directories <...>/node/<test_name>/ (each holding
model.onnx and test_data_set_0/input_0.pb, output_0.pb) of the ONNX package's
own backend node tests for squeezec's operators that squeezec can run as a
model: exactly one graph input, a float32 [1, C, H, W] image, every other
node input a constant initializer, exactly one float32 output, and only the
operator variants squeezec implements (see check_node). With --rejected it
prints the rejected candidates instead, as "<dir><TAB><reason>". The counts
go to stderr.

ONNX node tests have no initializers: weights, Reshape's shape, Dropout's
ratio and Add's second operand are graph inputs, so by the rule above no Conv,
BatchNormalization, Reshape, Add or Concat test is kept. With --freeze, such a
test is also judged as a copy whose extra inputs are initializers holding the
test's own input_1.pb, input_2.pb... (same expected output); kept copies are
listed from .venv/onnx-node-tests/frozen-<version>/. A one-node test on a
batch [N, C, H, W] of an op that treats each item on its own (inference-mode
BatchNormalization, Flatten at axis 1, ...) is also judged as a batch-1 copy
with N data sets, one per item (split-<version>/); a Gemm, MatMul or Softmax
test on a 2-D [M, K] input as a head after the Flatten of a [1, K, 1, 1]
image with M data sets, one per row (split-<version>/); an element-wise test
on a smaller tensor as a copy lifted to [1, C, H, W] (lifted-<version>/).

Where the test data come from: older onnx wheels shipped
onnx/backend/test/data/node/; recent ones (1.23 here) ship only the Python
test-case generators (onnx/backend/test/case/node/*.py) from which that
folder is made. If the folder is missing, this script writes the candidates
with those generators, the same way onnx's own `backend-test-tools
generate-data` does for the other kinds, into
.venv/onnx-node-tests/onnx-<version>-<hash of the supported ops>/node/ (once;
later runs reuse it).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".venv", "onnx-node-tests")

SUPPORTED = {
    "Conv", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Concat", "Dropout",
    "Identity", "Flatten", "Reshape", "Softmax", "Add", "BatchNormalization",
    "Clip", "LeakyRelu", "Sigmoid", "Mul", "Sub", "Div", "Pad", "Gemm", "MatMul",
}
EXPANDED = re.compile(r"_expanded(_ver\d+)?$")


def is_candidate(name: str, model: onnx.ModelProto, single_node_tests: set[str]) -> bool:
    """A test of one of squeezec's operators: a one-node test of a supported op, or the
    function-expanded form of such a test (which will be rejected for its other ops)."""
    g = model.graph
    if len(g.node) == 1 and g.node[0].op_type in SUPPORTED and g.node[0].domain in ("", "ai.onnx"):
        return True
    return EXPANDED.search(name) is not None and EXPANDED.sub("", name) in single_node_tests


# ---------------------------------------------------------------- test data

def package_node_dir() -> str | None:
    d = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")
    return d if os.path.isdir(d) and os.listdir(d) else None


def _write_value(path: str, value, vi: onnx.ValueInfoProto) -> None:
    t = vi.type
    if t.HasField("sequence_type"):
        proto = numpy_helper.from_list(value, vi.name)
    elif t.HasField("optional_type"):
        proto = numpy_helper.from_optional(value, vi.name)
    elif t.HasField("map_type"):
        proto = numpy_helper.from_dict(value, vi.name)
    elif isinstance(value, TensorProto):
        proto = value
    else:
        proto = numpy_helper.from_array(value, vi.name)
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())


def generated_node_dir(quiet: bool) -> str:
    """Writes the candidate node tests with onnx's generators, once per onnx version."""
    # Keyed by the supported set too: a new operator needs its candidates written.
    key = hashlib.sha256(",".join(sorted(SUPPORTED)).encode()).hexdigest()[:8]
    base = os.path.join(CACHE, f"onnx-{onnx.__version__}-{key}")
    node_dir = os.path.join(base, "node")
    done = os.path.join(base, ".complete")
    stamp = onnx.__version__ + " " + " ".join(sorted(SUPPORTED)) + "\n"
    if os.path.exists(done):
        with open(done) as f:
            if f.read() == stamp:
                return node_dir
    if not quiet:
        print(f"onnx_node_tests: writing the node tests of onnx {onnx.__version__} to {node_dir}",
              file=sys.stderr)
    from onnx.backend.test.case.node import collect_testcases

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the generators of unrelated ops warn (overflow, log(0))
        cases = collect_testcases(None)
    singles = {c.name for c in cases
               if len(c.model.graph.node) == 1 and c.model.graph.node[0].op_type in SUPPORTED}
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(node_dir)
    for c in cases:
        if not is_candidate(c.name, c.model, singles):
            continue
        d = os.path.join(node_dir, c.name)
        os.makedirs(d)
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(c.model.SerializeToString())
        for i, (inputs, outputs) in enumerate(c.data_sets):
            ds = os.path.join(d, f"test_data_set_{i}")
            os.makedirs(ds)
            for j, v in enumerate(inputs):
                _write_value(os.path.join(ds, f"input_{j}.pb"), v, c.model.graph.input[j])
            for j, v in enumerate(outputs):
                _write_value(os.path.join(ds, f"output_{j}.pb"), v, c.model.graph.output[j])
    with open(done, "w") as f:
        f.write(stamp)  # the operator set too: a new operator regenerates the candidates
    return node_dir


# ---------------------------------------------------------------- checks

def attr(node: onnx.NodeProto, name: str, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def ai_onnx_opset(model: onnx.ModelProto) -> int:
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return 0


def dims(vi: onnx.ValueInfoProto) -> list | None:
    if not vi.type.HasField("tensor_type") or not vi.type.tensor_type.HasField("shape"):
        return None
    return [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
            for d in vi.type.tensor_type.shape.dim]


def check_node(n: onnx.NodeProto, rank: dict[str, int], shape: dict[str, list],
               consts: dict[str, np.ndarray], opset: int) -> str | None:
    """None if squeezec implements this node's variant, else why not."""
    op = n.op_type
    outs = [o for o in n.output if o]
    if len(outs) != 1:
        return f"{op} with {len(outs)} outputs"
    if op in ("Conv", "MaxPool", "AveragePool"):
        r = rank.get(n.input[0])
        if r is not None and r != 4:
            return f"{op} on a rank-{r} tensor (squeezec: 2-D spatial only)"
        if any(v != 1 for v in attr(n, "dilations", [])):
            return f"{op} dilations={attr(n, 'dilations')}"
    if op == "Conv":
        w = shape.get(n.input[1]) if len(n.input) > 1 else None
        r = rank.get(n.input[0])
        if attr(n, "group", 1) != 1 and (w is None or r != 4):
            return f"Conv group={attr(n, 'group')} with unknown shapes"
        if len(n.input) > 1 and n.input[1] not in consts:
            return "Conv weight is not a constant"
    elif op == "MaxPool":
        if attr(n, "storage_order", 0) != 0:
            return "MaxPool storage_order=1"
    elif op == "Concat":
        r = rank.get(n.input[0])
        if r != 4 or attr(n, "axis") not in (1, -3):
            return f"Concat axis={attr(n, 'axis')} on rank {r} (squeezec: axis 1 of 4-D)"
    elif op == "Dropout":
        if opset < 7 and attr(n, "is_test", 0) == 0:
            return "Dropout-6 in training mode (is_test=0)"
        if len(n.input) > 2 and n.input[2]:
            tm = consts.get(n.input[2])
            if tm is None:
                return "Dropout training_mode is not a constant"
            if bool(tm):
                return "Dropout training_mode=true"
        if len(n.input) > 1 and n.input[1] and n.input[1] not in consts:
            return "Dropout ratio is not a constant"
    elif op == "BatchNormalization":
        if attr(n, "training_mode", 0) != 0:
            return "BatchNormalization training_mode=1"
        if opset < 9 and attr(n, "spatial", 1) != 1:
            return "BatchNormalization spatial=0"
        if any(i not in consts for i in n.input[1:5]):
            return "BatchNormalization scale/bias/mean/var are not constants"
    elif op == "Reshape":
        if n.input[1] not in consts:
            return "Reshape shape is not a constant"
        if attr(n, "allowzero", 0) != 0:
            return "Reshape allowzero=1"
    elif op in ("Gemm", "MatMul"):
        # squeezec: a classifier head on the Flatten of a feature map (the input rule above
        # already asks for a [1, C, H, W] image, so a lone Gemm/MatMul test is never kept).
        if rank.get(n.input[0]) != 2:
            return f"{op} on a rank-{rank.get(n.input[0])} input (squeezec: the [1, K] flatten of a feature map)"
        if op == "Gemm" and attr(n, "transA", 0) != 0:
            return "Gemm transA=1"
        if n.input[1] not in consts or (len(n.input) > 2 and n.input[2] and n.input[2] not in consts):
            return f"{op} weight or bias is not a constant"
    elif op in ("Add", "Mul", "Sub", "Div"):
        a, b = (shape.get(i) for i in n.input[:2])
        constant = [i for i in n.input[:2] if i in consts]
        if len(constant) == 1:
            c = list(consts[constant[0]].shape)
            x = a if constant[0] == n.input[1] else b
            if len(c) > 4 or x is None or len(x) != 4:
                return f"{op} by a constant of shape {c} on {x}"
            c = [1] * (4 - len(c)) + c
            if c[0] != 1 or any(c[i] not in (1, x[i]) for i in (1, 2, 3)):
                return f"{op} by a constant of shape {c} (squeezec: one that broadcasts to the input {x})"
            if op == "Div" and constant[0] == n.input[0]:
                return "Div of a constant by a tensor"
        elif op == "Add":
            if a is None or b is None or a != b:
                return f"Add of shapes {a} and {b} (squeezec: same shape, no broadcast)"
        else:
            return f"{op} of {len(constant)} constants (squeezec: one computed tensor by one constant)"
    elif op == "Clip":
        if any(i and i not in consts for i in n.input[1:3]):
            return "Clip min/max are not constants"
    elif op == "Pad":
        mode = attr(n, "mode", b"constant")
        if mode not in (b"constant", "constant"):
            return f"Pad mode={mode.decode() if isinstance(mode, bytes) else mode}"
        if any(i and i not in consts for i in n.input[1:]):
            return "Pad pads/constant_value/axes are not constants"
        pads = list(consts[n.input[1]]) if len(n.input) > 1 and n.input[1] else list(attr(n, "pads", []))
        value = float(consts[n.input[2]]) if len(n.input) > 2 and n.input[2] else float(attr(n, "value", 0.0))
        axes = [int(a) % 4 for a in consts[n.input[3]]] if len(n.input) > 3 and n.input[3] else [0, 1, 2, 3]
        if not np.isfinite(value):
            return f"Pad constant_value={value}"
        if any(p < 0 for p in pads):
            return "Pad with negative pads"
        if any(pads[i] or pads[i + len(axes)] for i, ax in enumerate(axes) if ax in (0, 1)):
            return f"Pad pads {pads} on the batch or channel axis"
    return None


def check(test_dir: str) -> tuple[str | None, str]:
    """(None, info) if squeezec should run this test, else (reason, info)."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    g = model.graph
    opset = ai_onnx_opset(model)
    info = f"opset {opset}"
    others = sorted({n.op_type for n in g.node if n.op_type not in SUPPORTED
                     or n.domain not in ("", "ai.onnx")})
    if others:
        return f"uses ops outside squeezec's set: {', '.join(others)}", info
    consts = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    ins = [i for i in g.input if i.name not in consts]
    if len(ins) != 1:
        return f"{len(ins)} graph inputs ({', '.join(i.name for i in ins)}), not one image", info
    x = ins[0]
    if not x.type.HasField("tensor_type"):
        return f"input {x.name} is not a tensor", info
    if x.type.tensor_type.elem_type != TensorProto.FLOAT:
        return f"input is {TensorProto.DataType.Name(x.type.tensor_type.elem_type)}, not FLOAT", info
    xs = dims(x)
    info += f", input {xs}"
    if xs is None or len(xs) != 4 or xs[0] != 1 or not all(isinstance(d, int) and d > 0 for d in xs):
        return f"input shape {xs}, not [1, C, H, W]", info
    if len(g.output) != 1:
        return f"{len(g.output)} graph outputs", info
    y = g.output[0]
    if not y.type.HasField("tensor_type") or y.type.tensor_type.elem_type != TensorProto.FLOAT:
        return "output is not a FLOAT tensor", info
    info += f", output {dims(y)}"
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    except Exception as e:  # noqa: BLE001
        return f"shape inference failed: {str(e).splitlines()[0]}", info
    shape = {vi.name: dims(vi) for vi in list(inferred.graph.value_info) + list(g.input) + list(g.output)}
    shape.update({k: list(v.shape) for k, v in consts.items()})
    rank = {k: len(v) for k, v in shape.items() if v is not None}
    for n in g.node:
        why = check_node(n, rank, shape, consts, opset)
        if why:
            return why, info
    ds = os.path.join(test_dir, "test_data_set_0")
    files = sorted(os.listdir(ds)) if os.path.isdir(ds) else []
    if files != ["input_0.pb", "output_0.pb"]:
        return f"test_data_set_0 holds {files}", info
    t = TensorProto()
    with open(os.path.join(ds, "input_0.pb"), "rb") as f:
        t.ParseFromString(f.read())
    if list(t.dims) != xs or t.data_type != TensorProto.FLOAT:
        return f"input_0.pb is {list(t.dims)} type {t.data_type}, model says {xs}", info
    return None, info


def freeze(src: str, dst: str) -> bool:
    """Copies a test with graph inputs 1..n turned into initializers holding
    test_data_set_0/input_1..n.pb, so that input 0 is the model's only input. The
    expected output is unchanged. False if an extra input is not a tensor."""
    model = onnx.load(os.path.join(src, "model.onnx"))
    g = model.graph
    ds = os.path.join(src, "test_data_set_0")
    consts = []
    for j, vi in enumerate(g.input):
        if j == 0:
            continue
        if not vi.type.HasField("tensor_type"):
            return False
        t = TensorProto()
        with open(os.path.join(ds, f"input_{j}.pb"), "rb") as f:
            t.ParseFromString(f.read())
        t.name = vi.name
        consts.append(t)
    keep = g.input[0]
    del g.input[1:]
    g.initializer.extend(consts)
    assert g.input[0] is keep or g.input[0].name == keep.name
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.join(dst, "test_data_set_0"))
    with open(os.path.join(dst, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    shutil.copy(os.path.join(ds, "input_0.pb"), os.path.join(dst, "test_data_set_0", "input_0.pb"))
    for name in os.listdir(ds):
        if name.startswith("output_"):
            shutil.copy(os.path.join(ds, name), os.path.join(dst, "test_data_set_0", name))
    return True


# Element-wise ops: their result does not depend on how the elements are laid
# out, so a test on a [d0, ..., dk] tensor (k < 4) is the same test on the
# [1, ..., d0, ..., dk] 4-D tensor (leading 1s; numpy broadcasting of a
# constant operand is right-aligned, so it is unchanged too).
ELEMENTWISE = {"Relu", "Clip", "LeakyRelu", "Sigmoid", "Add", "Sub", "Mul", "Div", "Identity", "Dropout"}


def lift(src: str, dst: str) -> bool:
    """Copies an element-wise test whose input has rank < 4 (or a batch-1
    rank-4 shape other than squeezec's) with its input and output reshaped to
    [1, C, H, W] by leading 1s. False if the test is not one to lift."""
    model = onnx.load(os.path.join(src, "model.onnx"))
    g = model.graph
    if len(g.node) != 1 or g.node[0].op_type not in ELEMENTWISE:
        return False
    consts = {t.name for t in g.initializer}
    ins = [i for i in g.input if i.name not in consts]
    if len(ins) != 1 or len(g.output) != 1:
        return False
    xs, ys = dims(ins[0]), dims(g.output[0])
    if xs is None or ys is None or xs != ys or len(xs) >= 4 or not all(isinstance(d, int) and d > 0 for d in xs):
        return False
    lifted = [1] * (4 - len(xs)) + xs
    for vi in (ins[0], g.output[0]):
        shape = vi.type.tensor_type.shape
        del shape.dim[:]
        for d in lifted:
            shape.dim.add().dim_value = d
    ds = os.path.join(src, "test_data_set_0")
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.join(dst, "test_data_set_0"))
    with open(os.path.join(dst, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for name in ("input_0.pb", "output_0.pb"):
        t = TensorProto()
        with open(os.path.join(ds, name), "rb") as f:
            t.ParseFromString(f.read())
        a = numpy_helper.to_array(t).reshape(lifted)
        out = numpy_helper.from_array(a, t.name)
        with open(os.path.join(dst, "test_data_set_0", name), "wb") as f:
            f.write(out.SerializeToString())
    return True


def read_data(src: str) -> dict[str, tuple[str, np.ndarray]]:
    """input_0.pb and output_0.pb of test_data_set_0: name -> (tensor name, array)."""
    arrays = {}
    for name in ("input_0.pb", "output_0.pb"):
        t = TensorProto()
        with open(os.path.join(src, "test_data_set_0", name), "rb") as f:
            t.ParseFromString(f.read())
        arrays[name] = (t.name, numpy_helper.to_array(t))
    return arrays


def write_split(dst: str, model: onnx.ModelProto, arrays: dict[str, tuple[str, np.ndarray]], count: int,
                input_shape: list[int] | None = None) -> None:
    """Writes `model` and `count` data sets, set i holding item i (along axis 0)
    of each array; the input item reshaped to `input_shape` when given."""
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    with open(os.path.join(dst, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for i in range(count):
        out = os.path.join(dst, f"test_data_set_{i}")
        os.makedirs(out)
        for name, (tname, a) in arrays.items():
            item = a[i:i + 1]
            if name == "input_0.pb" and input_shape is not None:
                item = item.reshape(input_shape)
            with open(os.path.join(out, name), "wb") as f:
                f.write(numpy_helper.from_array(np.ascontiguousarray(item), tname).SerializeToString())


# Ops whose result for one batch item depends on that item alone (inference
# mode): a test on [N, C, H, W] is N batch-1 tests, one data set per item.
PER_ITEM = {"BatchNormalization", "Flatten", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool",
            "Relu", "Clip", "LeakyRelu", "Sigmoid", "Dropout", "Identity"}


def split_batch(src: str, dst: str) -> bool:
    """Copies a one-node test on a [N, C, H, W] batch (N > 1) of an op that
    treats each item on its own as a batch-1 test with N data sets
    (test_data_set_<i>: item i of input_0.pb and of output_0.pb). False if
    the test is not one to split (training-mode BatchNormalization, a
    Flatten that mixes items, several outputs)."""
    model = onnx.load(os.path.join(src, "model.onnx"))
    g = model.graph
    if len(g.node) != 1 or g.node[0].op_type not in PER_ITEM or len(g.output) != 1:
        return False
    n = g.node[0]
    if n.op_type == "BatchNormalization" and (attr(n, "training_mode", 0) or len(n.output) != 1):
        return False
    if n.op_type == "Flatten" and attr(n, "axis", 1) != 1:
        return False
    consts = {t.name for t in g.initializer}
    ins = [i for i in g.input if i.name not in consts]
    if len(ins) != 1:
        return False
    xs, ys = dims(ins[0]), dims(g.output[0])
    if xs is None or ys is None or len(xs) != 4 or not isinstance(xs[0], int) or xs[0] < 2 or ys[0] != xs[0]:
        return False
    batch = xs[0]
    for vi in (ins[0], g.output[0]):
        vi.type.tensor_type.shape.dim[0].dim_value = 1
    arrays = read_data(src)
    if any(a.shape[0] != batch for _, a in arrays.values()):
        return False
    write_split(dst, model, arrays, batch)
    return True


# Ops on a 2-D [M, K] input whose output row i depends on input row i alone:
# squeezec takes them as a head after the Flatten of a [1, K, 1, 1] map.
PER_ROW = {"Gemm", "MatMul", "Softmax"}


def split_rows(src: str, dst: str) -> bool:
    """Copies a one-node Gemm, MatMul or Softmax test on a 2-D [M, K] input
    as squeezec's form of it: a [1, K, 1, 1] image, a Flatten (the values
    unchanged) and the node, with M data sets (row i of input_0.pb and of
    output_0.pb). False if rows are not independent (Gemm transA=1 or a bias
    with M > 1 rows, a Softmax over axis 0)."""
    model = onnx.load(os.path.join(src, "model.onnx"))
    g = model.graph
    if len(g.node) != 1 or g.node[0].op_type not in PER_ROW or len(g.output) != 1:
        return False
    n = g.node[0]
    consts = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    ins = [i for i in g.input if i.name not in consts]
    if len(ins) != 1 or ins[0].name != n.input[0]:
        return False
    xs, ys = dims(ins[0]), dims(g.output[0])
    if xs is None or ys is None or len(xs) != 2 or len(ys) != 2 or not all(isinstance(d, int) and d > 0 for d in xs + ys) \
            or ys[0] != xs[0]:
        return False
    if n.op_type == "Gemm":
        bias = consts.get(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        if attr(n, "transA", 0) != 0 or (bias is not None and bias.ndim == 2 and bias.shape[0] > 1):
            return False
    if n.op_type == "Softmax" and attr(n, "axis", -1 if ai_onnx_opset(model) >= 13 else 1) not in (1, -1):
        return False
    rows, k = xs
    image = onnx.helper.make_tensor_value_info(n.input[0] + "_image", TensorProto.FLOAT, [1, k, 1, 1])
    flatten = onnx.helper.make_node("Flatten", [image.name], [n.input[0]], name="flatten", axis=1)
    g.node.insert(0, flatten)
    del g.input[:]
    g.input.append(image)
    g.output[0].type.tensor_type.shape.dim[0].dim_value = 1
    arrays = read_data(src)
    if arrays["input_0.pb"][1].shape != (rows, k) or arrays["output_0.pb"][1].shape[0] != rows:
        return False
    write_split(dst, model, arrays, rows, input_shape=[1, k, 1, 1])
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rejected", action="store_true",
                    help="print the rejected candidates with the reason, instead of the kept ones")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="append opset and shapes to each line (tab-separated)")
    ap.add_argument("--data", help="a node/ test folder to use instead of onnx's own")
    ap.add_argument("-q", "--quiet", action="store_true", help="no counts on stderr")
    ap.add_argument("--freeze", action="store_true",
                    help="also take tests whose extra graph inputs (weights, shape, ratio...) "
                         "could be constants: copies with those inputs turned into initializers "
                         "from input_k.pb are written to " + os.path.join(CACHE, "frozen-<onnx version>")
                         + " and judged instead")
    args = ap.parse_args()

    node_dir = args.data or package_node_dir() or generated_node_dir(args.quiet)
    tests = sorted(d for d in os.listdir(node_dir)
                   if os.path.isfile(os.path.join(node_dir, d, "model.onnx")))
    models = {d: onnx.load(os.path.join(node_dir, d, "model.onnx")) for d in tests}
    singles = {d for d, m in models.items()
               if len(m.graph.node) == 1 and m.graph.node[0].op_type in SUPPORTED}
    kept, rejected = [], []
    for d in tests:
        if not is_candidate(d, models[d], singles):
            continue
        path = os.path.join(node_dir, d) + os.sep
        why, info = check(path)
        if why and args.freeze and len([i for i in models[d].graph.input]) > 1 \
                and re.match(r"\d+ graph inputs", why):
            fpath = os.path.join(CACHE, f"frozen-{onnx.__version__}", d) + os.sep
            if freeze(path, fpath):
                fwhy, finfo = check(fpath)
                if fwhy and "not [1, C, H, W]" in fwhy:
                    path, why = fpath, fwhy  # perhaps liftable below
                elif fwhy:
                    shutil.rmtree(fpath)
                    why = f"{why}; frozen: {fwhy}"
                else:
                    path, why, info = fpath, None, finfo + ", frozen"
        # Not one [1, C, H, W] image: a batch of items an op treats one by one (one batch-1
        # data set per item, or per row of a 2-D head), or an element-wise test on a smaller
        # tensor (the same test on [1, C, H, W]).
        for kind, transform, label in (("split", lambda a, b: split_batch(a, b) or split_rows(a, b), "batch split into data sets"),
                                       ("lifted", lift, "lifted to 4-D")):
            if not (why and args.freeze and "not [1, C, H, W]" in why):
                break
            tpath = os.path.join(CACHE, f"{kind}-{onnx.__version__}", d) + os.sep
            if transform(path, tpath):
                twhy, tinfo = check(tpath)
                if twhy:
                    shutil.rmtree(tpath)
                    why = f"{why}; {kind}: {twhy}"
                else:
                    path, why, info = tpath, None, f"{tinfo}, {label}"
        (rejected if why else kept).append((path, why, info))

    for path, why, info in (rejected if args.rejected else kept):
        cols = [path] + ([why] if why else []) + ([info] if args.verbose else [])
        print("\t".join(cols))
    if not args.quiet:
        print(f"onnx_node_tests: {len(kept)} kept, {len(rejected)} rejected of "
              f"{len(kept) + len(rejected)} candidates (onnx {onnx.__version__}, {node_dir})",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

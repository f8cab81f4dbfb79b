#!/usr/bin/env python3
"""Deep Compression (Han et al. 2016: pruning with retraining, then trained
weight sharing) of the trained digits fixture: writes
Tests/Fixtures/digits/squeezenet1_1_digits32_dc.onnx, a model whose every
convolution has about two thirds of its weights exactly zero and at most 16
distinct non-zero values, as a model pruned and shared elsewhere would arrive
(issue 13, "lossless, from the model").

Not run in CI: CI uses the committed file. Needs torch (scripts/venv-train.sh):

    PY=$(scripts/venv-train.sh | tail -n1)
    $PY scripts/train_digits_dc.py --out Tests/Fixtures/digits

Starts from the committed squeezenet1_1_digits32.onnx (its weights are loaded
into scripts/train_digits.py's SqueezeNet11) and trains on the same split,
the same 32x32 images and the same augmentation as train_digits.py:

1. Pruning, per convolution layer (all 26, conv1 and conv10 included): the
   smallest-magnitude weights are zeroed (ties by position, as squeezec's
   --prune), in steps to 1/3, 1/2, 0.6 and 2/3 of each layer, with retraining
   after each step (Adam, cosine schedule; 6 epochs at 3e-4, the last step 30
   at 1e-3); the masks stay, so pruned weights stay exactly zero.
2. Weight sharing: each layer's surviving weights are clustered into at most
   16 values by 1-D k-means (scripts/make_compressed_fixture.py's: linear
   initialisation, as the paper finds best, over the layer's range minus the
   empty band around zero that pruning leaves), then the centroids are
   retrained: the forward pass uses centroid[index] at every surviving
   position, so a centroid's gradient is the sum of the gradients of its
   weights (the paper's rule); 10 epochs at 1e-4. Biases train freely (they
   stay dense in squeezec).
3. Export: the dense model's ONNX file with every weight and bias initializer
   replaced (graph, node names and metadata_props unchanged); then the file is
   checked: every Conv weight has exact +0.0 zeros (fraction about 2/3), at
   most 16 distinct non-zero float32 values, no -0.0 or NaN; onnxruntime's
   top-1 on the test PNGs is recorded.

Writes, in --out: squeezenet1_1_digits32_dc.onnx, train_log_dc.json (per-phase
loss/accuracy, per-layer zero and value counts, final figures) and the
column squeezenet1_1_digits32_dc of predictions.tsv (onnxruntime's top-1 per
test image, the tests' oracle; the other columns are kept).
Deterministic: fixed seeds, deterministic torch algorithms, 2 threads.
"""
import argparse
import json
import os
import random
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_compressed_fixture import kmeans_1d  # noqa: E402  (the generated fixtures' k-means)
from train_digits import SEED, SqueezeNet11, accuracy, shift, to_input, upsample  # noqa: E402

NAME = "squeezenet1_1_digits32_dc"
DENSE = "squeezenet1_1_digits32"


def convs(model):
    return [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Conv2d)]


def load_dense(model, path):
    """The dense ONNX model's initializers into the torch model (same names: torch.onnx.export kept them)."""
    import onnx
    from onnx import numpy_helper
    proto = onnx.load(path)
    inits = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer}
    state = model.state_dict()
    for key in state:
        if key not in inits:
            raise SystemExit(f"{path}: no initializer named {key}")
        state[key] = torch.from_numpy(inits[key].copy())
    model.load_state_dict(state)


def prune_masks(model, sparsity):
    """Per layer: keep all but round(sparsity * n) weights, dropping the smallest |w| (ties: lower position first)."""
    masks = {}
    for name, conv in convs(model):
        w = conv.weight.detach().flatten()
        n = w.numel()
        k = int(round(sparsity * n))
        order = np.lexsort((np.arange(n), np.abs(w.numpy())))  # by |w|, then position
        mask = np.ones(n, dtype=bool)
        mask[order[:k]] = False
        masks[name] = torch.from_numpy(mask).reshape(conv.weight.shape)
    return masks


def apply_masks(model, masks):
    with torch.no_grad():
        for name, conv in convs(model):
            conv.weight.mul_(masks[name])
            conv.weight[~masks[name]] = 0.0  # +0.0 exactly (0 * negative is -0.0)


class SharedWeights:
    """Replaces each conv's weight parameter by centroids (a parameter) gathered at
    fixed indices under the pruning mask; set() refreshes conv.weight before a forward."""

    def __init__(self, model, masks, bits):
        self.layers = []
        for name, conv in convs(model):
            mask = masks[name]
            w = conv.weight.detach()
            centroids, index = kmeans_1d(w[mask].numpy(), 2 ** bits, 30)
            full = torch.zeros(w.shape, dtype=torch.long)
            full[mask] = torch.from_numpy(index)
            parameter = nn.Parameter(torch.from_numpy(centroids))
            del conv.weight
            conv.register_parameter("centroids", parameter)
            self.layers.append((name, conv, mask, full))

    def set(self):
        for _, conv, mask, index in self.layers:
            conv.weight = torch.where(mask, conv.centroids[index], torch.zeros((), dtype=torch.float32))

    def materialise(self):
        """Back to plain conv weights (for the export)."""
        with torch.no_grad():
            self.set()
            for _, conv, _, _ in self.layers:
                w = conv.weight.detach().clone()
                del conv.weight
                del conv.centroids
                conv.weight = nn.Parameter(w)


def run_phase(model, label, x_train, y_train, x_test, y_test, epochs, lr, log, before_forward=None, after_step=None):
    generator = torch.Generator().manual_seed(SEED + len(label))
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    history = []

    def evaluate():
        if before_forward:
            with torch.no_grad():
                before_forward()
        return accuracy(model, x_test, y_test)

    start = evaluate()
    log(f"{label}: before retraining, test top-1 {start:.4f}")
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(xt), generator=generator)
        total = 0.0
        for first in range(0, len(xt), 64):
            index = order[first:first + 64]
            optimiser.zero_grad()
            if before_forward:
                before_forward()
            loss = F.cross_entropy(model(shift(xt[index], generator)), yt[index])
            loss.backward()
            optimiser.step()
            if after_step:
                after_step()
            total += loss.item() * len(index)
        schedule.step()
        acc = evaluate()
        history.append({"epoch": epoch + 1, "loss": round(total / len(xt), 5), "test_top1": round(acc, 5)})
        log(f"{label} epoch {epoch + 1:2d}: loss {total / len(xt):.4f}, test top-1 {acc:.4f}")
    return {"phase": label, "before": round(start, 5), "history": history}


def export(model, dense_path, path):
    """The dense ONNX file with every initializer of the model's state replaced."""
    import onnx
    from onnx import numpy_helper
    proto = onnx.load(dense_path)
    state = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    for i, t in enumerate(proto.graph.initializer):
        if t.name in state:
            proto.graph.initializer[i].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(state[t.name]), t.name))
    proto.producer_name = "squeezec scripts/train_digits_dc.py"
    proto.doc_string = ("SqueezeNet v1.1 digits (32x32), Deep Compression: pruned with retraining to about 2/3 zeros "
                        "per convolution, at most 16 shared values per convolution (trained centroids).")
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, path)


def check(path, bits, sparsity):
    """Every Conv weight in the file: exact zeros near the target fraction, <= 2^bits distinct non-zero values."""
    import onnx
    from onnx import numpy_helper
    proto = onnx.load(path)
    inits = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer}
    layers = []
    for node in proto.graph.node:
        if node.op_type != "Conv":
            continue
        w = inits[node.input[1]].astype(np.float32)
        bits_view = w.view(np.uint32).ravel()
        if np.isnan(w).any() or (bits_view == 0x80000000).any():
            raise SystemExit(f"{path}: {node.input[1]} has NaN or -0.0")
        zeros = int((bits_view == 0).sum())
        nonzero = np.unique(bits_view[bits_view != 0])
        expected = int(round(sparsity * w.size))
        if zeros != expected or len(nonzero) > 2 ** bits:
            raise SystemExit(f"{path}: {node.input[1]}: {zeros} zeros (want {expected}), {len(nonzero)} distinct non-zero")
        layers.append({"weight": node.input[1], "count": int(w.size), "zeros": zeros, "distinct_nonzero": int(len(nonzero))})
    return layers


def onnxruntime_predictions(folder, model_path, mean, std):
    import onnxruntime
    from PIL import Image
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    test = os.path.join(folder, "test")
    out = {}
    for label in sorted(os.listdir(test), key=int):
        for file in sorted(os.listdir(os.path.join(test, label))):
            grey = np.asarray(Image.open(os.path.join(test, label, file)))[None]
            out[f"test/{label}/{file}"] = (int(label), int(session.run(None, {"input": to_input(grey, mean, std)})[0].argmax()))
    return out


def write_column(folder, predictions):
    """Adds (or replaces) this model's column in predictions.tsv."""
    path = os.path.join(folder, "predictions.tsv")
    rows = [line.split("\t") for line in open(path).read().splitlines()]
    header = rows[0]
    column = header.index(NAME) if NAME in header else len(header)
    if column == len(header):
        header.append(NAME)
    for row in rows[1:]:
        label, top1 = predictions[row[0]]
        if int(row[1]) != label:
            raise SystemExit(f"{path}: {row[0]} label {row[1]} != {label}")
        if column == len(row):
            row.append(str(top1))
        else:
            row[column] = str(top1)
    if len(rows) - 1 != len(predictions):
        raise SystemExit(f"{path}: {len(rows) - 1} rows, {len(predictions)} test images")
    with open(path, "w") as f:
        f.write("\n".join("\t".join(r) for r in rows) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="Tests/Fixtures/digits")
    parser.add_argument("--sparsity", type=float, default=2 / 3)
    parser.add_argument("--bits", type=int, default=4)
    parser.add_argument("--prune-epochs", type=int, default=6, help="retraining epochs after each pruning step")
    parser.add_argument("--final-prune-epochs", type=int, default=30, help="retraining epochs after the last pruning step")
    parser.add_argument("--share-epochs", type=int, default=10, help="centroid retraining epochs")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    random.seed(SEED)
    np.random.seed(SEED)

    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    indices = np.arange(len(digits.target))
    train_idx, test_idx = train_test_split(indices, test_size=0.2, random_state=SEED, stratify=digits.target)
    grey = upsample(digits.images)
    train_grey, test_grey = grey[train_idx], grey[test_idx]
    y_train, y_test = digits.target[train_idx].astype(np.int64), digits.target[test_idx].astype(np.int64)
    with open(os.path.join(args.out, "train_log.json")) as f:
        dense_log = json.load(f)
    mean, std = dense_log["mean"], dense_log["std"]
    x_train, x_test = to_input(train_grey, mean, std), to_input(test_grey, mean, std)

    lines = []

    def log(line):
        print(line, flush=True)
        lines.append(line)

    dense_path = os.path.join(args.out, DENSE + ".onnx")
    model = SqueezeNet11()
    load_dense(model, dense_path)
    dense = accuracy(model, x_test, y_test)
    log(f"dense {DENSE}: test top-1 {dense:.4f}")
    results = {"seed": SEED, "from": DENSE + ".onnx", "sparsity": args.sparsity, "bits": args.bits,
               "dense_test_top1": dense, "phases": []}

    # 1. Iterative pruning with retraining; masks kept.
    steps = [s for s in (1 / 3, 1 / 2, 0.6) if s < args.sparsity] + [args.sparsity]
    masks = None
    for step in steps:
        masks = prune_masks(model, step)
        apply_masks(model, masks)
        last = step == steps[-1]
        results["phases"].append(run_phase(model, f"prune {step:.3f}", x_train, y_train, x_test, y_test,
                                           args.final_prune_epochs if last else args.prune_epochs,
                                           1e-3 if last else 3e-4, log,
                                           after_step=lambda m=masks: apply_masks(model, m)))

    # 2. Weight sharing, then centroid (and bias) retraining.
    shared = SharedWeights(model, masks, args.bits)
    results["phases"].append(run_phase(model, f"share {2 ** args.bits}", x_train, y_train, x_test, y_test,
                                       args.share_epochs, 1e-4, log, before_forward=shared.set))
    shared.materialise()
    final = accuracy(model, x_test, y_test)
    log(f"{NAME}: torch test top-1 {final:.4f}")

    # 3. Export and check the file.
    path = os.path.join(args.out, NAME + ".onnx")
    export(model, dense_path, path)
    layers = check(path, args.bits, args.sparsity)
    predictions = onnxruntime_predictions(args.out, path, mean, std)
    ort = sum(label == top1 for label, top1 in predictions.values()) / len(predictions)
    log(f"{NAME}: onnxruntime test top-1 {ort:.4f} ({len(layers)} conv layers, "
        f"{sum(l['zeros'] for l in layers)} of {sum(l['count'] for l in layers)} weights zero)")
    if ort < dense - 0.02:
        raise SystemExit(f"{NAME}: test top-1 {ort:.4f} is more than 2 points below the dense {dense:.4f}")
    write_column(args.out, predictions)
    results.update({"test_top1": final, "onnxruntime_test_top1": ort, "layers": layers})
    with open(os.path.join(args.out, "train_log_dc.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

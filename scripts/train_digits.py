#!/usr/bin/env python3
"""Trains the digits fixtures: SqueezeNet v1.1-topology networks on
scikit-learn's handwritten digits, exported to ONNX with their held-out test
split as labelled PNG images.

Not run in CI: CI uses the committed files. Needs torch (the wheel this
machine image carries), numpy, scikit-learn, onnx and pillow; make the venv
with scripts/venv-train.sh:

    PY=$(scripts/venv-train.sh | tail -n1)
    $PY scripts/train_digits.py --out Tests/Fixtures/digits

Writes, in --out:
    squeezenet1_1_digits32.onnx          plain v1.1 topology, 10 classes
    squeezenet1_1_digits32_bypass.onnx   the paper's simple bypass (Add) around fire3/5/7/9
    test/<digit>/<index>.png             the held-out split (360 images), 32x32 grey
    calibrate/<digit>/<index>.png        40 training images (4 a class) for int8 calibration
    train_log.json                       per-epoch loss and test accuracy, final figures
    predictions.tsv                      onnxruntime's top-1 per test image and model (the tests' oracle)

The data:
- load_digits(): 1,797 8x8 images, values 0..16, 10 classes; a stratified
  80/20 split with a fixed seed (test: 360 images).
- Each 8x8 image is upsampled to 32x32 (bilinear, align_corners=False) and
  rounded to 8-bit grey levels: exactly the pixels stored in the PNGs, so
  training, the PNGs and squeezec all see the same image.
- Preprocessing (recorded in the ONNX metadata_props as squeezec.* keys):
  grey to 3 equal channels, v / 255, then (v - mean) / std with the training
  set's own mean and standard deviation (rounded to 4 decimals), no resize.

The network is SqueezeNet v1.1 (Iandola et al. 2016; torchvision's v1.1
layout) defined here, with max pools in ceil mode. At 32x32 the maps are
15 -> 7 -> 3 -> 1 pixels, so conv10's global average is over one pixel.
Convolutions start with He initialisation (PyTorch's default is too small for
this depth: the signal vanishes and the loss stays at ln 10), and conv10's bias starts at 1.0: with the ReLU after conv10 a zero bias lets
Adam switch whole classes off early (47% and stuck); a positive start does not.
"""
import argparse
import json
import os
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SIZE = 32
SEED = 2016


class Fire(nn.Module):
    def __init__(self, cin, squeeze, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.expand1x1 = nn.Conv2d(squeeze, e1, 1)
        self.expand3x3 = nn.Conv2d(squeeze, e3, 3, padding=1)

    def forward(self, x):
        s = F.relu(self.squeeze(x))
        return torch.cat([F.relu(self.expand1x1(s)), F.relu(self.expand3x3(s))], 1)


class SqueezeNet11(nn.Module):
    """SqueezeNet v1.1; `bypass`: the paper's simple bypass, x + fire(x), around
    the Fire modules whose input and output widths match (fire3, 5, 7, 9)."""

    def __init__(self, classes=10, bypass=False):
        super().__init__()
        self.bypass = bypass
        self.conv1 = nn.Conv2d(3, 64, 3, stride=2)
        widths = [(64, 16, 64), (128, 16, 64), (128, 32, 128), (256, 32, 128),
                  (256, 48, 192), (384, 48, 192), (384, 64, 256), (512, 64, 256)]
        self.fire_names = [f"fire{i}" for i in range(2, 10)]
        for name, (cin, squeeze, expand) in zip(self.fire_names, widths):
            setattr(self, name, Fire(cin, squeeze, expand, expand))
        self.dropout = nn.Dropout(0.5)
        self.conv10 = nn.Conv2d(512, classes, 1)
        for module in self.modules():  # He initialisation (as torchvision's SqueezeNet), small conv10
            if isinstance(module, nn.Conv2d) and module is not self.conv10:
                nn.init.kaiming_uniform_(module.weight)
                nn.init.zeros_(module.bias)
        nn.init.normal_(self.conv10.weight, std=0.01)
        nn.init.constant_(self.conv10.bias, 1.0)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 3, 2, ceil_mode=True)
        for i, name in enumerate(self.fire_names):
            y = getattr(self, name)(x)
            x = x + y if self.bypass and i % 2 == 1 else y
            if i in (1, 3):  # after fire3 and fire5
                x = F.max_pool2d(x, 3, 2, ceil_mode=True)
        x = F.relu(self.conv10(self.dropout(x)))
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


def upsample(images):
    """(N, 8, 8) values 0..16 -> (N, 32, 32) uint8 grey levels."""
    x = torch.from_numpy(images.astype(np.float32) / 16.0).unsqueeze(1)
    y = F.interpolate(x, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    return np.clip(np.rint(y.squeeze(1).numpy() * 255.0), 0, 255).astype(np.uint8)


def to_input(grey, mean, std):
    """uint8 (N, H, W) -> float32 NCHW, 3 equal channels, normalised."""
    x = grey.astype(np.float32) / 255.0
    x = (x - mean) / std
    return np.repeat(x[:, None, :, :], 3, axis=1).astype(np.float32)


def shift(batch, generator):
    """Random translation by up to 2 pixels (zero-padded in normalised space)."""
    n = batch.shape[0]
    padded = F.pad(batch, (2, 2, 2, 2), mode="replicate")
    out = torch.empty_like(batch)
    offsets = torch.randint(0, 5, (n, 2), generator=generator)
    for i in range(n):
        dy, dx = offsets[i].tolist()
        out[i] = padded[i, :, dy:dy + SIZE, dx:dx + SIZE]
    return out


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        predictions = model(torch.from_numpy(x)).argmax(1).numpy()
    return float((predictions == y).mean())


def train(bypass, x_train, y_train, x_test, y_test, epochs, log):
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model = SqueezeNet11(bypass=bypass)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    history = []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(xt), generator=generator)
        total = 0.0
        for start in range(0, len(xt), 64):
            index = order[start:start + 64]
            optimiser.zero_grad()
            loss = F.cross_entropy(model(shift(xt[index], generator)), yt[index])
            loss.backward()
            optimiser.step()
            total += loss.item() * len(index)
        schedule.step()
        acc = accuracy(model, x_test, y_test)
        history.append({"epoch": epoch + 1, "loss": round(total / len(xt), 5), "test_top1": round(acc, 5)})
        log(f"{'bypass' if bypass else 'plain '} epoch {epoch + 1:2d}: loss {total / len(xt):.4f}, test top-1 {acc:.4f}")
    return model, history


def export(model, path, mean, std):
    import onnx
    model.eval()
    example = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(model, (example,), path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamo=False)
    proto = onnx.load(path)
    for key, value in [("squeezec.mean", ",".join(f"{mean:.4f}" for _ in range(3))),
                       ("squeezec.std", ",".join(f"{std:.4f}" for _ in range(3))),
                       ("squeezec.scale", "1/255"), ("squeezec.channels", "grey"),
                       ("squeezec.resize", "none"), ("squeezec.classes", "0,1,2,3,4,5,6,7,8,9")]:
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "squeezec scripts/train_digits.py"
    onnx.save(proto, path)


def write_pngs(folder, grey, labels, indices):
    from PIL import Image
    for image, label, index in zip(grey, labels, indices):
        directory = os.path.join(folder, str(int(label)))
        os.makedirs(directory, exist_ok=True)
        Image.fromarray(image, mode="L").save(os.path.join(directory, f"{int(index):04d}.png"), optimize=True)


def record_predictions(folder, names, mean, std):
    """onnxruntime's top-1 for every test image and model, as the tests' oracle:
    predictions.tsv, one line per image: path, label, then one column per model."""
    import onnxruntime
    from PIL import Image
    sessions = [onnxruntime.InferenceSession(os.path.join(folder, n + ".onnx")) for n in names]
    rows = ["path\tlabel\t" + "\t".join(names)]
    test = os.path.join(folder, "test")
    for label in sorted(os.listdir(test), key=int):
        for file in sorted(os.listdir(os.path.join(test, label))):
            grey = np.asarray(Image.open(os.path.join(test, label, file)))[None]
            x = to_input(grey, mean, std)
            top = [str(int(s.run(None, {"input": x})[0].argmax())) for s in sessions]
            rows.append(f"test/{label}/{file}\t{label}\t" + "\t".join(top))
    with open(os.path.join(folder, "predictions.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="Tests/Fixtures/digits")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    random.seed(SEED)
    np.random.seed(SEED)

    digits = load_digits()
    indices = np.arange(len(digits.target))
    train_idx, test_idx = train_test_split(indices, test_size=0.2, random_state=SEED, stratify=digits.target)
    grey = upsample(digits.images)
    train_grey, test_grey = grey[train_idx], grey[test_idx]
    y_train, y_test = digits.target[train_idx].astype(np.int64), digits.target[test_idx].astype(np.int64)
    mean = round(float(train_grey.mean() / 255.0), 4)
    std = round(float((train_grey / 255.0).std()), 4)
    x_train, x_test = to_input(train_grey, mean, std), to_input(test_grey, mean, std)

    os.makedirs(args.out, exist_ok=True)
    lines = []

    def log(line):
        print(line, flush=True)
        lines.append(line)

    results = {"seed": SEED, "size": SIZE, "mean": mean, "std": std, "train": len(train_idx), "test": len(test_idx)}
    for bypass, name in [(False, "squeezenet1_1_digits32"), (True, "squeezenet1_1_digits32_bypass")]:
        model, history = train(bypass, x_train, y_train, x_test, y_test, args.epochs, log)
        final = accuracy(model, x_test, y_test)
        if final < 0.95:
            raise SystemExit(f"{name}: test top-1 {final:.4f} is below 0.95")
        export(model, os.path.join(args.out, name + ".onnx"), mean, std)
        results[name] = {"test_top1": final, "history": history}
        log(f"{name}: test top-1 {final:.4f}")

    write_pngs(os.path.join(args.out, "test"), test_grey, y_test, test_idx)
    # Calibration images: the first 4 training images of each class, in split order.
    chosen = [i for c in range(10) for i in [j for j, y in enumerate(y_train) if y == c][:4]]
    write_pngs(os.path.join(args.out, "calibrate"), train_grey[chosen], y_train[chosen], train_idx[chosen])
    record_predictions(args.out, ["squeezenet1_1_digits32", "squeezenet1_1_digits32_bypass"], mean, std)
    with open(os.path.join(args.out, "train_log.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

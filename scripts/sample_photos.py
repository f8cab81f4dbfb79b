#!/usr/bin/env python3
"""Writes real photographs as PNG files, for calibration and fidelity tests.

    PY=$(scripts/venv.sh | tail -n1)
    $PY scripts/sample_photos.py OUTDIR [--size N] [--npy]
    $PY scripts/sample_photos.py --fixtures Tests/Fixtures/images

The photographs are the ones shipped inside the scikit-image wheel
(skimage.data) and scikit-learn's two sample images; nothing is downloaded
(the script disables network access before loading them, so a loader that
would fetch fails instead). Colour photos are written as RGB PNGs, grey ones
as greyscale PNGs, named NAME.png.

With --npy, each photo is also written as NAME.npy: float32 [1, N, N, 3]
(NHWC), preprocessed exactly as squeezec's ImagePreprocessing
(Sources/SqueezeTensorIO/ImagePreprocessing.swift) documents it, in float64
with the same operations in the same order, so the Swift tensor of NAME.png
can be compared with NAME.npy. N is --size (default 224).

--fixtures writes the small test images of Tests/Fixtures/images instead
(see the README there).
"""
import argparse
import os
import socket
import sys

import numpy as np
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float64)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float64)


def disable_network():
    def refuse(*_args, **_kwargs):
        raise OSError("sample_photos.py: network access is disabled")

    socket.socket.connect = refuse
    socket.create_connection = refuse


# skimage.data photographs that load from the wheel itself (checked with the
# network disabled; scikit-image 0.26.0). Left out: the synthetic images
# (horse, logo, colorwheel, checkerboard, binary_blobs, shepp_logan_phantom)
# and the ones that need a download (eagle, lily, skin, brain, ...).
SKIMAGE_PHOTOS = [
    # colour
    "astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field",
    "immunohistochemistry", "retina", "stereo_motorcycle",
    # grey
    "camera", "brick", "grass", "gravel", "clock", "coins", "moon", "page",
    "text", "cell", "microaneurysms",
]
SKLEARN_PHOTOS = ["china", "flower"]


def load_photos():
    """(name, uint8 array HxW or HxWx3) for every photo, in a fixed order."""
    import skimage.data
    from sklearn.datasets import load_sample_image

    photos = []
    for name in SKIMAGE_PHOTOS:
        image = getattr(skimage.data, name)()
        if name == "stereo_motorcycle":
            image = image[0]  # (left, right, disparity): the left view
        photos.append((name, image))
    for name in SKLEARN_PHOTOS:
        photos.append((name, load_sample_image(name + ".jpg")))
    for name, image in photos:
        if image.dtype != np.uint8 or image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
            sys.exit(f"sample_photos.py: {name}: unexpected {image.dtype} {image.shape}")
    return photos


def as_rgb(image):
    """HxWx3 uint8: grey copied to the three channels."""
    return np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else image


def taps(first, count, source, resized, block):
    """Bilinear sample positions of output pixels first..first+count-1 of a
    resize from `source` to `resized` pixels, in an image averaged over
    `block`-pixel blocks: (low, high, weight of high)."""
    reduced = source // block
    scale = source / (block * resized)
    position = np.arange(first, first + count, dtype=np.float64)
    x = np.minimum(np.maximum((position + 0.5) * scale - 0.5, 0.0), float(reduced - 1))
    low = np.floor(x).astype(np.int64)
    high = np.minimum(low + 1, reduced - 1)
    return low, high, x - low


def preprocess(image, size):
    """squeezec's ImagePreprocessing: float32 [1, size, size, 3]."""
    rgb = as_rgb(image)
    height, width = rgb.shape[:2]
    resize = (size * 256 + 112) // 224  # round(size * 256 / 224)
    short, long = min(width, height), max(width, height)
    resized_long = resize * long // short
    resized_width, resized_height = (resize, resized_long) if width <= height else (resized_long, resize)

    block = max(1, short // resize)
    pixels = rgb.astype(np.float64)
    if block > 1:
        rows, columns = height // block, width // block
        total = np.zeros((rows, columns, 3), dtype=np.float64)
        for dy in range(block):  # same summation order as the Swift code
            for dx in range(block):
                total += pixels[dy:rows * block:block, dx:columns * block:block]
        pixels = total / float(block * block)

    top = round((resized_height - size) / 2)  # Python rounds half to even
    left = round((resized_width - size) / 2)
    x_low, x_high, x_weight = taps(left, size, width, resized_width, block)
    y_low, y_high, y_weight = taps(top, size, height, resized_height, block)
    a = pixels[y_low][:, x_low]
    b = pixels[y_low][:, x_high]
    c = pixels[y_high][:, x_low]
    d = pixels[y_high][:, x_high]
    wx = x_weight[None, :, None]
    wy = y_weight[:, None, None]
    upper = a * (1 - wx) + b * wx
    lower = c * (1 - wx) + d * wx
    value = upper * (1 - wy) + lower * wy
    normalised = (value / 255 - MEAN) / STD
    return normalised.astype("<f4")[None]


def save_png(image, path):
    Image.fromarray(image).save(path, format="PNG")  # uint8: mode L for HxW, RGB for HxWx3


def write_pnm(image, path, comment=None, plain=False):
    """P6/P5 (binary) or P3/P2 (plain) with maxval 255."""
    colour = image.ndim == 3
    magic = ("P3" if colour else "P2") if plain else ("P6" if colour else "P5")
    height, width = image.shape[:2]
    header = magic + "\n" + (f"# {comment}\n" if comment else "") + f"{width} {height}\n255\n"
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        if plain:
            values_per_row = width * (3 if colour else 1)
            for row in image.reshape(height, values_per_row):
                f.write((" ".join(str(v) for v in row) + "\n").encode("ascii"))
        else:
            f.write(np.ascontiguousarray(image).tobytes())


def write_fixtures(outdir):
    """The small committed test images (Tests/Fixtures/images)."""
    import skimage.data

    # Every 16th pixel of rows 64..447 and of all columns: 32 x 24.
    rgb = np.ascontiguousarray(skimage.data.astronaut()[64:448:16, ::16])
    grey = np.ascontiguousarray(skimage.data.camera()[64:448:16, ::16])
    save_png(rgb, os.path.join(outdir, "rgb32x24.png"))
    write_pnm(rgb, os.path.join(outdir, "rgb32x24.ppm"), comment="astronaut, every 16th pixel")
    save_png(grey, os.path.join(outdir, "gray32x24.png"))
    write_pnm(grey, os.path.join(outdir, "gray32x24.pgm"))
    # 16 colours, written by Pillow as a 4-bit indexed PNG; the expected
    # colours as a plain-text PPM.
    indexed = Image.fromarray(rgb).quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    indexed.save(os.path.join(outdir, "palette32x24.png"), format="PNG", bits=4)
    write_pnm(np.asarray(indexed.convert("RGB")), os.path.join(outdir, "palette32x24.ppm"), plain=True)
    for size in (16, 8):
        np.save(os.path.join(outdir, f"rgb32x24-size{size}.npy"), preprocess(rgb, size))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--size", type=int, default=224, help="model input size for --npy (default 224)")
    parser.add_argument("--npy", action="store_true", help="also write NAME.npy, the preprocessed tensor")
    parser.add_argument("--fixtures", action="store_true", help="write the test fixtures instead")
    args = parser.parse_args()
    if not 1 <= args.size <= 4096:
        parser.error("--size must be in 1..4096")
    disable_network()
    os.makedirs(args.outdir, exist_ok=True)
    if args.fixtures:
        write_fixtures(args.outdir)
        return
    for name, image in load_photos():
        save_png(image, os.path.join(args.outdir, name + ".png"))
        if args.npy:
            np.save(os.path.join(args.outdir, name + ".npy"), preprocess(image, args.size))
        shape = "x".join(str(n) for n in image.shape[1::-1])
        print(f"{name}.png  {shape} {'rgb' if image.ndim == 3 else 'grey'}")


if __name__ == "__main__":
    main()

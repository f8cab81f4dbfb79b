#!/usr/bin/env python3
"""Writes Samples/sample224.npy: the demo's bundled input.

A deterministic synthetic picture (colour gradients, a disc, stripes) in the
torchvision convention: float32 [1, 3, 224, 224], NCHW, normalised with the
ImageNet mean and standard deviation. Needs numpy; squeezec itself does not.
"""
import numpy as np

h = w = 224
y, x = np.mgrid[0:h, 0:w].astype(np.float64)
r = 0.5 + 0.5 * np.sin(x / 37.0) * np.cos(y / 53.0)
g = np.clip((x + y) / (h + w), 0, 1)
b = 0.3 + 0.4 * ((np.hypot(x - 120, y - 100) < 60).astype(np.float64)) + 0.2 * (np.sin(x / 6.0) > 0.6)
img = np.stack([r, g, np.clip(b, 0, 1)])
mean = np.array([0.485, 0.456, 0.406])[:, None, None]
std = np.array([0.229, 0.224, 0.225])[:, None, None]
np.save("Samples/sample224.npy", ((img - mean) / std).astype("<f4")[None])

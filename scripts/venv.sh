#!/usr/bin/env bash
# Creates the repo's Python venv (.venv/ at the repo root) for the ONNX side of
# the tests: the fixture generator (scripts/make_onnx_fixtures.py) and the
# ONNX node-test lister (scripts/onnx_node_tests.py), and for the sample
# photographs (scripts/sample_photos.py). squeezec itself needs no Python.
#
# Idempotent: a venv that already has exactly these pins is left alone and the
# script says nothing but the last line. The last line on stdout is always the
# venv's python, so callers can do:  PY=$(scripts/venv.sh | tail -n1)
# Progress and pip output go to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
py="$venv/bin/python"
stamp="$venv/.squeezec-pins"

# Pinned: what `pip install onnx onnxruntime numpy` resolved to on Python 3.11.
# protobuf is pinned too because it serializes the .onnx fixtures (their bytes
# are compared when checking that regeneration is reproducible).
# The photographs: scikit-image (its wheel ships them) and scikit-learn (two
# more), with what `pip install scikit-image scikit-learn` pulled in next to
# the pins above; pillow also writes the PNGs.
pins=(
  "numpy==2.4.6"
  "onnx==1.23.2"
  "onnxruntime==1.32.0"
  "protobuf==7.36.2"
  "scikit-image==0.26.0"
  "scikit-learn==1.9.1"
  "scipy==1.17.1"
  "pillow==13.0.0"
  "imageio==2.38.1"
  "tifffile==2026.3.3"
  "networkx==3.6.1"
  "lazy-loader==0.6"
  "packaging==26.4"
  "joblib==1.6.0"
  "threadpoolctl==3.8.0"
  "narwhals==2.29.0"
  "cloudpickle==3.1.3"
)
want="$(printf '%s\n' "${pins[@]}")"

# Test suites run in parallel and may call this at the same moment on a fresh
# clone: one of them builds the venv, the others wait for it (flock, from
# util-linux; without it, a mkdir lock).
mkdir -p "$root/.build"
lock="$root/.build/venv.lock"
if command -v flock >/dev/null; then
  exec 9>"$lock"
  flock 9
else
  until mkdir "$lock.d" 2>/dev/null; do sleep 1; done
  trap 'rmdir "$lock.d"' EXIT
fi

if [ -x "$py" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && "$py" -c 'import numpy, onnx, onnxruntime, skimage, sklearn, PIL' 2>/dev/null; then
  echo "$py"
  exit 0
fi

base="${PYTHON:-python3}"
if ! command -v "$base" >/dev/null; then
  echo "venv.sh: $base not found (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

if [ ! -x "$py" ]; then
  echo "venv.sh: creating $venv" >&2
  if ! "$base" -m venv "$venv" >&2; then
    echo "venv.sh: '$base -m venv' failed; on Debian/Ubuntu: apt-get install python3-venv" >&2
    rm -rf "$venv"
    exit 1
  fi
fi

echo "venv.sh: installing ${pins[*]}" >&2
"$py" -m pip install -q --disable-pip-version-check "${pins[@]}" >&2
"$py" -c 'import numpy, onnx, onnxruntime, skimage, sklearn, PIL' >&2
printf '%s\n' "$want" >"$stamp"
echo "$py"

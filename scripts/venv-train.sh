#!/usr/bin/env bash
# Creates .venv-train/ for scripts/train_digits.py (the trained digits
# fixtures): torch from the wheel this machine image carries (/opt/wheels, or
# TORCH_WHEEL=path), plus numpy, scikit-learn, onnx, onnxruntime and pillow from PyPI.
# Not used by CI or the tests: they use the committed fixtures.
# The last line on stdout is the venv's python:  PY=$(scripts/venv-train.sh | tail -n1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-train"
py="$venv/bin/python"
if [ -x "$py" ] && "$py" -c 'import torch, sklearn, onnx, PIL' 2>/dev/null; then echo "$py"; exit 0; fi
wheel="${TORCH_WHEEL:-$(ls /opt/wheels/torch-*.whl 2>/dev/null | head -n1)}"
if [ -z "$wheel" ] || [ ! -f "$wheel" ]; then
  echo "venv-train.sh: no torch wheel found in /opt/wheels; set TORCH_WHEEL=/path/to/torch-*.whl" >&2
  exit 1
fi
"${PYTHON:-python3}" -m venv "$venv" >&2
"$py" -m pip install -q --disable-pip-version-check "$wheel" numpy==2.4.6 scikit-learn==1.9.1 onnx==1.23.2 onnxruntime==1.32.0 pillow==13.0.0 >&2
echo "$py"

#!/usr/bin/env bash
# Installs what squeezec's build, tests and demo need on Debian/Ubuntu.
# As root it runs apt-get; otherwise it prints the exact command to run.
# Usage: scripts/install-deps.sh [--firmware]   (--firmware: also the Arm toolchain and QEMU)
set -euo pipefail

need=()
# ZIPFoundation (weights .npz) links zlib.
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ -n "$(command -v pkg-config)" ] || need+=(pkg-config)
# The ONNX tests build a venv (scripts/venv.sh) for onnx/onnxruntime from PyPI.
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# Host C compilers for the generated code's tests.
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
# The generated folder's CMakeLists.txt is built by a test (GeneratedFolderBuildTests).
command -v cmake >/dev/null || need+=(cmake)
if [ "${1:-}" = "--firmware" ]; then
  command -v arm-none-eabi-gcc >/dev/null || need+=(gcc-arm-none-eabi)
  [ -d /usr/lib/arm-none-eabi/newlib ] || need+=(libnewlib-arm-none-eabi)
  command -v qemu-system-arm >/dev/null || need+=(qemu-system-arm)
fi

if ! command -v swift >/dev/null; then
  echo "squeezec needs Swift 6 (swift.org toolchain) on PATH; it is not an apt package." >&2
  exit 1
fi

[ ${#need[@]} -eq 0 ] && exit 0
line="apt-get update && apt-get install -y ${need[*]}"
if [ "$(id -u)" = 0 ]; then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt/dpkg run (unattended upgrades, a parallel job) instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >&2
else
  echo "missing packages; run as root:  sudo sh -c '$line'" >&2
  exit 1
fi

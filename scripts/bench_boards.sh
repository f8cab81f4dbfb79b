#!/usr/bin/env bash
# Benchmark section (Markdown on stdout): the boards that are real chips or other cores, and issue 14's
# targets on the STM32F405 (netduinoplus2). Usage: scripts/bench_boards.sh path/to/squeezec
# Called by scripts/bench.sh; runs alone in a few minutes.
set -euo pipefail
squeezec=${1:-.build/release/squeezec}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key() { sed -n "s/^  \"$1\" : \([0-9.e+-]*\),*$/\1/p" "$2"; }
digits=Tests/Fixtures/digits

echo "## Boards: real chips and other cores (squeezec validate; instructions under -icount shift=0)"
echo
echo "int8 outputs bit-identical to the Swift reference (differing bytes 0), fp32 within the tolerance. Flash = code +"
echo "weights + other. RAM = everything the image links in RAM: arena + data + bss + the harness's input/output buffers"
echo "(a row and the output with --row-input) + the measured stack. The last column is the part's RAM region as the"
echo "linker fills it (the stack as the board reserves it) against its size."
echo
echo "| model | options | board | instructions (per MAC) | flash | RAM (arena, measured stack) | RAM region used of size |"
echo "|---|---|---|---|---|---|---|"
row() {  # label, board, validate arguments...
  local label=$1 board=$2; shift 2
  local options="${*:2}"
  options=${options//$digits\//}
  if "$squeezec" validate "$@" --target "$board" --json > "$work/v.json" 2> "$work/v.err"; then
    local region
    region=$(python3 - "$work/v.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rs = [r for r in d.get("ram_regions", []) if any(p["name"] == "arena" for p in r["parts"])]
print("; ".join(f'{r["region"]} {sum(p["bytes"] for p in r["parts"]):,} of {r["capacity"]:,}' for r in rs))
PY
)
    printf '| %s | %s | %s | %s (%.2f) | %s | %s (%s, %s) | %s |\n' "$label" "${options:-}" "$board" \
      "$(key instructions "$work/v.json")" "$(key instructions_per_mac "$work/v.json")" "$(key flash_bytes "$work/v.json")" \
      "$(key ram_bytes "$work/v.json")" "$(key ram_arena_bytes "$work/v.json")" "$(key stack_bytes "$work/v.json")" "$region"
  else
    echo "| $label | ${options:-} | $board | $(grep 'error' "$work/v.err" | sed 's/^squeezec: error: //' | tr '|' '/') | | | |"
  fi
}
for board in mps2-an386 mps2-an385 mps2-an505 netduinoplus2; do
  row "digits fixture (32x32)" "$board" "$digits/squeezenet1_1_digits32.onnx" --precision int8 --calibrate "$digits/calibrate"
done
for size in 128 160; do
  row "squeezenet1.1, 10 classes, ${size}x${size}" netduinoplus2 squeezenet1.1 --precision int8 --classes 10 --input-size "$size"
done
for board in mps2-an385 mps2-an505 netduinoplus2; do
  row "squeezenet1.1 quarter width, fp32, 10 classes, 48x48" "$board" squeezenet1.1 --base-e 32 --incr-e 32 --classes 10 --input-size 48
done
row "squeezenet1.1, 1000 classes, 224x224" netduinoplus2 squeezenet1.1 --precision int8 --codebook 4 --row-input
row "squeezenet1.1, 1000 classes, 128x128, fp32" netduinoplus2 squeezenet1.1 --codebook 4 --row-input --input-size 128
row "squeezenet1.1, 1000 classes, 224x224, fp32 (183 KiB arena split over 128 KiB DTCM + 128 KiB SRAM)" docs/boards/mps3-an547-split.json squeezenet1.1

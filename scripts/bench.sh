#!/usr/bin/env bash
# Benchmarks with committed results (Markdown on stdout). Usage: scripts/bench.sh path/to/squeezec
# Wall-time figures here are for information; instruction counts (firmware) are the deterministic ones.
set -euo pipefail
squeezec=${1:-.build/release/squeezec}
runs=5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
key() { sed -n "s/^  \"$1\" : \([0-9.e+-]*\),*$/\1/p" "$2"; }

echo "# squeezec benchmark results"
echo
echo "Machine: $(nproc) cores, $(uname -m), $(swift --version 2>&1 | head -1)."
echo "Date: $(date -u +%Y-%m-%d). Regenerate with \`make bench\`."
echo
echo "## Swift reference interpreter (release build, fp32, one inference)"
echo
echo "| model | input | MACs | median of $runs (s) |"
echo "|---|---|---|---|"
for model in squeezenet1.1 squeezenet1.0; do
  for size in 224 128; do
    macs=$("$squeezec" analyze "$model" --input-size "$size" --json | awk -F' : ' '/^  "macs"/ {gsub(/,/, "", $2); print $2}')
    t=$(for i in $(seq $runs); do "$squeezec" run "$model" --input-size "$size" --top 0 | sed -n 's/.*reference \([0-9.]*\) s.*/\1/p'; done | median)
    echo "| $model | ${size}x${size} | $(awk -v m="$macs" 'BEGIN {printf "%.1f M", m / 1e6}') | $t |"
  done
done

echo
echo "## Code generation (release build)"
echo
echo "| model | generate, median of $runs (s) | arena (bytes) | weights (bytes) |"
echo "|---|---|---|---|"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for model in squeezenet1.0 squeezenet1.1; do
  t=$(for i in $(seq $runs); do /usr/bin/time -f "%e" "$squeezec" generate "$model" -o "$work/$model" 2>&1 >/dev/null | tail -1; done | median)
  arena=$(sed -n 's/^#define MODEL_ARENA_BYTES \([0-9]*\).*/\1/p' "$work/$model/model.h")
  weights=$(sed -n 's/^#define MODEL_WEIGHT_BYTES \([0-9]*\).*/\1/p' "$work/$model/model.h")
  echo "| $model | $t | $arena | $weights |"
done

echo
echo "## Generated C on the host (gcc -O2, one inference, wall time; information only)"
echo
echo "| model | generated C, median of $runs (s) | Swift reference (s) |"
echo "|---|---|---|"
for model in squeezenet1.0 squeezenet1.1; do
  dir="$work/$model"
  cp Templates/sq_host_main.c "$dir/"
  (cd "$dir" && cc -std=c99 -O2 -DSQ_MODEL_HEADER='"model.h"' -DSQ_RUN=model_run -DSQ_INPUT_COUNT=MODEL_INPUT_COUNT \
     -DSQ_OUTPUT_COUNT=MODEL_OUTPUT_COUNT ./*.c -lm -o harness)
  count=$(sed -n 's/^#define MODEL_INPUT_COUNT \([0-9]*\).*/\1/p' "$dir/model.h")
  tail -c $((count * 4)) Samples/sample224.npy > "$dir/input.bin"  # the sample image (NCHW bytes; fine for timing)
  t=$(for i in $(seq $runs); do /usr/bin/time -f "%e" "$dir/harness" "$dir/input.bin" "$dir/output.bin" 2>&1 | tail -1; done | median)
  r=$(for i in $(seq $runs); do "$squeezec" run "$model" --top 0 | sed -n 's/.*reference \([0-9.]*\) s.*/\1/p'; done | median)
  echo "| $model | $t | $r |"
done

echo
echo "## Activation memory (fp32, 224x224, 1000 classes; bytes)"
echo
echo "naive: every layer writes a new buffer. layer: fused steps, whole maps between them, Fire outputs in place."
echo "stream: rows flow through rings and shared one-row hand-offs (the default). Input and output are the caller's."
echo
echo "| model | bypass | naive | layer | stream | stream lower bound |"
echo "|---|---|---|---|---|---|"
for model in squeezenet1.0 squeezenet1.1; do
  for bypass in none simple complex; do
    "$squeezec" analyze "$model" --bypass "$bypass" --json > "$work/an.json"
    echo "| $model | $bypass | $(key naive_activation_bytes "$work/an.json") | $(key layer_arena_bytes "$work/an.json") |" \
         "$(key stream_arena_bytes "$work/an.json") | $(key lower_bound_bytes "$work/an.json") |"
  done
done

echo
echo "## Firmware under QEMU (fp32, 224x224, 1000 classes; instructions are deterministic: -icount shift=0)"
echo
echo "RAM = .data + .bss + arena + measured stack (the harness's input/output images excluded)."
echo
echo "| model | schedule | board | instructions | per MAC | flash (bytes) | RAM (bytes) | stack (bytes) |"
echo "|---|---|---|---|---|---|---|---|"
for model in squeezenet1.0 squeezenet1.1; do
  for schedule in layer stream; do
    for board in mps2-an386 mps2-an500 mps3-an547; do
      if "$squeezec" validate "$model" --schedule "$schedule" --target "$board" --json > "$work/fw.json" 2> "$work/fw.err"; then
        echo "| $model | $schedule | $board | $(key instructions "$work/fw.json") | $(printf '%.2f' "$(key instructions_per_mac "$work/fw.json")") |" \
             "$(key flash_bytes "$work/fw.json") | $(key ram_bytes "$work/fw.json") | $(key stack_bytes "$work/fw.json") |"
      else
        echo "| $model | $schedule | $board | $(sed 's/^squeezec: error: //' "$work/fw.err" | tr '|' '/') | | | | |"
      fi
    done
  done
done

echo
echo "## Bypass variants on mps2-an386 (fp32, 224x224)"
echo
echo "| model | bypass | schedule | instructions | per MAC | arena (bytes) |"
echo "|---|---|---|---|---|---|"
for model in squeezenet1.0 squeezenet1.1; do
  for bypass in simple complex; do
    for schedule in layer stream; do
      if "$squeezec" validate "$model" --bypass "$bypass" --schedule "$schedule" --target mps2-an386 --json > "$work/fw.json" 2> "$work/fw.err"; then
        echo "| $model | $bypass | $schedule | $(key instructions "$work/fw.json") | $(printf '%.2f' "$(key instructions_per_mac "$work/fw.json")") |" \
             "$(key arena_bytes "$work/fw.json") |"
      else
        echo "| $model | $bypass | $schedule | $(sed 's/^squeezec: error: //' "$work/fw.err" | tr '|' '/') | | |"
      fi
    done
  done
done

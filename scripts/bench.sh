#!/usr/bin/env bash
# Benchmarks with committed results (Markdown on stdout). Usage: scripts/bench.sh path/to/squeezec
# Wall-time figures here are for information; instruction counts (firmware) are the deterministic ones.
set -euo pipefail
squeezec=${1:-.build/release/squeezec}
runs=5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

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
    macs=$("$squeezec" analyze "$model" --input-size "$size" --json | awk -F' : ' '/^  "macs"/ {gsub(/,/, "", $2); print $2; exit}')
    t=$(for i in $(seq $runs); do "$squeezec" run "$model" --input-size "$size" --top 0 | sed -n 's/.*reference \([0-9.]*\) s.*/\1/p'; done | median)
    echo "| $model | ${size}x${size} | $(awk -v m="$macs" 'BEGIN {printf "%.1f M", m / 1e6}') | $t |"
  done
done

#!/usr/bin/env bash
# The compressed-weights section of bench/results.md (issue 13; docs/compression.md): squeezenet1.1 at
# 224x224, streamed, on mps2-an386, dense vs compressed, fp32 and int8: flash (code + weights + other),
# arena, instructions, and what decoding costs per layer. Called by scripts/bench.sh; runs alone too:
#   scripts/bench_compression.sh path/to/squeezec
set -euo pipefail
squeezec=${1:-.build/release/squeezec}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key() { sed -n "s/^  \"$1\" : \([0-9.e+-]*\),*$/\1/p" "$2"; }
layers() {  # name instructions, one line per layer
  awk '/"layers"/ {on=1; next} on && /^  \]/ {on=0} !on {next}
       /"instructions" :/ {gsub(/,/, "", $3); i=$3} /"name"/ {gsub(/[",]/, "", $3); n=$3}
       /^    }/ {print n, i; n=""; i=0}' "$1"
}

echo "## Compressed weights (squeezenet1.1, 224x224, 1000 classes, stream, mps2-an386)"
echo
echo "Built-in seeded weights; int8 calibrated on 8 seeded noise inputs (validate's default). Every build is"
echo "bit-identical to its reference (int8) or within tolerance (fp32), and compressed builds equal their dense"
echo "build of the same weights (CompressedWeightsHostTests). Flash: total = code + weights + other."
echo
echo "| precision | weights | stored | weight bytes | flash | code | arena | instructions | per MAC | vs dense |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for precision in int8 fp32; do
  dense=""
  for options in "--weight-format dense" "--codebook 4" "--prune 0.66 --codebook 4"; do
    name=$(echo "$options" | tr ' ' '_')
    # shellcheck disable=SC2086
    if "$squeezec" validate squeezenet1.1 --precision "$precision" $options --target mps2-an386 --json \
        > "$work/$precision$name.json" 2> "$work/err"; then
      f="$work/$precision$name.json"
      n=$(key instructions "$f")
      [ -z "$dense" ] && dense=$n
      stored=$([ "$options" = "--weight-format dense" ] && echo dense || echo compressed)
      echo "| $precision | \`$options\` | $stored | $(key weight_bytes "$f") | $(key flash_bytes "$f") | $(key flash_code_bytes "$f") |" \
           "$(key arena_bytes "$f") | $n | $(printf '%.3f' "$(key instructions_per_mac "$f")") |" \
           "$(awk -v n="$n" -v d="$dense" 'BEGIN {printf "%.3fx", n / d}') |"
    else
      echo "| $precision | \`$options\` | $(grep error "$work/err" | sed 's/^squeezec: error: //' | tr '|' '/') | | | | | | | |"
    fi
  done
done
echo
echo "What decoding costs per layer (int8, instructions; a stage decodes each block of output channels once per"
echo "output row it computes, so the cost per MAC grows as the rows get shorter: 13 pixels from fire6 on):"
echo
echo "| layer | dense | \`--codebook 4\` | change | \`--prune 0.66 --codebook 4\` | change |"
echo "|---|---|---|---|---|---|"
paste -d' ' <(layers "$work/int8--weight-format_dense.json") <(layers "$work/int8--codebook_4.json") \
            <(layers "$work/int8--prune_0.66_--codebook_4.json") |
  awk '{printf "| %s | %d | %d | %+.1f%% | %d | %+.1f%% |\n", $1, $2, $4, ($4 - $2) * 100 / $2, $6, ($6 - $2) * 100 / $2}'

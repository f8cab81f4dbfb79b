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
echo "| model | precision | weights | stored | weight bytes | flash | code | arena | instructions | per MAC | vs dense |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
fixtures=.build/compressed-fixtures
scripts/compressed_fixtures.sh "$fixtures" > /dev/null
row() {  # model label precision options...
  local model=$1 label=$2 precision=$3; shift 3
  local options="$*" name
  name=$(echo "$label$precision$options" | tr ' /' '__')
  # shellcheck disable=SC2086
  if "$squeezec" validate "$model" --precision "$precision" $options --target mps2-an386 --json > "$work/$name.json" 2> "$work/err"; then
    f="$work/$name.json"
    n=$(key instructions "$f")
    if [ -z "$dense" ]; then dense=$n; fi
    stored=$([ "$options" = "--weight-format dense" ] && echo dense || echo compressed)
    echo "| $label | $precision | \`${options:-(as given)}\` | $stored | $(key weight_bytes "$f") | $(key flash_bytes "$f") |" \
         "$(key flash_code_bytes "$f") | $(key arena_bytes "$f") | $n | $(printf '%.3f' "$(key instructions_per_mac "$f")") |" \
         "$(awk -v n="$n" -v d="$dense" 'BEGIN {printf "%.3fx", n / d}') |"
    if [ "$model" = squeezenet1.1 ]; then cp "$f" "$work/$(echo "$precision$options" | tr ' ' '_').json"; fi
  else
    echo "| $label | $precision | \`$options\` | $(grep error "$work/err" | sed 's/^squeezec: error: //' | tr '|' '/') | | | | | | | |"
  fi
}
for precision in int8 fp32; do
  dense=""
  row squeezenet1.1 "squeezenet1.1" "$precision" --weight-format dense
  row squeezenet1.1 "squeezenet1.1" "$precision" --codebook 4
  row squeezenet1.1 "squeezenet1.1" "$precision" --prune 0.66 --codebook 4
done
for precision in int8 fp32; do
  dense=""
  row "$fixtures/squeezenet1_1_dc.onnx" "Deep Compression fixture" "$precision" --weight-format dense
  row "$fixtures/squeezenet1_1_dc.onnx" "Deep Compression fixture" "$precision"
done
echo
echo "Deep Compression fixture: squeezec's squeezenet1.1 graph with seeded weights pruned to 2/3 zeros and shared to"
echo "16 values per layer by scripts/make_compressed_fixture.py (scripts/compressed_fixtures.sh); squeezec finds the"
echo "structure in the values alone. Issue 13's budgets: int8 at most 524288 bytes of flash, fp32 at most 655360."
echo
echo "What decoding costs per layer (int8, instructions; a stage decodes each block of output channels once per"
echo "output row it computes, so the cost per MAC grows as the rows get shorter: 13 pixels from fire6 on):"
echo
echo "| layer | dense | \`--codebook 4\` | change | \`--prune 0.66 --codebook 4\` | change |"
echo "|---|---|---|---|---|---|"
paste -d' ' <(layers "$work/int8--weight-format_dense.json") <(layers "$work/int8--codebook_4.json") \
            <(layers "$work/int8--prune_0.66_--codebook_4.json") |
  awk '{printf "| %s | %d | %d | %+.1f%% | %d | %+.1f%% |\n", $1, $2, $4, ($4 - $2) * 100 / $2, $6, ($6 - $2) * 100 / $2}'

echo
echo "Accuracy of the retrained Deep Compression digits model (Tests/Fixtures/digits/squeezenet1_1_digits32_dc.onnx: 2/3"
echo "zeros, 16 values per layer, retrained; 360 test images; firmware on mps2-an386 with the weights compressed):"
echo
echo "| model | precision | target | weight bytes (generate) | top-1 |"
echo "|---|---|---|---|---|"
digits=Tests/Fixtures/digits
for fixture in squeezenet1_1_digits32 squeezenet1_1_digits32_dc; do
  for precision in fp32 int8; do
    args=("$digits/$fixture.onnx" --data "$digits/test" --target mps2-an386 --json)
    gen=("$digits/$fixture.onnx" -o "$work/gen")
    if [ "$precision" = int8 ]; then
      args+=(--precision int8 --calibrate "$digits/calibrate")
      gen+=(--precision int8 --calibrate "$digits/calibrate")
    fi
    rm -rf "$work/gen"
    bytes=$("$squeezec" generate "${gen[@]}" 2>/dev/null | sed -n 's/.*weights \([0-9]*\) bytes.*/\1/p')
    if "$squeezec" eval "${args[@]}" > "$work/eval.json" 2> "$work/eval.err"; then
      top1=$(key top1_correct "$work/eval.json"); n=$(key images "$work/eval.json")
      echo "| $fixture | $precision | mps2-an386 | $bytes | $(awk -v c="$top1" -v n="$n" 'BEGIN {printf "%.2f%% (%d/%d)", 100 * c / n, c, n}') |"
    else
      echo "| $fixture | $precision | mps2-an386 | $bytes | $(grep error "$work/eval.err" | sed 's/^squeezec: error: //' | tr '|' '/') |"
    fi
  done
done

echo
echo "Fidelity of compression (squeezec fidelity: the compressed model against the uncompressed one, Swift reference;"
echo "the retrained fixture's accuracy is in the table above):"
echo
echo '```text'
for options in "--codebook 4" "--prune 0.66 --codebook 4"; do
  # shellcheck disable=SC2086
  "$squeezec" fidelity squeezenet1.1 $options --inputs 4 --precision int8 2>/dev/null
  # shellcheck disable=SC2086
  "$squeezec" fidelity "$digits/squeezenet1_1_digits32.onnx" $options --data "$digits/test" --precision int8 \
    --calibrate "$digits/calibrate" 2>/dev/null
done
echo '```'

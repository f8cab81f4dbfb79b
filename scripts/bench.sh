#!/usr/bin/env bash
# Benchmarks with committed results (Markdown on stdout). Usage: scripts/bench.sh path/to/squeezec
# Wall-time figures here are for information; instruction counts (firmware) are the deterministic ones.
set -euo pipefail
squeezec=${1:-.build/release/squeezec}
runs=5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
key() { sed -n "s/^  \"$1\" : \([0-9.e+-]*\),*$/\1/p" "$2"; }
# "total: code + weights + other" from a validate --json report.
flash() { echo "$(key flash_bytes "$1"): $(key flash_code_bytes "$1") + $(key flash_weights_bytes "$1") + $(key flash_other_bytes "$1")"; }
# RAM of the model alone: validate's RAM figure less the harness's input/output images.
ram() { local r h; r=$(key ram_bytes "$1"); h=$(key ram_harness_bytes "$1"); echo $(( r - ${h:-0} )); }
nested() { sed -n "s/^ *\"$1\" : \([0-9.e+-]*\),*$/\1/p" "$2" | head -n1; }  # first match at any depth

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
echo "RAM = .data + .bss + arena + measured stack: validate's RAM figure less the harness's input/output images."
echo
echo "| model | schedule | board | instructions | per MAC | flash: code + weights + other (bytes) | RAM (bytes) | stack (bytes) |"
echo "|---|---|---|---|---|---|---|---|"
for model in squeezenet1.0 squeezenet1.1; do
  for schedule in layer stream; do
    for board in mps2-an386 mps2-an500 mps3-an547; do
      if "$squeezec" validate "$model" --schedule "$schedule" --target "$board" --json > "$work/fw.json" 2> "$work/fw.err"; then
        echo "| $model | $schedule | $board | $(key instructions "$work/fw.json") | $(printf '%.2f' "$(key instructions_per_mac "$work/fw.json")") |" \
             "$(flash "$work/fw.json") | $(ram "$work/fw.json") | $(key stack_bytes "$work/fw.json") |"
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

# ---------------------------------------------------------------------------
# int8
photos="$work/photos"
scripts/photo_sets.sh "$photos" 2> "$work/photos.log"
calib=(--precision int8 --calibrate "$photos/calibrate" --calibration mse)

echo
echo "## int8 firmware under QEMU (224x224, 1000 classes, calibrated with mse on 8 photos)"
echo
echo "Every run's output is bit-identical to the Swift int8 reference (differing bytes column)."
echo "mps3-an547-dtcm128: the an547 layout with a 128 KiB DTCM budget for .data + arena + .bss + stack."
echo
echo "| model | schedule | board | instructions | per MAC | differing bytes | arena (bytes) | flash: code + weights + other (bytes) | RAM (bytes) | stack (bytes) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for model in squeezenet1.1 squeezenet1.0; do
  for schedule in stream layer; do
    for board in mps2-an386 mps2-an500 mps3-an547 mps3-an547-dtcm128; do
      if "$squeezec" validate "$model" "${calib[@]}" --schedule "$schedule" --target "$board" --json > "$work/fw.json" 2> "$work/fw.err"; then
        echo "| $model | $schedule | $board | $(key instructions "$work/fw.json") | $(printf '%.3f' "$(key instructions_per_mac "$work/fw.json")") |" \
             "$(key differing_bytes "$work/fw.json") | $(key arena_bytes "$work/fw.json") | $(flash "$work/fw.json") |" \
             "$(ram "$work/fw.json") | $(key stack_bytes "$work/fw.json") |"
      else
        echo "| $model | $schedule | $board | $(grep 'error' "$work/fw.err" | sed 's/^squeezec: error: //' | tr '|' '/') | | | | | | |"
      fi
    done
  done
done

echo
echo "## Instruction counts before and after issue 11's restructuring (mps2-an386, 224x224)"
echo
base_rev=6a01811
echo "Before: squeezec at commit $base_rev (the last results before the pipeline, lowering, kernel-library and parameter-struct"
echo "work), built by scripts/bench_baseline.sh and run with the same commands on this machine. Int8 calibrated as above."
echo
echo "| model | precision | schedule | before | now | change |"
echo "|---|---|---|---|---|---|"
if ! baseline=$(scripts/bench_baseline.sh "$base_rev" 2> "$work/baseline.log"); then
  echo "| squeezenet1.1 | | | commit $base_rev could not be built (a shallow clone?): $(tail -n1 "$work/baseline.log" | tr '|' '/') | | |"
  precisions=()
else
  precisions=(fp32 int8)
fi
for precision in "${precisions[@]}"; do
  for schedule in stream layer; do
    args=(squeezenet1.1 --schedule "$schedule" --target mps2-an386 --json)
    [ "$precision" = int8 ] && args+=("${calib[@]}")
    "$baseline" validate "${args[@]}" > "$work/before.json" 2>/dev/null
    "$squeezec" validate "${args[@]}" > "$work/now.json" 2>/dev/null
    before=$(key instructions "$work/before.json"); now=$(key instructions "$work/now.json")
    echo "| squeezenet1.1 | $precision | $schedule | $before | $now | $(awk -v b="$before" -v n="$now" 'BEGIN {printf "%+.4f%%", (n - b) * 100 / b}') |"
  done
done
echo
echo "## int8 per layer: squeezenet1.1, 224x224, stream, mps2-an386 (Cortex-M4), DSP and portable kernels"
echo
"$squeezec" validate squeezenet1.1 "${calib[@]}" --target mps2-an386 --json > "$work/dsp.json" 2>/dev/null
"$squeezec" validate squeezenet1.1 "${calib[@]}" --target mps2-an386 --define SQ_S8_NO_DSP --json > "$work/portable.json" 2>/dev/null
layers() {  # name instructions macs per-mac, one line per layer
  awk '/"layers"/ {on=1; next} on && /^  \]/ {on=0} !on {next}
       /"instructions" :/ {gsub(/,/, "", $3); i=$3} /"instructions_per_mac"/ {gsub(/,/, "", $3); p=$3}
       /"macs"/ {gsub(/,/, "", $3); m=$3} /"name"/ {gsub(/[",]/, "", $3); n=$3}
       /^    }/ {print n, i, m, p; n=""; i=0; m=0; p=0}' "$1"
}
echo "| layer | MACs | DSP instructions | DSP per MAC | portable instructions | portable per MAC |"
echo "|---|---|---|---|---|---|"
paste -d' ' <(layers "$work/dsp.json") <(layers "$work/portable.json") |
  awk '{printf "| %s | %d | %d | %.3f | %d | %.3f |\n", $1, $3, $2, $4, $6, $8}'
echo "| **total** | $(key macs "$work/dsp.json") | $(key instructions "$work/dsp.json") | $(printf '%.3f' "$(key instructions_per_mac "$work/dsp.json")") |" \
     "$(key instructions "$work/portable.json") | $(printf '%.3f' "$(key instructions_per_mac "$work/portable.json")") |"
echo
echo "What limits the hot loops (from the disassembly; Tests/CKernels/bench_s8.sh measures each layer shape alone):"
echo
echo "- Inner loop: 2 output channels x 2 pixels x 4 taps per step = 3 LDRD + 4 SXTB16 + 8 SMLAD, unrolled 4x with CMP/BNE:"
echo "  62 instructions per 64 MACs (0.97). The weights must be sign-extended at every use (int8 in flash, a quarter"
echo "  of fp32's size), and the inline asm holds 13 of the 14 free registers, so no wider block fits."
echo "- Epilogue: per call a stack table of bias, multiplier, rounding constant (zero point folded in) and shift for"
echo "  32 channel pairs; per output SMMLA + ASR + SSAT, 3 BFI to pack, SSUB8/SEL clamp, 2 STRH. Still about 0.5 per MAC"
echo "  on short reductions (expand 1x1 with 16 input channels: ~1.5)."
echo "- conv1 (3 input channels, K = 27 padded to 28): about 107 instructions of dot product and 31 of epilogue per"
echo "  2 channels x 2 pixels (108 MACs), plus byte staging for the im2col and the pool fold: ~1.5."
echo "- Odd pixel counts per row (13, 27, 55, 111) end with a 4-channel x 1-pixel step at ~1.25."
echo "- Streamed stages compute each row in a noinline function, so the per-call table (1 KiB) is not held on the"
echo "  stack while the pull chain recurses: the stack stays under 2 KB."
echo
echo "## int8 fidelity against fp32 (224x224; host build, bit-identical to the int8 reference)"
echo
echo "Calibrated on 8 photos (astronaut, camera, chelsea, china, coffee, coins, flower, rocket), evaluated on the other"
echo "13 photos shipped with scikit-image (held out); and on 8 seeded noise inputs, calibrated on 8 other noise inputs"
echo "(noise) or on the photos (noise-photo-calibrated: out of distribution, activations clip). SQNR of the dequantised logits;"
echo "top-1 agreement: same arg max; top-5 agreement: the fp32 top-1 class is in the int8 top 5. The built-in weights"
echo "are seeded random (no trained weights are available offline), so class agreement is easy; SQNR is the measure."
echo
echo "| model | calibration | inputs | mean SQNR (dB) | min SQNR (dB) | top-1 agreement | top-5 agreement | differing bytes |"
echo "|---|---|---|---|---|---|---|---|"
for model in squeezenet1.1 squeezenet1.0; do
  for method in minmax percentile mse; do
    for set in photos noise noise-photo-calibrated; do
      case "$set" in
        photos) args=(--calibrate "$photos/calibrate" --input-dir "$photos/evaluate");;
        noise) args=(--inputs 8);;  # calibrated on 8 other seeded noise inputs (no --calibrate)
        *) args=(--calibrate "$photos/calibrate" --inputs 8);;
      esac
      "$squeezec" validate "$model" --precision int8 --calibration "$method" --target host "${args[@]}" --json > "$work/fid.json" 2>/dev/null
      echo "| $model | $method | $set | $(printf '%.1f' "$(nested mean_sqnr_db "$work/fid.json")") |" \
           "$(printf '%.1f' "$(nested min_sqnr_db "$work/fid.json")") | $(nested top1_agreement "$work/fid.json") |" \
           "$(nested top5_agreement "$work/fid.json") | $(key differing_bytes "$work/fid.json") |"
    done
  done
done
echo
echo "## int8 activation memory (streaming schedule unless noted; bytes)"
echo
echo "| model | input | stream arena | layer arena |"
echo "|---|---|---|---|"
for model in squeezenet1.1 squeezenet1.0; do
  for size in 224 128; do
    for schedule in stream layer; do
      "$squeezec" generate "$model" --precision int8 --input-size "$size" --schedule "$schedule" -o "$work/g8" > /dev/null 2>&1
      eval "a_$schedule=$(sed -n 's/^#define MODEL_ARENA_BYTES \([0-9]*\).*/\1/p' "$work/g8/model.h")"
    done
    echo "| $model | ${size}x${size} | $a_stream | $a_layer |"
  done
done

echo
echo "## Accuracy on the trained digits fixtures (squeezec eval)"
echo
echo "SqueezeNet v1.1 topology trained here on scikit-learn's handwritten digits (scripts/train_digits.py), 32x32 grey"
echo "input, 10 classes; plain and with the simple bypass. The 360 held-out test images (Tests/Fixtures/digits/test)"
echo "are PNGs, preprocessed as the ONNX metadata says. int8 is calibrated on the 40 training images of"
echo "Tests/Fixtures/digits/calibrate. onnxruntime gives 97.50% (plain) and 98.06% (bypass) on the same images"
echo "(Tests/Fixtures/digits/predictions.tsv). Agreement: the int8 top-1 equals the fp32 reference's top-1."
echo
echo "| model | precision | calibration | target | top-1 | top-5 | agreement with fp32 |"
echo "|---|---|---|---|---|---|---|"
digits=Tests/Fixtures/digits
for fixture in squeezenet1_1_digits32 squeezenet1_1_digits32_bypass; do
  runs=("fp32 - reference" "fp32 - host" "fp32 - mps2-an386"
        "int8 minmax host" "int8 percentile host" "int8 mse host" "int8 mse mps2-an386")
  for run in "${runs[@]}"; do
    read -r precision method target <<< "$run"
    args=("$digits/$fixture.onnx" --data "$digits/test" --target "$target" --json)
    [ "$precision" = int8 ] && args+=(--precision int8 --calibrate "$digits/calibrate" --calibration "$method")
    if "$squeezec" eval "${args[@]}" > "$work/eval.json" 2> "$work/eval.err"; then
      top1=$(key top1_correct "$work/eval.json"); top5=$(key top5_correct "$work/eval.json"); n=$(key images "$work/eval.json")
      same=$(nested top1_same "$work/eval.json"); compared=$(nested compared "$work/eval.json")
      agreement=$([ -n "$same" ] && awk -v s="$same" -v c="$compared" 'BEGIN {printf "%.2f%% (%d/%d)", 100 * s / c, s, c}' || echo "-")
      echo "| $fixture | $precision | $method | $target | $(awk -v c="$top1" -v n="$n" 'BEGIN {printf "%.2f%% (%d/%d)", 100 * c / n, c, n}') |" \
           "$(awk -v c="$top5" -v n="$n" 'BEGIN {printf "%.2f%%", 100 * c / n}') | $agreement |"
    else
      echo "| $fixture | $precision | $method | $target | $(grep 'error' "$work/eval.err" | sed 's/^squeezec: error: //' | tr '|' '/') | | |"
    fi
  done
done

echo
scripts/bench_boards.sh "$squeezec"

echo
scripts/bench_compression.sh "$squeezec"

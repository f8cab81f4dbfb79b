#!/bin/sh
# Instruction counts of the int8 kernels under QEMU (not part of the tests):
# builds bench_s8.c for mps2-an386 (Cortex-M4F, -O2) twice, DSP path and
# portable path (-DSQ_S8_NO_DSP), runs both with -icount shift=0 and prints
# two markdown tables over every convolution shape of SqueezeNet 1.1 at
# 224x224: whole-layer calls (one call over the whole map; max pools by
# sq_maxpool_s8), then the row-streaming schedule of the generated code
# (one call per output row, rings; conv1 with its 3x3/2 max pool folded row
# by row, pool3 / pool5 as row folds). MACs, instructions and instructions
# per MAC for both paths, and the whole network (repeated layers counted as
# often as they occur; pools count instructions, no MACs): the per-row
# "whole network" line is the streaming estimate, each layer's per-row
# instructions per MAC weighted by its MACs.
#
#   Tests/CKernels/bench_s8.sh          (BUILD_DIR default /tmp/sq_bench_s8)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fw="$root/Firmware"
build=${BUILD_DIR:-/tmp/sq_bench_s8}
mkdir -p "$build"

# mps2-an386's linker script and sq_board.h, as squeezec writes them from
# Firmware/boards/mps2-an386.json: from $SQ_BOARD_DIR/mps2-an386 if set,
# else written there by `squeezec board` ($SQUEEZEC_BIN, default
# <repo>/.build/release/squeezec).
board="${SQ_BOARD_DIR:-$build/boards}/mps2-an386"
if [ -z "${SQ_BOARD_DIR:-}" ] && command -v arm-none-eabi-gcc >/dev/null 2>&1; then
    mkdir -p "$board"
    "${SQUEEZEC_BIN:-$root/.build/release/squeezec}" board mps2-an386 -o "$board" >/dev/null ||
        echo "== no board files for mps2-an386: set SQUEEZEC_BIN or SQ_BOARD_DIR"
fi
mkdir -p "$build"
cpu="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
warn="-std=c99 -Wall -Wextra -Werror -pedantic"

for variant in dsp portable; do
    def=""
    [ "$variant" = portable ] && def="-DSQ_S8_NO_DSP"
    objs=""
    for src in "$fw/common/sq_startup.c" "$fw/common/sq_semihost.c" \
               "$fw/common/sq_cycles.c" "$here/bench_s8.c"; do
        obj="$build/$variant-$(basename "$src" .c).o"
        arm-none-eabi-gcc $cpu $warn -O2 $def -ffunction-sections \
            -fdata-sections -falign-functions=64 -I"$fw/common" \
            -I"$board" -I"$root/Templates" -c "$src" -o "$obj"
        objs="$objs $obj"
    done
    arm-none-eabi-gcc $cpu -nostartfiles --specs=nano.specs \
        -Wl,--gc-sections -Wl,-T,"$board/mps2-an386.ld" $objs \
        -lm -lc -lgcc -o "$build/bench-$variant.elf"
    timeout 600 qemu-system-arm -M mps2-an386 -nographic -monitor none \
        -serial null -icount shift=0 \
        -semihosting-config enable=on,target=native,chardev=sh0 \
        -chardev stdio,id=sh0 -kernel "$build/bench-$variant.elf" \
        </dev/null > "$build/bench-$variant.log"
done
arm-none-eabi-objdump -d "$build/dsp-bench_s8.o" > "$build/bench-dsp.dis"

table() {
    grep "^$1 " "$build/bench-dsp.log" > "$build/a.txt"
    grep "^$1 " "$build/bench-portable.log" > "$build/b.txt"
    paste -d' ' "$build/a.txt" "$build/b.txt" | awk '
BEGIN {
    print "| layer | x | MACs | DSP instr | DSP instr/MAC | portable instr | portable instr/MAC |"
    print "|---|---:|---:|---:|---:|---:|---:|"
}
{
    name = $2; n = $3; macs = $4; a = $5; b = $10
    ra = macs > 0 ? sprintf("%.3f", a / macs) : "-"
    rb = macs > 0 ? sprintf("%.3f", b / macs) : "-"
    printf "| %s | %d | %d | %d | %s | %d | %s |\n", name, n, macs, a, ra, b, rb
    tm += n * macs; ta += n * a; tb += n * b
    if (macs > 0) { cm += n * macs; ca += n * a; cb += n * b }
}
END {
    printf "| convolutions only | | %d | %d | %.3f | %d | %.3f |\n", cm, ca, ca / cm, cb, cb / cm
    printf "| whole network (convs + pools) | | %d | %d | %.3f | %d | %.3f |\n", tm, ta, ta / tm, tb, tb / tm
}'
}

echo "Whole-layer calls (rows [0, H) in one call):"
echo
table BENCH
echo
echo "Row streaming (one call per output row; conv1 includes the pool1 fold):"
echo
table ROWS

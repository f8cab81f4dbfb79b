#!/bin/sh
# Builds and runs the int8 kernel unit test (test_kernels_s8.c): gcc and
# clang on the host (-O2, and ASan + UBSan), then, when arm-none-eabi-gcc is
# installed, the Cortex-M4 build twice (DSP path, and portable path with
# -DSQ_S8_NO_DSP), run under qemu-system-arm -M mps2-an386 when available.
# Every run prints a checksum of all kernel outputs; all must be equal (DSP
# == portable == host, bit for bit) and every run must pass.
#
#   Tests/CKernels/run_s8.sh            (from anywhere)
#
# Build products go to $BUILD_DIR (default: <repo>/.build/ckernels_s8).
# Last line: "N passed, M failed" (N, M: runs). Exit status non-zero on any
# failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
templates="$root/Templates"
build=${BUILD_DIR:-"$root/.build/ckernels_s8"}
mkdir -p "$build"

warn="-std=c99 -Wall -Wextra -Werror -pedantic -Wdouble-promotion"
san="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all"

if [ -z "${CC_LIST:-}" ]; then
    CC_LIST="gcc"
    if [ -x /opt/swift/usr/bin/clang ]; then
        CC_LIST="$CC_LIST /opt/swift/usr/bin/clang"
    elif command -v clang >/dev/null 2>&1; then
        CC_LIST="$CC_LIST clang"
    fi
fi

passed=0
failed=0
sums=""

# $1 = label, $2 = log file, $3 = exit status of the run
judge() {
    grep '^FAIL\|^FAULT' "$2" | head -n 40
    tail -n 1 "$2"
    sum=$(grep '^checksum' "$2" | awk '{print $2}')
    sums="$sums $sum"
    if [ "$3" -eq 0 ] && tail -n 1 "$2" | grep -q ' 0 failed$'; then
        passed=$((passed + 1))
    else
        echo "RUN FAILED (exit $3): $1"
        failed=$((failed + 1))
    fi
}

ld_flag() {
    probe="$build/ld_probe"
    echo 'int main(void) { return 0; }' > "$probe.c"
    if "$1" -fuse-ld=lld "$probe.c" -o "$probe" >/dev/null 2>&1; then
        echo "-fuse-ld=lld"
    fi
}

run_host() {
    cc=$1
    label=$2
    shift 2
    exe="$build/test_kernels_s8-$(basename "$cc")-$label"
    echo "== $(basename "$cc") $label: $*"
    if ! "$cc" $warn "$@" -I"$templates" "$here/test_kernels_s8.c" \
            -o "$exe"; then
        echo "BUILD FAILED: $(basename "$cc") $label"
        failed=$((failed + 1))
        return
    fi
    "$exe" > "$exe.log" 2>&1
    judge "$(basename "$cc") $label" "$exe.log" $?
}

for cc in $CC_LIST; do
    if ! command -v "$cc" >/dev/null 2>&1; then
        echo "== $cc: not installed, skipped"
        continue
    fi
    ldf=""
    case "$(basename "$cc")" in
        clang*) ldf=$(ld_flag "$cc") ;;
    esac
    run_host "$cc" O2 -O2 $ldf
    run_host "$cc" asan-ubsan $san $ldf
done

# Cortex-M4: bare-metal build, everything in SSRAM1 at 0 (vector table
# first), startup code inside test_kernels_s8.c (-DSQ_TEST_BAREMETAL).
arm=arm-none-eabi-gcc
qemu=qemu-system-arm
if command -v "$arm" >/dev/null 2>&1; then
    ld="$build/s8_mps2.ld"
    cat > "$ld" <<'LDEOF'
MEMORY { RAM (rwx) : ORIGIN = 0x00000000, LENGTH = 4M }
ENTRY(sq_t_reset)
SECTIONS
{
    .vectors : { KEEP(*(.vectors)) } > RAM
    .text : ALIGN(16) { *(.text .text.*) *(.rodata .rodata.*) } > RAM
    .ARM.exidx : { *(.ARM.exidx*) } > RAM
    .data : ALIGN(8) { *(.data .data.*) } > RAM
    .bss (NOLOAD) : ALIGN(8)
    {
        sq_t_bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(4);
        sq_t_bss_end = .;
    } > RAM
    .stack (NOLOAD) : ALIGN(8) { . += 0x10000; sq_t_stack_top = .; } > RAM
}
LDEOF
    flags="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
    for variant in dsp portable; do
        def=""
        [ "$variant" = portable ] && def="-DSQ_S8_NO_DSP"
        elf="$build/test_kernels_s8-cm4-$variant.elf"
        echo "== $arm Cortex-M4 $variant: $flags -O2 $def"
        if ! "$arm" $flags $warn -O2 $def -DSQ_TEST_BAREMETAL \
                -I"$templates" "$here/test_kernels_s8.c" -nostartfiles \
                --specs=nosys.specs -T "$ld" -o "$elf"; then
            echo "BUILD FAILED: $arm $variant"
            failed=$((failed + 1))
            continue
        fi
        if command -v "$qemu" >/dev/null 2>&1; then
            timeout 600 "$qemu" -M mps2-an386 -nographic -monitor none \
                -serial none -semihosting-config enable=on,target=native \
                -kernel "$elf" > "$elf.log" 2>&1
            judge "qemu $variant" "$elf.log" $?
        else
            echo "$qemu not installed: built only"
        fi
    done
    # Assembly of the DSP 1x1 kernel, cin 64 -> cout 16, for inspection.
    tu="$build/cm4_s8_tu.c"
    cat > "$tu" <<'TUEOF'
#include "sq_kernels_s8.h"
void sq_cm4_s8_check(const int8_t *in, int8_t *out, const int8_t *w,
                     const int32_t *b, const int32_t *m, const int32_t *s,
                     int32_t *acc);
void sq_cm4_s8_check(const int8_t *in, int8_t *out, const int8_t *w,
                     const int32_t *b, const int32_t *m, const int32_t *s,
                     int32_t *acc)
{
    sq_conv1x1_s8(in, 55, 64, 55, 64, out, 16, 55, 16, w, b, m, s,
                  -5, -5, 127, 0, 55);
    sq_conv_s8(in, 13, 13, 16, 3, 16, 3, out, 13, 128, 1, 64, w, b, m, s,
               -7, -128, 127, 3, 3, 1, 1, 1, 1, 0, 13);
    sq_conv1x1_relu_gap_s8(in, 13, 512, 13, 512, acc, 1000, w, b, m, s,
                           -3, -3, 127, 0, 13);
}
TUEOF
    "$arm" $flags $warn -O2 -I"$templates" -S "$tu" -o "$build/cm4_s8_tu.s" \
        || { echo "BUILD FAILED: $arm -S"; failed=$((failed + 1)); }
else
    echo "== $arm: not installed, Cortex-M4 build skipped"
fi

uniq_sums=$(echo $sums | tr ' ' '\n' | sort -u | grep -c .)
if [ "$uniq_sums" -eq 1 ]; then
    echo "checksums identical across all runs:$(echo $sums | cut -d" " -f1)"
else
    echo "CHECKSUM MISMATCH between runs:$sums"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

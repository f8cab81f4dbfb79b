#!/bin/sh
# Builds and runs the C kernel unit test (test_kernels_f32.c) with every
# available host compiler (gcc, clang), strict warnings, optimised (-O2),
# sanitised (ASan + UBSan) and, on x86 hosts with FMA, with -mfma; then
# compiles the kernel header for the Cortex-M4F when arm-none-eabi-gcc is
# installed.
#
#   Tests/CKernels/run.sh            (from anywhere)
#   CC_LIST="gcc" Tests/CKernels/run.sh
#
# Build products go to $BUILD_DIR (default: <repo>/.build/ckernels).
# Exit status is non-zero if any build or run fails; a compiler that is not
# installed is reported and skipped.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
templates="$root/Templates"
build=${BUILD_DIR:-"$root/.build/ckernels"}
mkdir -p "$build"

warn="-std=c99 -Wall -Wextra -Werror -pedantic -Wdouble-promotion"
san="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all"

# Host compilers: gcc and the Swift toolchain's clang (or clang on PATH).
if [ -z "${CC_LIST:-}" ]; then
    CC_LIST="gcc"
    if [ -x /opt/swift/usr/bin/clang ]; then
        CC_LIST="$CC_LIST /opt/swift/usr/bin/clang"
    elif command -v clang >/dev/null 2>&1; then
        CC_LIST="$CC_LIST clang"
    fi
fi

status=0
ran=0

run_one() {
    # $1 = compiler, $2 = label, remaining = flags
    cc=$1
    label=$2
    shift 2
    exe="$build/test_kernels_f32-$(basename "$cc")-$label"
    echo "== $(basename "$cc") $label: $*"
    if ! "$cc" $warn "$@" -I"$templates" "$here/test_kernels_f32.c" \
            -o "$exe" -lm; then
        echo "BUILD FAILED: $(basename "$cc") $label"
        status=1
        return
    fi
    "$exe" > "$exe.log" 2>&1
    rc=$?
    grep '^FAIL' "$exe.log" | head -n 40
    tail -n 1 "$exe.log"
    if [ "$rc" -ne 0 ]; then
        echo "TEST FAILED (exit $rc): $(basename "$cc") $label"
        status=1
    fi
    ran=$((ran + 1))
}

# The Swift toolchain's clang links with gold by default, which floods the
# sanitizer build with harmless "Cannot export local symbol" warnings; use
# lld when the compiler can.
ld_flag() {
    probe="$build/ld_probe"
    echo 'int main(void) { return 0; }' > "$probe.c"
    if "$1" -fuse-ld=lld "$probe.c" -o "$probe" >/dev/null 2>&1; then
        echo "-fuse-ld=lld"
    fi
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
    run_one "$cc" O2 -O2 $ldf
    run_one "$cc" asan-ubsan $san $ldf
    # On x86 hosts with FMA, also exercise the fused SQ_FMA path that the
    # Cortex-M4F build uses.
    if [ "$(uname -m)" = x86_64 ] && grep -qw fma /proc/cpuinfo 2>/dev/null
    then
        run_one "$cc" O2-fma -O2 -mfma $ldf
    fi
done

# Cross-compile the header alone for the Cortex-M4F (compile only).
arm=arm-none-eabi-gcc
if command -v "$arm" >/dev/null 2>&1; then
    tu="$build/cm4_tu.c"
    cat > "$tu" <<'EOF'
/* Instantiates every kernel once, with static const parameter structs as
 * the generated code passes them, so the whole header is compiled. */
#include "sq_kernels_f32.h"

static const float w[16 * 9 * 64], b[1000];

static const sq_conv_params_f32 conv3 = {
    .in = { .h = 13, .w = 13, .c = 16, .stride = 16, .ring = 3 },
    .out = { .h = 13, .w = 13, .c = 64, .stride = 128, .ring = 1 },
    .win = { .k_h = 3, .k_w = 3, .s_h = 1, .s_w = 1, .pad_t = 1, .pad_l = 1 },
    .relu = 1, .w = w, .bias = b
};
static const sq_conv_params_f32 conv1 = {
    .in = { .h = 55, .w = 55, .c = 64, .stride = 64, .ring = 55 },
    .out = { .h = 55, .w = 55, .c = 16, .stride = 16, .ring = 55 },
    .win = { .k_h = 1, .k_w = 1, .s_h = 1, .s_w = 1 },
    .relu = 1, .w = w, .bias = b
};
static const sq_conv_params_f32 conv_gap = {
    .in = { .h = 13, .w = 13, .c = 512, .stride = 512, .ring = 13 },
    .out = { .h = 13, .w = 13, .c = 1000, .stride = 1000, .ring = 13 },
    .win = { .k_h = 1, .k_w = 1, .s_h = 1, .s_w = 1 },
    .relu = 1, .w = w, .bias = b
};
static const sq_pool_params maxpool = {
    .in = { .h = 55, .w = 55, .c = 128, .stride = 128, .ring = 3 },
    .out = { .h = 27, .w = 27, .c = 128, .stride = 128, .ring = 1 },
    .win = { .k_h = 3, .k_w = 3, .s_h = 2, .s_w = 2 }
};
static const sq_pool_params avgpool = {
    .in = { .h = 13, .w = 13, .c = 8, .stride = 8, .ring = 13 },
    .out = { .h = 7, .w = 7, .c = 8, .stride = 8, .ring = 7 },
    .win = { .k_h = 3, .k_w = 3, .s_h = 2, .s_w = 2,
             .pad_t = 1, .pad_l = 1, .pad_b = 1, .pad_r = 1 },
    .count_include_pad = 1
};
static const sq_dims gap = { .h = 13, .w = 13, .c = 10, .stride = 10, .ring = 13 };
static const sq_copy_params copy = {
    .in = { .h = 13, .w = 13, .c = 64, .stride = 64, .ring = 13 },
    .out = { .h = 13, .w = 13, .c = 64, .stride = 128, .ring = 13 }
};

void sq_cm4_compile_check(const float *in, float *out, float *acc);
void sq_cm4_compile_check(const float *in, float *out, float *acc)
{
    sq_conv_f32(&conv3, in, out, 0, 13);
    sq_conv1x1_f32(&conv1, in, out, 0, 55);
    sq_conv1x1_relu_gap_f32(&conv_gap, in, acc, 0, 13);
    sq_gap_finish_f32(acc, 1000, 1.0f / 169.0f);
    sq_maxpool_f32(&maxpool, in, out, 0, 27);
    sq_maxpool_fold_f32(&maxpool, in, out, 1);
    sq_avgpool_f32(&avgpool, in, out, 0, 7);
    sq_gap_f32(&gap, in, acc, 0, 13);
    sq_relu_f32(out, 100);
    sq_add_f32(in, out, out, 100);
    sq_copy_channels_f32(&copy, in, out + 64, 0, 13);
    sq_softmax_f32(acc, out, 1000);
    sq_flatten_nchw_f32(in, 13, 13, 10, out);
}
EOF
    flags="-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb"
    echo "== $arm (Cortex-M4F, compile only): $flags -O2"
    if "$arm" $flags $warn -O2 -I"$templates" -c "$tu" -o "$build/cm4_tu.o"
    then
        echo "ok"
    else
        echo "BUILD FAILED: $arm"
        status=1
    fi
else
    echo "== $arm: not installed, Cortex-M4F compile skipped"
fi

if [ "$ran" -eq 0 ]; then
    echo "no host compiler ran the tests"
    status=1
fi
[ "$status" -eq 0 ] && echo "ALL OK" || echo "FAILURES"
exit $status

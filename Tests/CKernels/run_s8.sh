#!/bin/sh
# Builds and runs the int8 kernel unit test (test_kernels_s8.c): gcc and
# clang on the host (-O2, and ASan + UBSan), then, when arm-none-eabi-gcc is
# installed, the Cortex-M4 build twice (DSP path, and portable path with
# -DSQ_S8_NO_DSP), linked with the project's firmware (Firmware/common
# startup + semihosting, the mps2-an386 linker script squeezec generates) and run under
# qemu-system-arm -M mps2-an386 when available. Every run prints a checksum
# of all kernel outputs; all must be equal (DSP == portable == host, bit for
# bit) and every run must pass.
#
#   Tests/CKernels/run_s8.sh            (from anywhere)
#
# Build products go to $BUILD_DIR (default: <repo>/.build/ckernels_s8).
# Host and Arm builds run two at a time. Last line: "N passed, M failed"
# (N, M: runs). Exit status non-zero on any failure.
# The instruction-count benchmark is separate: Tests/CKernels/bench_s8.sh.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
templates="$root/Templates"
fw="$root/Firmware"
build=${BUILD_DIR:-"$root/.build/ckernels_s8"}
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

ld_flag() {
    probe="$build/ld_probe"
    echo 'int main(void) { return 0; }' > "$probe.c"
    if "$1" -fuse-ld=lld "$probe.c" -o "$probe" >/dev/null 2>&1; then
        echo "-fuse-ld=lld"
    fi
}

# Each job writes $build/<name>.log (build output, then the run) and
# $build/<name>.status (the run's exit status, or "build" if it did not
# build); the results are judged afterwards, in order.
jobs_list=""

host_job() {
    name=$1
    cc=$2
    shift 2
    exe="$build/$name"
    {
        echo "== $name: $(basename "$cc") $*"
        if "$cc" $warn "$@" -I"$templates" "$here/test_kernels_s8.c" \
                -o "$exe" -lm; then
            "$exe"
            echo $? > "$exe.status"
        else
            echo build > "$exe.status"
        fi
    } > "$exe.log" 2>&1
}

arm=arm-none-eabi-gcc
qemu=qemu-system-arm
cpu="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"

arm_job() {
    name=$1
    shift
    exe="$build/$name"
    {
        echo "== $name: $arm $cpu -O2 $*"
        objs=""
        ok=1
        for src in "$fw/common/sq_startup.c" "$fw/common/sq_semihost.c" \
                   "$fw/common/sq_cycles.c" "$here/test_kernels_s8.c"; do
            obj="$exe-$(basename "$src" .c).o"
            "$arm" $cpu $warn -O2 "$@" -DSQ_TEST_BAREMETAL \
                -ffunction-sections -fdata-sections -falign-functions=64 \
                -I"$fw/common" -I"$board" -I"$templates" \
                -c "$src" -o "$obj" || ok=0
            objs="$objs $obj"
        done
        if [ "$ok" -eq 1 ] && "$arm" $cpu -nostartfiles --specs=nano.specs \
                -Wl,--gc-sections -Wl,-T,"$board/mps2-an386.ld" \
                $objs -lm -lc -lgcc -o "$exe.elf"; then
            if command -v "$qemu" >/dev/null 2>&1; then
                timeout 300 "$qemu" -M mps2-an386 -nographic -monitor none \
                    -serial null -semihosting-config \
                    enable=on,target=native,chardev=sh0 \
                    -chardev stdio,id=sh0 -kernel "$exe.elf" </dev/null
                echo $? > "$exe.status"
            else
                echo "$qemu not installed: built only"
                echo skip > "$exe.status"
            fi
        else
            echo build > "$exe.status"
        fi
    } > "$exe.log" 2>&1
}

# Runs "$@" in the background, at most two jobs at a time.
running=0
spawn() {
    "$@" &
    running=$((running + 1))
    if [ "$running" -ge 2 ]; then
        wait
        running=0
    fi
}

if command -v "$arm" >/dev/null 2>&1; then
    spawn arm_job cm4-dsp
    jobs_list="$jobs_list cm4-dsp"
    spawn arm_job cm4-portable -DSQ_S8_NO_DSP
    jobs_list="$jobs_list cm4-portable"
else
    echo "== $arm: not installed, Cortex-M4 build skipped"
fi
for cc in $CC_LIST; do
    if ! command -v "$cc" >/dev/null 2>&1; then
        echo "== $cc: not installed, skipped"
        continue
    fi
    ldf=""
    case "$(basename "$cc")" in
        clang*) ldf=$(ld_flag "$cc") ;;
    esac
    base=$(basename "$cc")
    spawn host_job "$base-O2" "$cc" -O2 $ldf
    spawn host_job "$base-asan-ubsan" "$cc" $san $ldf
    jobs_list="$jobs_list $base-O2 $base-asan-ubsan"
done
wait

passed=0
failed=0
sums=""
for name in $jobs_list; do
    log="$build/$name.log"
    st=$(cat "$build/$name.status" 2>/dev/null || echo missing)
    head -n 1 "$log"
    grep '^FAIL\|^SQ_FAULT\|error\|AddressSanitizer\|runtime error' "$log" \
        | head -n 40
    tail -n 1 "$log"
    if [ "$st" = skip ]; then
        continue
    fi
    sum=$(grep '^checksum' "$log" | awk '{print $2}')
    sums="$sums ${sum:-none}"
    if [ "$st" = 0 ] && tail -n 1 "$log" | grep -q ' 0 failed$'; then
        passed=$((passed + 1))
    else
        echo "RUN FAILED (status $st): $name"
        failed=$((failed + 1))
    fi
done

uniq_sums=$(echo $sums | tr ' ' '\n' | sort -u | grep -c .)
if [ "$uniq_sums" -eq 1 ]; then
    echo "checksums identical across all runs:$(echo $sums | cut -d" " -f1)"
else
    echo "CHECKSUM MISMATCH between runs:$sums"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

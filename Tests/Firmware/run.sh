#!/bin/sh
# Firmware tests: builds the Firmware/ startup, semihosting, instruction
# counter and harness for every QEMU board and runs them under
# qemu-system-arm (-icount shift=0):
#
#   - a hand-written fake model (fake_model.h/.c, fake_weights.c,
#     fake_arena.c: 12 inputs -> 5 outputs, exact arithmetic): linker
#     placement, bit-exact output.bin and trace.bin, SQ_LAYER lines,
#     identical SQ_INSTRUCTIONS on two runs, a batch of two inputs in one
#     start, exit statuses 2 (missing or short input.bin) and 4 (model error), stack high-water mark, stack
#     overflow, an oversized arena (link error on mps3-an547);
#   - the instruction counter's calibration (sq_calibrate.c spin loops);
#   - deliberate faults (bad load, bad branch): SQ_FAULT and exit 3;
#   - the real generated squeezenet1.1 64x64 (10 classes): runs, output and
#     per-layer trace within 1e-5 (of the range) of the host build of the
#     same C, deterministic instruction count, which is printed per board;
#   - the full-size squeezenet1.1 224x224 (1000 classes): runs on
#     mps2-an386 (weights and arena in PSRAM) within 1e-5 of the host, and
#     fails to link on mps3-an547 (arena does not fit DTCM).
#
#   Tests/Firmware/run.sh              (from anywhere)
#   BOARDS="mps3-an547" Tests/Firmware/run.sh
#
# Environment: BOARDS (default: all three), BUILD_DIR (default:
# <repo>/.build/firmware), SQUEEZEC_BIN (default: <repo>/.build/release/
# squeezec; without it /tmp/gen64 is used if present, else the real-model
# tests are skipped), SQ_FIRMWARE_FULL=0 skips the 224x224 model,
# SQ_FIRMWARE_REQUIRED=1 fails instead of skipping when the Arm toolchain
# or QEMU is missing, QEMU_TIMEOUT (seconds, default 600), SQ_BOARD_DIR
# (a folder with one sub-folder per board holding its generated <board>.ld
# and sq_board.h; default: written there by `squeezec board BOARD -o ...`
# from Firmware/boards/<board>.json).
#
# The last line is "N passed, M failed"; the exit status is non-zero if
# anything failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fw="$root/Firmware"
build=${BUILD_DIR:-"$root/.build/firmware"}
boards=${BOARDS:-"mps2-an386 mps2-an500 mps3-an547"}
qemu_timeout=${QEMU_TIMEOUT:-600}
squeezec=${SQUEEZEC_BIN:-"$root/.build/release/squeezec"}
full=${SQ_FIRMWARE_FULL:-1}

passed=0
failed=0

pass() {
    passed=$((passed + 1))
    echo "PASS $*"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $*"
}

finish() {
    echo "$passed passed, $failed failed"
    if [ "$failed" -ne 0 ]; then
        exit 1
    fi
    exit 0
}

# check CONDITION-STATUS NAME [DETAILS...]: pass if the status is 0.
# Returns the status, so that "check $? ... || return" works.
check() {
    st=$1
    shift
    if [ "$st" -eq 0 ]; then
        pass "$@"
    else
        fail "$@"
    fi
    return "$st"
}

for tool in arm-none-eabi-gcc qemu-system-arm gcc timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP all firmware tests: $tool is not installed (make deps-firmware)"
        if [ "${SQ_FIRMWARE_REQUIRED:-0}" = 1 ]; then
            fail "prerequisite $tool"
        fi
        finish
    fi
done

mkdir -p "$build"

# The boards' linker scripts and sq_board.h, generated from their descriptions.
board_dir=${SQ_BOARD_DIR:-"$build/boards"}
if [ -z "${SQ_BOARD_DIR:-}" ]; then
    mkdir -p "$board_dir"
    for b in $boards; do
        if ! "$squeezec" board "$b" -o "$board_dir/$b" >/dev/null; then
            fail "$b: squeezec board $b -o $board_dir/$b (set SQUEEZEC_BIN or SQ_BOARD_DIR)"
            finish
        fi
    done
fi

# ---------------------------------------------------------------------------
# Build and run: these functions spell out the command lines documented in
# Firmware/README.md.
# ---------------------------------------------------------------------------

cpu_flags() {
    case $1 in
        mps2-an386) echo "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb" ;;
        mps2-an500) echo "-mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard -mthumb" ;;
        mps3-an547) echo "-mcpu=cortex-m55 -mfpu=auto -mfloat-abi=hard -mthumb" ;;
        mps2-an385) echo "-mcpu=cortex-m3 -mfloat-abi=soft -mthumb" ;;
        mps2-an505) echo "-mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard -mthumb" ;;
        netduinoplus2) echo "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb" ;;
        *) echo "unknown board $1" >&2; return 1 ;;
    esac
}

CFLAGS_COMMON="-O2 -std=c99 -Wall -Wextra -Werror -pedantic -ffunction-sections -fdata-sections -falign-functions=64"
FW_SOURCES="$fw/common/sq_startup.c $fw/common/sq_semihost.c $fw/common/sq_cycles.c"

# build_fw BOARD OUTDIR "EXTRA CFLAGS" "EXTRA LDFLAGS" SOURCES...
# Compiles every source to OUTDIR/obj/<name>.o (object names matter: the
# linker scripts place *_weights.o and *_arena.o), links OUTDIR/fw.elf.
# Compiler and linker output goes to OUTDIR/build.log.
build_fw() {
    b_board=$1
    b_out=$2
    b_cflags=$3
    b_ldflags=$4
    shift 4
    b_cpu=$(cpu_flags "$b_board") || return 1
    rm -rf "$b_out"
    mkdir -p "$b_out/obj"
    : > "$b_out/build.log"
    b_objs=""
    for b_src in "$@"; do
        b_obj="$b_out/obj/$(basename "$b_src" .c).o"
        # shellcheck disable=SC2086
        if ! arm-none-eabi-gcc $b_cpu $CFLAGS_COMMON -I"$fw/common" -I"$board_dir/$b_board" $b_cflags \
                -c "$b_src" -o "$b_obj" >>"$b_out/build.log" 2>&1; then
            echo "  compile failed: $b_src (see $b_out/build.log)"
            tail -n 5 "$b_out/build.log" | sed 's/^/  | /'
            return 1
        fi
        b_objs="$b_objs $b_obj"
    done
    # shellcheck disable=SC2086
    arm-none-eabi-gcc $b_cpu -nostartfiles --specs=nano.specs -Wl,--gc-sections \
        -Wl,-T,"$board_dir/$b_board/$b_board.ld" -Wl,-Map,"$b_out/fw.map" $b_ldflags \
        $b_objs -lm -lc -lgcc -o "$b_out/fw.elf" >>"$b_out/build.log" 2>&1
}

# run_fw BOARD ELF DIR [TIMEOUT]: runs in DIR (where input.bin is); the
# semihosting console goes to DIR/console.log; sets $rc.
run_fw() {
    (cd "$3" && timeout "${4:-$qemu_timeout}" qemu-system-arm -M "$1" -nographic -monitor none \
        -serial null -icount shift=0 \
        -semihosting-config enable=on,target=native,chardev=sh0 -chardev stdio,id=sh0 \
        -kernel "$2" </dev/null >console.log 2>qemu.log)
    rc=$?
}

# value KEY LOG: the value of the last "KEY value" line.
value() {
    sed -n "s/^$1 //p" "$2" | tail -n 1
}

# in_range ADDRESS LOW HIGH (hex without 0x allowed for ADDRESS)
in_range() {
    ir_value=$((0x$1))
    [ "$ir_value" -ge $(($2)) ] && [ "$ir_value" -lt $(($3)) ]
}

symbol_address() {
    arm-none-eabi-nm "$1" | awk -v s="$2" '$3 == s { print $1 }' | head -n 1
}

section_size() {
    arm-none-eabi-objdump -h "$1" | awk -v s="$2" '$2 == s { print $3 }' | head -n 1
}

# Board facts: where weights and arena must land; the fault address.
board_regions() {
    case $1 in
        mps2-an386)
            weights_lo=0x21000000; weights_hi=0x22000000
            arena_lo=0x21000000; arena_hi=0x22000000
            fault_address=0xf0000000 ;;
        mps2-an500)
            weights_lo=0x60000000; weights_hi=0x61000000
            arena_lo=0x60000000; arena_hi=0x61000000
            fault_address=0xf0000000 ;;
        mps3-an547)
            weights_lo=0x38000000; weights_hi=0x38800000
            arena_lo=0x30000000; arena_hi=0x30080000
            fault_address=0x30080000 ;;
        mps2-an385)
            weights_lo=0x21000000; weights_hi=0x22000000
            arena_lo=0x21000000; arena_hi=0x22000000
            fault_address=0xf0000000 ;;
        mps2-an505)
            weights_lo=0x80000000; weights_hi=0x81000000
            arena_lo=0x80000000; arena_hi=0x81000000
            fault_address=0xf0000000 ;;
        netduinoplus2)
            weights_lo=0x08000000; weights_hi=0x08100000
            arena_lo=0x20000000; arena_hi=0x20020000
            fault_address=0xf0000000 ;;
    esac
}

# ---------------------------------------------------------------------------
# Host helper
# ---------------------------------------------------------------------------

check_tool="$build/fw_check"
if ! gcc -O2 -std=c99 -Wall -Wextra -Werror -pedantic "$here/fw_check.c" -o "$check_tool" -lm; then
    fail "host helper fw_check builds"
    finish
fi

FAKE_DEFS="-I$here -DSQ_MODEL_HEADER=\"fake_model.h\" -DSQ_RUN=fake_run -DSQ_INPUT_COUNT=FAKE_INPUT_COUNT -DSQ_OUTPUT_COUNT=FAKE_OUTPUT_COUNT"
FAKE_SOURCES="$FW_SOURCES $fw/common/sq_harness.c $here/fake_model.c $here/fake_weights.c $here/fake_arena.c"

# ---------------------------------------------------------------------------
# Fake model, calibration, faults (per board)
# ---------------------------------------------------------------------------

fake_tests() {
    board=$1
    board_regions "$board"
    dir="$build/$board/fake"

    # shellcheck disable=SC2086
    build_fw "$board" "$dir" "$FAKE_DEFS -DSQ_PROFILE -DSQ_TRACE" "" $FAKE_SOURCES
    check $? "$board fake: build (SQ_PROFILE, SQ_TRACE)" || return
    [ -f "$dir/fw.elf" ] || return

    w=$(symbol_address "$dir/fw.elf" fake_w)
    a=$(symbol_address "$dir/fw.elf" fake_arena)
    in_range "${w:-0}" $weights_lo $weights_hi && in_range "${a:-0}" $arena_lo $arena_hi
    check $? "$board fake: weights at 0x$w, arena at 0x$a"

    "$check_tool" fake-input "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    log="$dir/console.log"
    [ "$rc" -eq 0 ] && grep -qx "SQ_DONE 0" "$log"
    check $? "$board fake: run exits 0 with SQ_DONE 0 (status $rc)"
    "$check_tool" fake-output "$dir/input.bin" "$dir/output.bin"
    check $? "$board fake: output.bin is exactly the formula"
    "$check_tool" fake-trace "$dir/input.bin" "$dir/trace.bin"
    check $? "$board fake: trace.bin records scale/dense/relu exactly"

    layers=$(sed -n 's/^SQ_LAYER \([^ ]*\) [0-9][0-9]*$/\1/p' "$log" | tr '\n' ' ')
    total=$(value SQ_INSTRUCTIONS "$log")
    sum=$(awk '$1 == "SQ_LAYER" { s += $3 } END { print s + 0 }' "$log")
    [ "$layers" = "scale dense relu " ] && [ -n "$total" ] && [ "$sum" -le "$total" ] && [ "$total" -gt 0 ] &&
        grep -Eqx "SQ_INSTRUCTIONS [0-9]+" "$log" && grep -Eqx "SQ_STACK [0-9]+" "$log"
    check $? "$board fake: SQ_LAYER ($layers), sum $sum <= SQ_INSTRUCTIONS $total, SQ_STACK"

    cp "$log" "$dir/first.log"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    cmp -s "$dir/first.log" "$log"
    check $? "$board fake: second run prints the same counts (SQ_INSTRUCTIONS $(value SQ_INSTRUCTIONS "$log"))"

    rm -f "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    [ "$rc" -eq 2 ] && grep -qx "SQ_DONE 2" "$log" && grep -q "cannot open input.bin" "$log"
    check $? "$board fake: missing input.bin -> exit 2 (status $rc)"

    "$check_tool" fake-input "$dir/full.bin"
    head -c 44 "$dir/full.bin" > "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    r1=$rc
    { cat "$dir/full.bin" "$dir/full.bin"; head -c 44 "$dir/full.bin"; } > "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    [ "$r1" -eq 2 ] && [ "$rc" -eq 2 ] && grep -qx "SQ_DONE 2" "$log"
    check $? "$board fake: short input.bin / partial last input -> exit 2 (status $r1, $rc)"

    # A batch (squeezec eval): two inputs, one start, both outputs in order;
    # the first run is the one counted.
    cp "$dir/full.bin" "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    cp "$dir/output.bin" "$dir/single.bin"
    single=$(value SQ_INSTRUCTIONS "$log")
    cat "$dir/full.bin" "$dir/full.bin" > "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    [ "$rc" -eq 0 ] && grep -qx "SQ_RUNS 2" "$log" && cat "$dir/single.bin" "$dir/single.bin" | cmp -s - "$dir/output.bin" &&
        [ "$(value SQ_INSTRUCTIONS "$log")" = "$single" ]
    check $? "$board fake: batch of two inputs -> two outputs, SQ_RUNS 2, first run counted (status $rc)"

    "$check_tool" fake-fail-input "$dir/input.bin"
    run_fw "$board" "$dir/fw.elf" "$dir" 60
    [ "$rc" -eq 4 ] && grep -qx "SQ_DONE 4" "$log" && grep -q "model returned 5" "$log"
    check $? "$board fake: model returning 5 -> exit 4 (status $rc)"

    # Stack high-water mark: the fake model touches an 8 KiB local buffer.
    sdir="$build/$board/stack"
    # shellcheck disable=SC2086
    # netduinoplus2 reserves only 8 KiB of stack: given 16 KiB here.
    stack_flags=""
    [ "$board" = netduinoplus2 ] && stack_flags="-Wl,--defsym=sq_stack_size=16384"
    if build_fw "$board" "$sdir" "$FAKE_DEFS -DFAKE_STACK_BYTES=8192" "$stack_flags" $FAKE_SOURCES; then
        "$check_tool" fake-input "$sdir/input.bin"
        run_fw "$board" "$sdir/fw.elf" "$sdir" 60
        stack=$(value SQ_STACK "$sdir/console.log")
        [ "$rc" -eq 0 ] && [ -n "$stack" ] && [ "$stack" -ge 8192 ] && [ "$stack" -le 12288 ]
        check $? "$board stack: 8 KiB buffer -> SQ_STACK $stack (status $rc)"
    else
        fail "$board stack: build"
    fi

    # Stack overflow: a 20000-byte buffer in a 16 KiB stack.
    odir="$build/$board/overflow"
    # shellcheck disable=SC2086
    if build_fw "$board" "$odir" "$FAKE_DEFS -DFAKE_STACK_BYTES=20000" "-Wl,--defsym=sq_stack_size=16384" $FAKE_SOURCES; then
        "$check_tool" fake-input "$odir/input.bin"
        run_fw "$board" "$odir/fw.elf" "$odir" 60
        [ "$rc" -eq 3 ] && { grep -q "^SQ_FAULT pc=" "$odir/console.log" || grep -qx "SQ_DONE 3" "$odir/console.log"; }
        check $? "$board stack overflow -> exit 3 (status $rc: $(grep -E '^(SQ_FAULT|harness: stack)' "$odir/console.log" | head -n 1))"
    else
        fail "$board stack overflow: build"
    fi

    # Oversized arena (200000 floats = 800 KB): DTCM on mps3-an547 cannot
    # hold it, so the link must fail; PSRAM on mps2 can.
    bdir="$build/$board/big-arena"
    # shellcheck disable=SC2086
    build_fw "$board" "$bdir" "$FAKE_DEFS -DFAKE_ARENA_FLOATS=200000" "" $FAKE_SOURCES
    brc=$?
    if [ "$board" = mps3-an547 ] || [ "$board" = netduinoplus2 ]; then
        [ "$brc" -ne 0 ] && grep -q "region \`\(DTCM\|SRAM\)' overflowed" "$bdir/build.log"
        check $? "$board big arena (800 KB): link fails: $(grep -m1 'overflowed' "$bdir/build.log" | sed 's/.*: //')"
    else
        ok=1
        if [ "$brc" -eq 0 ]; then
            "$check_tool" fake-input "$bdir/input.bin"
            run_fw "$board" "$bdir/fw.elf" "$bdir" 60
            [ "$rc" -eq 0 ] && "$check_tool" fake-output "$bdir/input.bin" "$bdir/output.bin" && ok=0
        fi
        check $ok "$board big arena (800 KB) in PSRAM: links and runs"
    fi

    # Calibration: spin loops of known length; counted must be within one tick.
    cdir="$build/$board/calibrate"
    build_fw "$board" "$cdir" "" "" $FW_SOURCES "$here/sq_calibrate.c"
    if [ $? -eq 0 ]; then
        run_fw "$board" "$cdir/fw.elf" "$cdir" 120
        ratio=$(awk '$1 == "SQ_CALIBRATE" { r = $2 / $3 } END { printf "%.4f", r }' "$cdir/console.log")
        # Within one tick; on netduinoplus2 (168 MHz: 5.95 instructions a
        # tick, a SysTick wrap every 100 M instructions) the measurement's
        # own instructions (about 17) and the wrap interrupts (about 8 each)
        # exceed a tick: within 100 instructions there.
        slack=0
        [ "$board" = netduinoplus2 ] && slack=100
        bad=$(awk -v slack=$slack '$1 == "SQ_CALIBRATE" { n++; d = $4 - $2; if (d < 0) d = -d; t = $2 / $3 + 1; if (t < slack) t = slack; if (d > t) b++ }
                   END { if (n != 4) print "missing"; else print b + 0 }' "$cdir/console.log")
        [ "$rc" -eq 0 ] && [ "$bad" = 0 ]
        check $? "$board calibrate: $ratio instructions/tick; counts within $( [ $slack = 0 ] && echo "one tick" || echo "$slack instructions") of 2M..800M: $(awk '$1 == "SQ_CALIBRATE" { printf "%s->%s ", $2, $4 }' "$cdir/console.log")"
    else
        fail "$board calibrate: build"
    fi

    # Faults: a load nothing answers, a branch to an ARM-state address.
    for ft in 1 2; do
        fdir="$build/$board/fault$ft"
        # shellcheck disable=SC2086
        if build_fw "$board" "$fdir" "$FAKE_DEFS -DSQ_FAULT_TEST=$ft" "" $FAKE_SOURCES; then
            "$check_tool" fake-input "$fdir/input.bin"
            run_fw "$board" "$fdir/fw.elf" "$fdir" 60
            line=$(grep -E "^SQ_FAULT pc=0x[0-9a-f]{8} cfsr=0x[0-9a-f]{8} bfar=0x[0-9a-f]{8}$" "$fdir/console.log")
            case $ft in
                1) expect="bfar=$fault_address" ;;
                2) expect="cfsr=0x00020000" ;;
            esac
            [ "$rc" -eq 3 ] && [ -n "$line" ] && echo "$line" | grep -q "$expect"
            check $? "$board fault test $ft -> exit 3 (status $rc): $line"
        else
            fail "$board fault test $ft: build"
        fi
    done
}

for board in $boards; do
    fake_tests "$board"
done

# ---------------------------------------------------------------------------
# Real generated models
# ---------------------------------------------------------------------------

# model_define DIR PREFIX NAME: a #define from the generated header.
model_define() {
    sed -n "s/^#define $2_$3 \([0-9][0-9]*\).*/\1/p" "$1/$(echo "$2" | tr 'A-Z' 'a-z').h"
}

gen64=""
if [ -x "$squeezec" ]; then
    gen64="$build/gen64"
    if "$squeezec" generate squeezenet1.1 --input-size 64 --classes 10 -o "$gen64" >"$build/gen64.log" 2>&1; then
        pass "squeezec generate squeezenet1.1 --input-size 64 --classes 10"
    else
        fail "squeezec generate squeezenet1.1 64x64 (see $build/gen64.log)"
        gen64=""
    fi
elif [ -f /tmp/gen64/model.h ]; then
    gen64=/tmp/gen64
    echo "NOTE squeezec not found at $squeezec: using the model in /tmp/gen64"
else
    echo "SKIP real-model tests: no squeezec at $squeezec and no /tmp/gen64"
fi

# host_reference GEN PREFIX INPUT OUTDIR: host build of the same C with
# Templates/sq_host_main.c; writes OUTDIR/host_output.bin, host_trace.bin.
host_reference() {
    h_defs="-DSQ_MODEL_HEADER=\"$2.h\" -DSQ_RUN=$2_run -DSQ_INPUT_COUNT=$(echo "$2" | tr 'a-z' 'A-Z')_INPUT_COUNT -DSQ_OUTPUT_COUNT=$(echo "$2" | tr 'a-z' 'A-Z')_OUTPUT_COUNT"
    mkdir -p "$4"
    # shellcheck disable=SC2086
    gcc -O2 -std=c99 -Wall -Wextra -Werror -pedantic -DSQ_TRACE -I"$1" $h_defs \
        "$root/Templates/sq_host_main.c" "$1/$2.c" "$1/$2_weights.c" "$1/$2_arena.c" \
        -o "$4/host_harness" -lm >"$4/host_build.log" 2>&1 &&
        "$4/host_harness" "$3" "$4/host_output.bin" "$4/host_trace.bin"
}

if [ -n "$gen64" ]; then
    ref="$build/host64"
    "$check_tool" random 12288 12345 "$build/input64.bin"
    host_reference "$gen64" model "$build/input64.bin" "$ref"
    check $? "host reference build and run of the 64x64 model"
    MODEL_DEFS="-I$gen64 -DSQ_MODEL_HEADER=\"model.h\" -DSQ_RUN=model_run -DSQ_INPUT_COUNT=MODEL_INPUT_COUNT -DSQ_OUTPUT_COUNT=MODEL_OUTPUT_COUNT"
    MODEL_SOURCES="$FW_SOURCES $fw/common/sq_harness.c $gen64/model.c $gen64/model_weights.c $gen64/model_arena.c"
    weight_bytes=$(model_define "$gen64" MODEL WEIGHT_BYTES)
    arena_bytes=$(model_define "$gen64" MODEL ARENA_BYTES)
    summary=""
    for board in $boards; do
        # Its 1 MiB of flash cannot hold these 2.9 MB of fp32 weights
        # (NewBoardsFirmwareTests validate smaller models there).
        [ "$board" = netduinoplus2 ] && continue
        board_regions "$board"
        dir="$build/$board/model64"
        # shellcheck disable=SC2086
        build_fw "$board" "$dir" "$MODEL_DEFS -DSQ_PROFILE" "" $MODEL_SOURCES
        check $? "$board squeezenet1.1 64x64: build (SQ_PROFILE)" || continue
        ws=$(section_size "$dir/fw.elf" .weights)
        as=$(section_size "$dir/fw.elf" .arena)
        w=$(symbol_address "$dir/fw.elf" model_w_conv1_weight)
        a=$(symbol_address "$dir/fw.elf" model_arena)
        [ $((0x${ws:-0})) -ge "$weight_bytes" ] && [ $((0x${as:-0})) -ge "$arena_bytes" ] &&
            in_range "${w:-0}" $weights_lo $weights_hi && in_range "${a:-0}" $arena_lo $arena_hi
        check $? "$board squeezenet1.1 64x64: .weights $((0x${ws:-0})) B at 0x$w, .arena $((0x${as:-0})) B at 0x$a"

        cp "$build/input64.bin" "$dir/input.bin"
        run_fw "$board" "$dir/fw.elf" "$dir"
        log="$dir/console.log"
        n=$(value SQ_INSTRUCTIONS "$log")
        stack=$(value SQ_STACK "$log")
        layers=$(grep -c '^SQ_LAYER ' "$log")
        [ "$rc" -eq 0 ] && grep -qx "SQ_DONE 0" "$log" && [ -n "$n" ] && [ -n "$stack" ] && [ "$layers" -ge 1 ]
        check $? "$board squeezenet1.1 64x64: runs, SQ_INSTRUCTIONS $n, SQ_STACK $stack, $layers SQ_LAYER lines, SQ_DONE 0 (status $rc)"
        "$check_tool" compare "$ref/host_output.bin" "$dir/output.bin" 1e-5 >"$dir/compare.log"
        check $? "$board squeezenet1.1 64x64: output.bin matches the host within 1e-5 of the range ($(cat "$dir/compare.log"))"
        cp "$log" "$dir/first.log"
        run_fw "$board" "$dir/fw.elf" "$dir"
        [ "$(value SQ_INSTRUCTIONS "$log")" = "$n" ] && cmp -s "$dir/first.log" "$log"
        check $? "$board squeezenet1.1 64x64: second run, same counts"
        echo "MEASURE squeezenet1.1 64x64 10 classes on $board: $n instructions, stack $stack bytes"
        summary="$summary$board=$n "

        tdir="$build/$board/model64-trace"
        # shellcheck disable=SC2086
        if build_fw "$board" "$tdir" "$MODEL_DEFS -DSQ_TRACE" "" $MODEL_SOURCES; then
            cp "$build/input64.bin" "$tdir/input.bin"
            run_fw "$board" "$tdir/fw.elf" "$tdir"
            [ "$rc" -eq 0 ] && "$check_tool" compare-trace "$ref/host_trace.bin" "$tdir/trace.bin" 1e-5 >"$tdir/compare.log"
            check $? "$board squeezenet1.1 64x64: trace.bin matches the host per layer ($(grep -c floats "$tdir/compare.log") records)"
        else
            fail "$board squeezenet1.1 64x64: trace build"
        fi
    done
    [ -n "$summary" ] && echo "MEASURE squeezenet1.1 64x64 instructions: $summary"
fi

# Full size: 224x224, 1000 classes (arena about 2.3 MB, weights 4.9 MB),
# generated with --prefix sqz, which also exercises the API prefix.
if [ "$full" = 1 ] && [ -x "$squeezec" ]; then
    gen224="$build/gen224"
    # The layer schedule: its 2.3 MB arena must overflow mps3-an547 DTCM at link time.
    if "$squeezec" generate squeezenet1.1 --schedule layer --prefix sqz -o "$gen224" >"$build/gen224.log" 2>&1; then
        BIG_DEFS="-I$gen224 -DSQ_MODEL_HEADER=\"sqz.h\" -DSQ_RUN=sqz_run -DSQ_INPUT_COUNT=SQZ_INPUT_COUNT -DSQ_OUTPUT_COUNT=SQZ_OUTPUT_COUNT"
        BIG_SOURCES="$FW_SOURCES $fw/common/sq_harness.c $gen224/sqz.c $gen224/sqz_weights.c $gen224/sqz_arena.c"
        for board in $boards; do
            dir="$build/$board/model224"
            case $board in
                mps3-an547)
                    # shellcheck disable=SC2086
                    build_fw "$board" "$dir" "$BIG_DEFS" "" $BIG_SOURCES
                    brc=$?
                    [ "$brc" -ne 0 ] && grep -q "region \`DTCM' overflowed" "$dir/build.log"
                    check $? "$board squeezenet1.1 224x224 (arena $(model_define "$gen224" SQZ ARENA_BYTES) B): link fails: $(grep -m1 'overflowed' "$dir/build.log" | sed 's/.*: //')"
                    ;;
                mps2-an386)
                    "$check_tool" random 150528 777 "$build/input224.bin"
                    host_reference "$gen224" sqz "$build/input224.bin" "$build/host224"
                    check $? "host reference build and run of the 224x224 model"
                    # shellcheck disable=SC2086
                    build_fw "$board" "$dir" "$BIG_DEFS" "" $BIG_SOURCES
                    check $? "$board squeezenet1.1 224x224: build (weights and arena in PSRAM)" || continue
                    cp "$build/input224.bin" "$dir/input.bin"
                    run_fw "$board" "$dir/fw.elf" "$dir"
                    n=$(value SQ_INSTRUCTIONS "$dir/console.log")
                    : > "$dir/compare.log"
                    [ "$rc" -eq 0 ] && grep -qx "SQ_DONE 0" "$dir/console.log" &&
                        "$check_tool" compare "$build/host224/host_output.bin" "$dir/output.bin" 1e-5 >"$dir/compare.log"
                    check $? "$board squeezenet1.1 224x224: runs (status $rc), matches the host within 1e-5 ($(cat "$dir/compare.log"))"
                    echo "MEASURE squeezenet1.1 224x224 1000 classes on $board: $n instructions, stack $(value SQ_STACK "$dir/console.log") bytes"
                    ;;
            esac
        done
    else
        fail "squeezec generate squeezenet1.1 224x224 (see $build/gen224.log)"
    fi
elif [ "$full" = 1 ]; then
    echo "SKIP 224x224 tests: no squeezec at $squeezec"
fi

finish

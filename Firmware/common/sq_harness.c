/*
 * sq_harness.c - firmware test harness for generated models (QEMU boards).
 *
 * The firmware counterpart of Templates/sq_host_main.c. Through semihosting
 * (host files relative to QEMU's current directory) it reads input.bin
 * (one or more inputs of SQ_INPUT_COUNT little-endian values each: floats,
 * or int8 codes with -DSQ_ELEM_T=int8_t), runs the model on each in turn
 * (a batch: `squeezec eval` starts one QEMU per batch), counting the
 * instructions of the first run, writes output.bin (SQ_OUTPUT_COUNT values
 * per input, in order) and prints, one per line on the semihosting console:
 *   SQ_LAYER <name> <instructions>     per step of the first run, only with -DSQ_PROFILE
 *   SQ_INSTRUCTIONS <n>                the first SQ_RUN call
 *   SQ_RUNS <n>                        inputs run
 *   SQ_STACK <bytes>                   stack high-water mark
 *   SQ_DONE <status>
 * then exits with <status>: 0 success, 2 input/output file error,
 * 3 fault (printed by the fault handler as SQ_FAULT ..., which exits at
 * once, without SQ_DONE) or a stack overflow found after the run (the
 * high-water mark reached the bottom of the stack region: SQ_DONE 3),
 * 4 the model returned non-zero.
 *
 * Compile with
 *   -DSQ_MODEL_HEADER='"model.h"' -DSQ_RUN=model_run
 *   -DSQ_INPUT_COUNT=MODEL_INPUT_COUNT -DSQ_OUTPUT_COUNT=MODEL_OUTPUT_COUNT
 * and optionally -DSQ_PROFILE, -DSQ_TRACE (also for the model sources):
 * with SQ_TRACE every step's output (first input only) is appended to trace.bin as uint32
 * name length, name bytes, uint32 count, count values.
 * Models generated with --row-input (-DSQ_RUN_ROWS=model_run_rows
 * -DSQ_INPUT_H=MODEL_INPUT_H -DSQ_ROW_COUNT=MODEL_INPUT_ROW_COUNT
 * -DSQ_RING_ROWS=MODEL_INPUT_RING_ROWS) run through their row entry point:
 * the row function reads each row from input.bin over semihosting straight
 * into the model's input ring, checking rows come in order, each once, each
 * into its ring slot. The harness then keeps no input image, only the first
 * row of the next input (to find the end of a batch).
 * -DSQ_FAULT_TEST=1 (bad load) or =2 (branch to an ARM-state address)
 * faults on purpose before the model runs, to test the fault path.
 */
#include <stdint.h>

#include "sq_board.h"
#include "sq_cycles.h"
#include "sq_semihost.h"
#include "sq_startup.h"

#include SQ_MODEL_HEADER

/* The element type of the model's input, output and traced values: float,
 * or int8_t for int8 models (-DSQ_ELEM_T=int8_t). */
#ifndef SQ_ELEM_T
#define SQ_ELEM_T float
#endif
/* The element type of the input: SQ_ELEM_T, or uint8_t for --input-type uint8 (-DSQ_INPUT_T=uint8_t). */
#ifndef SQ_INPUT_T
#define SQ_INPUT_T SQ_ELEM_T
#endif

#define SQ_EXIT_OK 0
#define SQ_EXIT_IO 2
#define SQ_EXIT_FAULT 3
#define SQ_EXIT_MODEL 4

/* The caller's images, not the model's RAM: in their own section so a
 * board can keep them out of the model's memory (mps3-an547 puts them in
 * ISRAM, a stand-in for a camera frame buffer; elsewhere they are .bss). */
#ifdef SQ_RUN_ROWS
static SQ_INPUT_T sq_first_row[SQ_ROW_COUNT] __attribute__((section(".bss.sq_io"), aligned(16)));
#else
static SQ_INPUT_T sq_input[SQ_INPUT_COUNT] __attribute__((section(".bss.sq_io"), aligned(16)));
#endif
static SQ_ELEM_T sq_output[SQ_OUTPUT_COUNT] __attribute__((section(".bss.sq_io"), aligned(16)));

static void sq_print_line(const char *a, const char *b)
{
    char line[160];
    char *end = line + sizeof line;
    char *p = sq_fmt_str(line, end, a);
    p = sq_fmt_str(p, end, b);
    (void)sq_fmt_str(p, end, "\n");
    sq_sh_write0(line);
}

static void sq_print_u64(const char *label, uint64_t value)
{
    char number[24];
    (void)sq_fmt_u64(number, number + sizeof number, value);
    sq_print_line(label, number);
}

static int sq_done(int status)
{
    sq_print_u64("SQ_DONE ", (uint64_t)status);
    return status;
}

#ifdef SQ_TRACE
static int32_t sq_trace_handle = -1;

/* One trace record: uint32 name length, the name, int32 row (-1: the whole
 * value; a streamed value's rows arrive one record each), uint32 count, then
 * count elements. Little-endian target: the fields are written as they are. */
static void sq_trace_record(const char *name, int32_t row, const SQ_ELEM_T *data, int count)
{
    uint32_t length = 0;
    uint32_t n = (uint32_t)count;
    if (sq_trace_handle < 0) {
        return;
    }
    while (name[length] != '\0') {
        length++;
    }
    (void)sq_sh_write(sq_trace_handle, &length, 4u);
    (void)sq_sh_write(sq_trace_handle, name, length);
    (void)sq_sh_write(sq_trace_handle, &row, 4u);
    (void)sq_sh_write(sq_trace_handle, &n, 4u);
    (void)sq_sh_write(sq_trace_handle, data, n * (uint32_t)sizeof(SQ_ELEM_T));
}

void sq_trace(const char *name, const SQ_ELEM_T *data, int count);

void sq_trace(const char *name, const SQ_ELEM_T *data, int count)
{
    sq_trace_record(name, -1, data, count);
}

void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count);

/* One row of a streamed value. */
void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count)
{
    sq_trace_record(name, (int32_t)row, data, count);
}
#endif

#ifdef SQ_PROFILE
/* One entry per profiled step: the runner passes the model's count. */
#ifndef SQ_PROFILE_MAX
#define SQ_PROFILE_MAX 512
#endif
static const char *sq_profile_names[SQ_PROFILE_MAX];
static uint64_t sq_profile_ticks[SQ_PROFILE_MAX];
static int sq_profile_count;
static uint64_t sq_profile_last;
/* Only the first input of a batch is profiled. */
static int sq_profile_on = 1;

void sq_profile(const char *name);

/* Same name? The generated code passes string literals, so equal names
 * are usually the same pointer; compare the text when they are not. */
static int sq_same_name(const char *a, const char *b)
{
    if (a == b) {
        return 1;
    }
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Adds the ticks since the previous hook (or the start of SQ_RUN) to the
 * named step. Streaming code calls this once per row per stage, so entries
 * are kept per name, in the order names first appear. */
void sq_profile(const char *name)
{
    uint64_t now;
    int i;
    if (!sq_profile_on) {
        return;
    }
    now = sq_cycles_ticks();
    for (i = sq_profile_count - 1; i >= 0; i--) {
        if (sq_same_name(sq_profile_names[i], name)) {
            break;
        }
    }
    if (i < 0 && sq_profile_count < SQ_PROFILE_MAX) {
        i = sq_profile_count++;
        sq_profile_names[i] = name;
        sq_profile_ticks[i] = 0;
    }
    if (i >= 0) {
        sq_profile_ticks[i] += now - sq_profile_last;
    }
    sq_profile_last = now;
}
#endif

static int32_t sq_input_handle = -1;
static int32_t sq_output_handle = -1;

static void sq_print_size_error(const char *path)
{
    char text[112];
    char *end = text + sizeof text;
    char *p = sq_fmt_str(text, end, path);
    p = sq_fmt_str(p, end, " must hold a whole number of inputs of ");
    p = sq_fmt_u64(p, end, (uint64_t)SQ_INPUT_COUNT);
    (void)sq_fmt_str(p, end, " values");
    sq_print_line("harness: ", text);
}

static int sq_open_files(void)
{
    sq_input_handle = sq_sh_open("input.bin", SQ_OPEN_READ_BINARY);
    if (sq_input_handle < 0) {
        sq_print_line("harness: cannot open ", "input.bin");
        return -1;
    }
    sq_output_handle = sq_sh_open("output.bin", SQ_OPEN_WRITE_BINARY);
    if (sq_output_handle < 0) {
        sq_print_line("harness: cannot create ", "output.bin");
        return -1;
    }
    return 0;
}

#ifdef SQ_RUN_ROWS
static int sq_next_row;
static SQ_INPUT_T *sq_ring_base;

static void sq_print_row_error(const char *what, int row)
{
    char number[24];
    (void)sq_fmt_u64(number, number + sizeof number, (uint64_t)(uint32_t)row);
    sq_print_line(what, number);
}

/* The row function: row 0 from sq_first_row, the others from input.bin,
 * straight into the ring slot dst. */
static int sq_fetch_row(void *ctx, int row, SQ_INPUT_T *dst)
{
    const uint32_t bytes = (uint32_t)SQ_ROW_COUNT * (uint32_t)sizeof(SQ_INPUT_T);
    (void)ctx;
    if (row != sq_next_row) {
        sq_print_row_error("harness: out of order: row ", row);
        return 1;
    }
    if (row == 0) {
        int i;
        sq_ring_base = dst;
        for (i = 0; i < SQ_ROW_COUNT; i++) {
            dst[i] = sq_first_row[i];
        }
    } else if ((const char *)dst != (const char *)sq_ring_base + (uint32_t)(row % SQ_RING_ROWS) * (uint32_t)SQ_ROW_COUNT * (uint32_t)sizeof(SQ_ELEM_T)) {
        /* Ring slots hold SQ_ELEM_T rows (a uint8 row is written at the same place in each slot). */
        sq_print_row_error("harness: not in its ring slot: row ", row);
        return 1;
    } else if (sq_sh_read(sq_input_handle, dst, bytes) != 0u) {
        sq_print_size_error("input.bin");
        return 1;
    }
    sq_next_row++;
    return 0;
}

static int sq_run_model(void)
{
    int status;
    sq_next_row = 0;
    status = SQ_RUN_ROWS(sq_fetch_row, NULL, sq_output);
    if (status == 0 && sq_next_row != SQ_INPUT_H) {
        sq_print_row_error("harness: rows fetched: ", sq_next_row);
        return -4;
    }
    return status;
}
#define SQ_INPUT_BUFFER sq_first_row
#define SQ_INPUT_BYTES ((uint32_t)SQ_ROW_COUNT * (uint32_t)sizeof(SQ_INPUT_T))
#else
static int sq_run_model(void)
{
    return SQ_RUN(sq_input, sq_output);
}
#define SQ_INPUT_BUFFER sq_input
#define SQ_INPUT_BYTES ((uint32_t)SQ_INPUT_COUNT * (uint32_t)sizeof(SQ_INPUT_T))
#endif

/* The next input of input.bin (with SQ_RUN_ROWS its first row; the others
 * are read as the model fetches them): 1 read, 0 end of file (after at
 * least one input), -1 error (no input at all, or a partial one). */
static int sq_read_input(int first)
{
    const uint32_t bytes = SQ_INPUT_BYTES;
    uint32_t missing = sq_sh_read(sq_input_handle, SQ_INPUT_BUFFER, bytes);
    if (missing == bytes && !first) {
        return 0;
    }
    if (missing != 0u) {
        sq_print_size_error("input.bin");
        return -1;
    }
    return 1;
}

static int sq_write_output(void)
{
    const uint32_t bytes = (uint32_t)SQ_OUTPUT_COUNT * (uint32_t)sizeof(SQ_ELEM_T);
    if (sq_sh_write(sq_output_handle, sq_output, bytes) != 0u) {
        sq_print_line("harness: cannot write ", "output.bin");
        return -1;
    }
    return 0;
}

static int sq_close_files(void)
{
    int status = 0;
    if (sq_input_handle >= 0) {
        (void)sq_sh_close(sq_input_handle);
        sq_input_handle = -1;
    }
    if (sq_output_handle >= 0) {
        if (sq_sh_close(sq_output_handle) != 0) {
            sq_print_line("harness: cannot write ", "output.bin");
            status = -1;
        }
        sq_output_handle = -1;
    }
    return status;
}

#ifdef SQ_FAULT_TEST
static void sq_fault_on_purpose(void)
{
#if SQ_FAULT_TEST == 2
    /* Bit 0 clear: the branch leaves Thumb state -> UsageFault INVSTATE. */
    void (*jump)(void) = (void (*)(void))(uintptr_t)0x00000100u;
    jump();
#else
    /* A load from an address nothing answers -> BusFault. */
    volatile uint32_t *bad = (volatile uint32_t *)(uintptr_t)SQ_BOARD_FAULT_ADDRESS;
    sq_print_u64("SQ_UNREACHABLE ", (uint64_t)*bad);
#endif
}
#endif

int main(void)
{
    uint64_t start = 0;
    uint64_t stop = 0;
    uint32_t stack;
    uint64_t runs = 0;
    int status = 0;
    int more;
    int exit_status = SQ_EXIT_OK;

    if (sq_open_files() != 0) {
        (void)sq_close_files();
        return sq_done(SQ_EXIT_IO);
    }
    more = sq_read_input(1);
    if (more < 0) {
        (void)sq_close_files();
        return sq_done(SQ_EXIT_IO);
    }
#ifdef SQ_TRACE
    sq_trace_handle = sq_sh_open("trace.bin", SQ_OPEN_WRITE_BINARY);
    if (sq_trace_handle < 0) {
        sq_print_line("harness: cannot create ", "trace.bin");
        (void)sq_close_files();
        return sq_done(SQ_EXIT_IO);
    }
#endif
#ifdef SQ_FAULT_TEST
    sq_fault_on_purpose();
#endif

    sq_cycles_start();
    /* Every input of input.bin (a batch: `squeezec eval`); the first one is
     * counted, profiled and traced. */
    while (more > 0) {
        uint64_t begin = sq_cycles_ticks();
#ifdef SQ_PROFILE
        sq_profile_last = begin;
#endif
        status = sq_run_model();
        if (runs == 0u) {
            start = begin;
            stop = sq_cycles_ticks();
#ifdef SQ_PROFILE
            sq_profile_on = 0;
#endif
#ifdef SQ_TRACE
            (void)sq_sh_close(sq_trace_handle);
            sq_trace_handle = -1;
#endif
        }
        runs++;
        if (status != 0) {
            break;
        }
        if (sq_write_output() != 0) {
            exit_status = SQ_EXIT_IO;
            break;
        }
        more = sq_read_input(0);
        if (more < 0) {
            exit_status = SQ_EXIT_IO;
        }
    }
    if (sq_close_files() != 0 && exit_status == SQ_EXIT_OK) {
        exit_status = SQ_EXIT_IO;
    }

    if (status != 0) {
        char number[24];
        char *p = number;
        uint32_t magnitude = (uint32_t)status;
        if (status < 0) {
            p = sq_fmt_str(p, number + sizeof number, "-");
            magnitude = 0u - magnitude;
        }
        (void)sq_fmt_u64(p, number + sizeof number, (uint64_t)magnitude);
        sq_print_line("harness: model returned ", number);
        exit_status = SQ_EXIT_MODEL;
    }

#ifdef SQ_PROFILE
    {
        int i;
        for (i = 0; i < sq_profile_count; i++) {
            char line[160];
            char *end = line + sizeof line;
            char *p = sq_fmt_str(line, end, "SQ_LAYER ");
            p = sq_fmt_str(p, end, sq_profile_names[i]);
            p = sq_fmt_str(p, end, " ");
            p = sq_fmt_u64(p, end, sq_cycles_to_instructions(sq_profile_ticks[i]));
            (void)sq_fmt_str(p, end, "\n");
            sq_sh_write0(line);
        }
    }
#endif
    sq_print_u64("SQ_INSTRUCTIONS ", sq_cycles_to_instructions(stop - start));
    sq_print_u64("SQ_RUNS ", runs);
    stack = sq_stack_high_water();
    sq_print_u64("SQ_STACK ", (uint64_t)stack);
    if (stack >= sq_stack_region_bytes()) {
        /*
         * The lowest word of the stack region was written: the stack
         * overflowed (Armv7-M has no stack limit register to catch it).
         */
        sq_print_u64("harness: stack overflow: the whole stack region was used, bytes: ",
                     (uint64_t)sq_stack_region_bytes());
        exit_status = SQ_EXIT_FAULT;
    }
    return sq_done(exit_status);
}

// Generated from Templates/ and Firmware/ by EmbeddedTemplatesTests; do not edit.
// Re-record: make templates (SQUEEZEC_RECORD=1 swift test --filter EmbeddedTemplatesTests).

enum EmbeddedTemplates {
    static let files: [String: String] = [
        "Firmware/common/sq_cycles.c": #"""
/*
 * sq_cycles.c - SysTick based instruction counter (see sq_cycles.h).
 */
#include "sq_board.h"
#include "sq_cycles.h"

#define SQ_SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SQ_SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SQ_SYST_CVR (*(volatile uint32_t *)0xE000E018u)

#define SQ_SYST_CSR_ENABLE (1u << 0)
#define SQ_SYST_CSR_TICKINT (1u << 1)
#define SQ_SYST_CSR_CLKSOURCE (1u << 2) /* 1 = core clock */

#define SQ_SYST_RELOAD 0x00FFFFFFu

static volatile uint32_t sq_systick_wraps;

void sq_systick_handler(void)
{
    sq_systick_wraps++;
}

void sq_cycles_start(void)
{
    SQ_SYST_CSR = 0u;
    sq_systick_wraps = 0u;
    SQ_SYST_RVR = SQ_SYST_RELOAD;
    SQ_SYST_CVR = 0u; /* any write clears the counter; it reloads on the next tick */
    SQ_SYST_CSR = SQ_SYST_CSR_ENABLE | SQ_SYST_CSR_TICKINT | SQ_SYST_CSR_CLKSOURCE;
}

uint64_t sq_cycles_ticks(void)
{
    uint32_t before;
    uint32_t after;
    uint32_t value;
    uint32_t phase;
    /* Retry if a wrap interrupt ran between the two reads of the wrap count. */
    do {
        before = sq_systick_wraps;
        value = SQ_SYST_CVR & SQ_SYST_RELOAD;
        after = sq_systick_wraps;
    } while (before != after);
    /*
     * The counter runs 0 (cleared at start), RELOAD, RELOAD-1, ..., 1, 0,
     * RELOAD, ...: a period of RELOAD+1 ticks whose last state is 0, where
     * the wrap interrupt fires. So after `wraps` interrupts the position in
     * the current period is 0 for value 0, else RELOAD + 1 - value.
     */
    phase = value == 0u ? 0u : SQ_SYST_RELOAD + 1u - value;
    return (uint64_t)before * ((uint64_t)SQ_SYST_RELOAD + 1u) + (uint64_t)phase;
}

uint64_t sq_cycles_to_instructions(uint64_t ticks)
{
    return ticks * (uint64_t)SQ_BOARD_INSTR_PER_TICK_NUM / (uint64_t)SQ_BOARD_INSTR_PER_TICK_DEN;
}
"""#,
        "Firmware/common/sq_cycles.h": #"""
/*
 * sq_cycles.h - deterministic instruction counting under QEMU -icount shift=0.
 *
 * With -icount shift=0 QEMU's virtual clock advances exactly 1 ns per
 * executed instruction. SysTick, clocked from the core clock, then ticks
 * once every (1e9 / core Hz) instructions: 40 on mps2 (25 MHz), 31.25 on
 * mps3-an547 (32 MHz). SysTick is 24 bits wide: it runs free with reload
 * 0xFFFFFF and its interrupt counts the wraps, which gives a 56-bit tick
 * count (about 671 M instructions per wrap on mps2).
 *
 * The ratio comes from the board header sq_board.h as the fraction
 * SQ_BOARD_INSTR_PER_TICK_NUM / SQ_BOARD_INSTR_PER_TICK_DEN.
 */
#ifndef SQ_CYCLES_H
#define SQ_CYCLES_H

#include <stdint.h>

/* Starts SysTick (core clock, reload 0xFFFFFF, wrap interrupt). */
void sq_cycles_start(void);

/* Ticks since sq_cycles_start (monotonic, wrap-safe). */
uint64_t sq_cycles_ticks(void);

/* Converts a tick count (a difference) into instructions for this board. */
uint64_t sq_cycles_to_instructions(uint64_t ticks);

/* SysTick exception handler (vector 15). */
void sq_systick_handler(void);

#endif /* SQ_CYCLES_H */
"""#,
        "Firmware/common/sq_harness.c": #"""
/*
 * sq_harness.c - firmware test harness for generated models (QEMU boards).
 *
 * The firmware counterpart of Templates/sq_host_main.c. Through semihosting
 * (host files relative to QEMU's current directory) it reads input.bin
 * (exactly SQ_INPUT_COUNT little-endian values: floats, or int8 codes with
 * -DSQ_ELEM_T=int8_t), runs the model once while
 * counting instructions, writes output.bin (SQ_OUTPUT_COUNT values) and
 * prints, one per line on the semihosting console:
 *   SQ_LAYER <name> <instructions>     per step, only with -DSQ_PROFILE
 *   SQ_INSTRUCTIONS <n>                the whole SQ_RUN call
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
 * with SQ_TRACE every step's output is appended to trace.bin as uint32
 * name length, name bytes, uint32 count, count values.
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

#define SQ_EXIT_OK 0
#define SQ_EXIT_IO 2
#define SQ_EXIT_FAULT 3
#define SQ_EXIT_MODEL 4

/* The caller's images, not the model's RAM: in their own section so a
 * board can keep them out of the model's memory (mps3-an547 puts them in
 * ISRAM, a stand-in for a camera frame buffer; elsewhere they are .bss). */
static SQ_ELEM_T sq_input[SQ_INPUT_COUNT] __attribute__((section(".bss.sq_io"), aligned(16)));
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

void sq_trace(const char *name, const SQ_ELEM_T *data, int count);

void sq_trace(const char *name, const SQ_ELEM_T *data, int count)
{
    uint32_t length = 0;
    uint32_t n = (uint32_t)count;
    if (sq_trace_handle < 0) {
        return;
    }
    while (name[length] != '\0') {
        length++;
    }
    /* Little-endian target: the uint32 fields are written as they are. */
    (void)sq_sh_write(sq_trace_handle, &length, 4u);
    (void)sq_sh_write(sq_trace_handle, name, length);
    (void)sq_sh_write(sq_trace_handle, &n, 4u);
    (void)sq_sh_write(sq_trace_handle, data, n * (uint32_t)sizeof(SQ_ELEM_T));
}

void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count);

/* One row of a streamed value, recorded under the name "<name>@<row>". */
void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count)
{
    char label[128];
    char digits[12];
    int length = 0;
    int d = 0;
    unsigned int v = (unsigned int)row;
    while (name[length] != '\0' && length < 100) {
        label[length] = name[length];
        length++;
    }
    label[length++] = '@';
    do {
        digits[d++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (d > 0) {
        label[length++] = digits[--d];
    }
    label[length] = '\0';
    sq_trace(label, data, count);
}
#endif

#ifdef SQ_PROFILE
#define SQ_PROFILE_MAX 512
static const char *sq_profile_names[SQ_PROFILE_MAX];
static uint64_t sq_profile_ticks[SQ_PROFILE_MAX];
static int sq_profile_count;
static uint64_t sq_profile_last;

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
    uint64_t now = sq_cycles_ticks();
    int i;
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

static int sq_read_input(void)
{
    const char *path = "input.bin";
    const uint32_t bytes = (uint32_t)SQ_INPUT_COUNT * (uint32_t)sizeof(SQ_ELEM_T);
    unsigned char extra;
    uint32_t missing;
    uint32_t beyond;
    int32_t h = sq_sh_open(path, SQ_OPEN_READ_BINARY);
    if (h < 0) {
        sq_print_line("harness: cannot open ", path);
        return -1;
    }
    missing = sq_sh_read(h, sq_input, bytes);
    beyond = sq_sh_read(h, &extra, 1u); /* 1 = nothing left, as required */
    (void)sq_sh_close(h);
    if (missing != 0u || beyond != 1u) {
        char text[96];
        char *end = text + sizeof text;
        char *p = sq_fmt_str(text, end, path);
        p = sq_fmt_str(p, end, " must hold exactly ");
        p = sq_fmt_u64(p, end, (uint64_t)SQ_INPUT_COUNT);
        (void)sq_fmt_str(p, end, " values");
        sq_print_line("harness: ", text);
        return -1;
    }
    return 0;
}

static int sq_write_output(void)
{
    const char *path = "output.bin";
    const uint32_t bytes = (uint32_t)SQ_OUTPUT_COUNT * (uint32_t)sizeof(SQ_ELEM_T);
    uint32_t missing;
    int32_t h = sq_sh_open(path, SQ_OPEN_WRITE_BINARY);
    if (h < 0) {
        sq_print_line("harness: cannot create ", path);
        return -1;
    }
    missing = sq_sh_write(h, sq_output, bytes);
    if (sq_sh_close(h) != 0 || missing != 0u) {
        sq_print_line("harness: cannot write ", path);
        return -1;
    }
    return 0;
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
    uint64_t start;
    uint64_t stop;
    uint32_t stack;
    int status;
    int exit_status = SQ_EXIT_OK;

    if (sq_read_input() != 0) {
        return sq_done(SQ_EXIT_IO);
    }
#ifdef SQ_TRACE
    sq_trace_handle = sq_sh_open("trace.bin", SQ_OPEN_WRITE_BINARY);
    if (sq_trace_handle < 0) {
        sq_print_line("harness: cannot create ", "trace.bin");
        return sq_done(SQ_EXIT_IO);
    }
#endif
#ifdef SQ_FAULT_TEST
    sq_fault_on_purpose();
#endif

    sq_cycles_start();
    start = sq_cycles_ticks();
#ifdef SQ_PROFILE
    sq_profile_last = start;
#endif
    status = SQ_RUN(sq_input, sq_output);
    stop = sq_cycles_ticks();

#ifdef SQ_TRACE
    (void)sq_sh_close(sq_trace_handle);
    sq_trace_handle = -1;
#endif
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
    } else if (sq_write_output() != 0) {
        exit_status = SQ_EXIT_IO;
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
"""#,
        "Firmware/common/sq_semihost.c": #"""
/*
 * sq_semihost.c - Arm semihosting calls (bkpt 0xab) and tiny text formatting.
 */
#include "sq_semihost.h"

int32_t sq_semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    /* The host may read or write any memory the argument block points to. */
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

static uint32_t sq_length(const char *s)
{
    uint32_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int32_t sq_sh_open(const char *path, uint32_t mode)
{
    uint32_t block[3];
    block[0] = (uint32_t)(uintptr_t)path;
    block[1] = mode;
    block[2] = sq_length(path);
    return sq_semihost_call(SQ_SYS_OPEN, block);
}

int32_t sq_sh_close(int32_t handle)
{
    uint32_t block[1];
    block[0] = (uint32_t)handle;
    return sq_semihost_call(SQ_SYS_CLOSE, block);
}

uint32_t sq_sh_read(int32_t handle, void *buf, uint32_t len)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)buf;
    block[2] = len;
    return (uint32_t)sq_semihost_call(SQ_SYS_READ, block);
}

uint32_t sq_sh_write(int32_t handle, const void *buf, uint32_t len)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)buf;
    block[2] = len;
    return (uint32_t)sq_semihost_call(SQ_SYS_WRITE, block);
}

void sq_sh_write0(const char *text)
{
    (void)sq_semihost_call(SQ_SYS_WRITE0, text);
}

void sq_sh_exit(uint32_t status)
{
    uint32_t block[2];
    block[0] = SQ_ADP_APPLICATION_EXIT;
    block[1] = status;
    for (;;) {
        /* Does not return under QEMU; loop in case a debugger resumes. */
        (void)sq_semihost_call(SQ_SYS_EXIT_EXTENDED, block);
    }
}

char *sq_fmt_str(char *dst, char *end, const char *s)
{
    while (*s != '\0' && dst < end - 1) {
        *dst++ = *s++;
    }
    *dst = '\0';
    return dst;
}

char *sq_fmt_u64(char *dst, char *end, uint64_t value)
{
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(value % 10u));
        value /= 10u;
    } while (value != 0u);
    while (n > 0 && dst < end - 1) {
        *dst++ = digits[--n];
    }
    *dst = '\0';
    return dst;
}

char *sq_fmt_hex32(char *dst, char *end, uint32_t value)
{
    static const char hex[] = "0123456789abcdef";
    char text[11];
    int i;
    text[0] = '0';
    text[1] = 'x';
    for (i = 0; i < 8; i++) {
        text[2 + i] = hex[(value >> (28 - 4 * i)) & 0xFu];
    }
    text[10] = '\0';
    return sq_fmt_str(dst, end, text);
}
"""#,
        "Firmware/common/sq_semihost.h": #"""
/*
 * sq_semihost.h - Arm semihosting for the squeezec firmware (QEMU, M-profile).
 *
 * Every call is a `bkpt 0xab` with the operation number in r0 and a pointer
 * to the argument block (or, for SYS_WRITE0, to the string) in r1; the
 * result comes back in r0. QEMU must run with
 *   -semihosting-config enable=on,target=native[,chardev=ID]
 * otherwise the breakpoint is a debug event that escalates to a HardFault.
 * Host file names are relative to QEMU's current directory.
 */
#ifndef SQ_SEMIHOST_H
#define SQ_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

#define SQ_SYS_OPEN 0x01
#define SQ_SYS_CLOSE 0x02
#define SQ_SYS_WRITE0 0x04
#define SQ_SYS_WRITE 0x05
#define SQ_SYS_READ 0x06
#define SQ_SYS_EXIT_EXTENDED 0x20

/* ADP_Stopped_ApplicationExit: the reason code SYS_EXIT_EXTENDED reports. */
#define SQ_ADP_APPLICATION_EXIT 0x20026u

/* SYS_OPEN modes (index into the ISO C fopen mode strings). */
#define SQ_OPEN_READ_BINARY 1 /* "rb" */
#define SQ_OPEN_WRITE_BINARY 5 /* "wb" */

/* Raw call: op in r0, arg in r1, returns r0. */
int32_t sq_semihost_call(uint32_t op, const void *arg);

/* Opens a host file; returns a handle >= 0 or -1. */
int32_t sq_sh_open(const char *path, uint32_t mode);
/* Closes a handle; returns 0 or -1. */
int32_t sq_sh_close(int32_t handle);
/* Reads/writes len bytes; return the number of bytes NOT transferred (0 = all). */
uint32_t sq_sh_read(int32_t handle, void *buf, uint32_t len);
uint32_t sq_sh_write(int32_t handle, const void *buf, uint32_t len);
/* Writes a NUL-terminated string to the debug console. */
void sq_sh_write0(const char *text);
/* Ends the simulation; `status` becomes QEMU's exit status. */
void sq_sh_exit(uint32_t status) __attribute__((noreturn));

/*
 * Minimal line formatting (no stdio): each appends to dst, never writes past
 * end - 1, keeps dst NUL-terminated and returns the new end of the text.
 */
char *sq_fmt_str(char *dst, char *end, const char *s);
char *sq_fmt_u64(char *dst, char *end, uint64_t value);
char *sq_fmt_hex32(char *dst, char *end, uint32_t value); /* "0x" + 8 digits */

#endif /* SQ_SEMIHOST_H */
"""#,
        "Firmware/common/sq_startup.c": #"""
/*
 * sq_startup.c - vector table, reset handler and fault handling for the
 * squeezec firmware on Armv7-M / Armv8-M mainline cores under QEMU.
 *
 * The linker script (one per board) provides:
 *   sq_ld_stack_limit, sq_ld_stack_top   the main stack [limit, top)
 *   sq_ld_data_load                      load address of .data
 *   sq_ld_data_start, sq_ld_data_end     .data in RAM
 *   sq_ld_bss_start, sq_ld_bss_end       .bss in RAM (zeroed here)
 * and places `sq_vectors` (section .vectors) where the core fetches its
 * vector table after reset (VTOR reset value of the board).
 */
#include <stdint.h>

#include "sq_cycles.h"
#include "sq_semihost.h"
#include "sq_startup.h"

extern uint32_t sq_ld_stack_limit[];
extern uint32_t sq_ld_stack_top[];
extern uint32_t sq_ld_data_load[];
extern uint32_t sq_ld_data_start[];
extern uint32_t sq_ld_data_end[];
extern uint32_t sq_ld_bss_start[];
extern uint32_t sq_ld_bss_end[];

int main(void);

void sq_reset_handler(void) __attribute__((noreturn));
void sq_fault_handler(void) __attribute__((naked));

/* System control block registers. */
#define SQ_SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SQ_SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define SQ_SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SQ_SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)

/* SHCSR enables: MemManage, BusFault, UsageFault (and SecureFault on v8-M). */
#define SQ_SHCSR_MEMFAULTENA (1u << 16)
#define SQ_SHCSR_BUSFAULTENA (1u << 17)
#define SQ_SHCSR_USGFAULTENA (1u << 18)
#define SQ_SHCSR_SECUREFAULTENA (1u << 19)

/* CFSR bits telling that the exception frame could not be pushed. */
#define SQ_CFSR_MSTKERR (1u << 4)
#define SQ_CFSR_STKERR (1u << 12)
#define SQ_CFSR_STKOF (1u << 20) /* Armv8-M stack limit violation */

/* Armv8-M mainline: SecureFault exception and the MSPLIM stack limit. */
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define SQ_HAS_SECURITY_EXTENSION_VECTOR 1
#define SQ_HAS_STACK_LIMIT 1
#else
#define SQ_HAS_SECURITY_EXTENSION_VECTOR 0
#define SQ_HAS_STACK_LIMIT 0
#endif

/* ------------------------------------------------------------------------ */
/* Vector table                                                             */
/* ------------------------------------------------------------------------ */

typedef union {
    void (*handler)(void);
    uint32_t *stack_top;
} sq_vector_t;

/* 16 system exceptions + 32 external interrupts (none is enabled). */
#define SQ_VECTOR_COUNT 48

/* Every exception except reset and SysTick is a failure: report and exit. */
#define SQ_FAULT_VECTOR { .handler = sq_fault_handler }

__attribute__((section(".vectors"), used))
const sq_vector_t sq_vectors[SQ_VECTOR_COUNT] = {
    { .stack_top = sq_ld_stack_top },  /*  0 initial MSP */
    { .handler = sq_reset_handler },   /*  1 Reset */
    SQ_FAULT_VECTOR,                   /*  2 NMI */
    SQ_FAULT_VECTOR,                   /*  3 HardFault */
    SQ_FAULT_VECTOR,                   /*  4 MemManage */
    SQ_FAULT_VECTOR,                   /*  5 BusFault */
    SQ_FAULT_VECTOR,                   /*  6 UsageFault */
    SQ_FAULT_VECTOR,                   /*  7 SecureFault (v8-M) */
    SQ_FAULT_VECTOR,                   /*  8 reserved */
    SQ_FAULT_VECTOR,                   /*  9 reserved */
    SQ_FAULT_VECTOR,                   /* 10 reserved */
    SQ_FAULT_VECTOR,                   /* 11 SVCall */
    SQ_FAULT_VECTOR,                   /* 12 DebugMonitor */
    SQ_FAULT_VECTOR,                   /* 13 reserved */
    SQ_FAULT_VECTOR,                   /* 14 PendSV */
    { .handler = sq_systick_handler }, /* 15 SysTick */
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR,
    SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR, SQ_FAULT_VECTOR
};

/* ------------------------------------------------------------------------ */
/* Reset                                                                    */
/* ------------------------------------------------------------------------ */

void sq_reset_handler(void)
{
    uint32_t *src;
    uint32_t *dst;
    uint32_t sp;
    uint32_t shcsr;
    volatile uint32_t *paint;
    int status;

    /*
     * FPU (CP10, CP11 full access) first: the compiler may use FP or MVE
     * registers anywhere, even in the copy loops below.
     */
    SQ_SCB_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    src = sq_ld_data_load;
    for (dst = sq_ld_data_start; dst < sq_ld_data_end; dst++) {
        *dst = *src++;
    }
    for (dst = sq_ld_bss_start; dst < sq_ld_bss_end; dst++) {
        *dst = 0u;
    }

    /*
     * Paint the free stack below the current SP for the high-water mark.
     * Volatile stores, so this loop never becomes a memset call (which
     * would push its frame into the very region being painted).
     */
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (paint = sq_ld_stack_limit; (uint32_t)(uintptr_t)paint < sp; paint++) {
        *paint = SQ_STACK_PAINT;
    }

#if SQ_HAS_STACK_LIMIT
    /* Armv8-M: a push below the stack region is a UsageFault (STKOF). */
    __asm__ volatile("msr msplim, %0" : : "r"(sq_ld_stack_limit) : "memory");
#endif

    /* Report MemManage/BusFault/UsageFault as themselves, not as HardFault. */
    shcsr = SQ_SHCSR_MEMFAULTENA | SQ_SHCSR_BUSFAULTENA | SQ_SHCSR_USGFAULTENA;
#if SQ_HAS_SECURITY_EXTENSION_VECTOR
    shcsr |= SQ_SHCSR_SECUREFAULTENA;
#endif
    SQ_SCB_SHCSR |= shcsr;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    status = main();
    sq_sh_exit((uint32_t)status);
}

uint32_t sq_stack_high_water(void)
{
    const uint32_t *p = sq_ld_stack_limit;
    while (p < sq_ld_stack_top && *p == SQ_STACK_PAINT) {
        p++;
    }
    return (uint32_t)((uintptr_t)sq_ld_stack_top - (uintptr_t)p);
}

uint32_t sq_stack_region_bytes(void)
{
    return (uint32_t)((uintptr_t)sq_ld_stack_top - (uintptr_t)sq_ld_stack_limit);
}

/* ------------------------------------------------------------------------ */
/* Faults                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * Private stack for the fault report, so that a fault caused by a stack
 * overflow (or a corrupted SP) can still print. 1024 bytes: the handler
 * below hard-codes the size.
 */
#define SQ_FAULT_STACK_WORDS 256
uint32_t sq_fault_stack[SQ_FAULT_STACK_WORDS] __attribute__((aligned(8)));

/*
 * Entry for every unexpected exception: r0 = the stacked frame (MSP or PSP
 * according to EXC_RETURN bit 2), then switch to the fault stack (on
 * Armv8-M after lifting MSPLIM, which the fault stack lies below).
 */
#if SQ_HAS_STACK_LIMIT
#define SQ_CLEAR_STACK_LIMIT "movs r1, #0\n\tmsr msplim, r1\n\t"
#else
#define SQ_CLEAR_STACK_LIMIT ""
#endif

void sq_fault_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        SQ_CLEAR_STACK_LIMIT
        "movw r1, #:lower16:sq_fault_stack + 1024\n\t"
        "movt r1, #:upper16:sq_fault_stack + 1024\n\t"
        "mov sp, r1\n\t"
        "b sq_fault_report\n\t");
}

void sq_fault_report(const uint32_t *frame)
{
    char line[96];
    char *end = line + sizeof line;
    char *p = line;
    uint32_t cfsr = SQ_SCB_CFSR;
    uint32_t bfar = SQ_SCB_BFAR;
    uint32_t pc = 0u;

    /* Frame layout: r0 r1 r2 r3 r12 lr pc xpsr; unusable if stacking failed. */
    if ((cfsr & (SQ_CFSR_MSTKERR | SQ_CFSR_STKERR | SQ_CFSR_STKOF)) == 0u) {
        pc = frame[6];
    }
    p = sq_fmt_str(p, end, "SQ_FAULT pc=");
    p = sq_fmt_hex32(p, end, pc);
    p = sq_fmt_str(p, end, " cfsr=");
    p = sq_fmt_hex32(p, end, cfsr);
    p = sq_fmt_str(p, end, " bfar=");
    p = sq_fmt_hex32(p, end, bfar);
    (void)sq_fmt_str(p, end, "\n");
    sq_sh_write0(line);
    sq_sh_exit(3u);
}
"""#,
        "Firmware/common/sq_startup.h": #"""
/*
 * sq_startup.h - services of the startup code (sq_startup.c).
 */
#ifndef SQ_STARTUP_H
#define SQ_STARTUP_H

#include <stdint.h>

/* Value the reset handler writes over the whole free stack before main. */
#define SQ_STACK_PAINT 0x5AC3A55Cu

/*
 * Stack high-water mark in bytes: distance from the top of the stack to the
 * lowest word that no longer holds SQ_STACK_PAINT (includes the reset
 * handler's own frame and any interrupt frames).
 */
uint32_t sq_stack_high_water(void);

/* Size of the stack region in bytes (sq_stack_size in the linker script). */
uint32_t sq_stack_region_bytes(void);

/* Prints "SQ_FAULT pc=... cfsr=... bfar=..." and exits with status 3. */
void sq_fault_report(const uint32_t *frame) __attribute__((noreturn));

#endif /* SQ_STARTUP_H */
"""#,
        "Firmware/mps2-an386/mps2-an386.ld": #"""
/*
 * mps2-an386.ld - squeezec firmware on QEMU mps2-an386 (Cortex-M4F).
 *
 *   SSRAM1   0x00000000  4 MiB  vectors, code, small rodata, .data image
 *   SSRAM2/3 0x20000000  4 MiB  stack (at the bottom), .data, .bss
 *   PSRAM    0x21000000 16 MiB  model weights (*_weights.o .rodata) and the
 *                               model arena (*_arena.o .bss, not zeroed)
 *
 * Placement is by object file name, so the model's weights and arena must
 * be compiled to objects whose names end in _weights.o and _arena.o (one
 * object per source file, no LTO). Any region overflow is a link error.
 * Stack size: 64 KiB unless -Wl,--defsym=sq_stack_size=BYTES.
 */
MEMORY
{
    SSRAM1 (rwx) : ORIGIN = 0x00000000, LENGTH = 4M
    SSRAM23 (rwx) : ORIGIN = 0x20000000, LENGTH = 4M
    PSRAM (rwx) : ORIGIN = 0x21000000, LENGTH = 16M
}

ENTRY(sq_reset_handler)

PROVIDE(sq_stack_size = 0x10000);

SECTIONS
{
    /* VTOR resets to 0: the vector table must come first. */
    .vectors : { KEEP(*(.vectors)) } > SSRAM1

    /* Before .text/.bss so that these rules win over the generic ones. */
    .weights : ALIGN(16) { *_weights.o(.rodata .rodata.*) } > PSRAM
    .arena (NOLOAD) : ALIGN(16) { *_arena.o(.bss .bss.* COMMON) } > PSRAM

    .text : ALIGN(64)
    {
        *(.text .text.*)
        *(.rodata .rodata.*)
    } > SSRAM1

    .ARM.exidx : { *(.ARM.exidx* .gnu.linkonce.armexidx.*) } > SSRAM1

    /*
     * The stack comes first in SSRAM2/3: an overflow runs below 0x20000000,
     * out of RAM, instead of silently over .bss (there is no MSPLIM on
     * Armv7-M).
     */
    .stack (NOLOAD) : ALIGN(8)
    {
        sq_ld_stack_limit = .;
        . += sq_stack_size;
        . = ALIGN(8);
        sq_ld_stack_top = .;
    } > SSRAM23

    .data : ALIGN(8)
    {
        sq_ld_data_start = .;
        *(.data .data.*)
        . = ALIGN(4);
        sq_ld_data_end = .;
    } > SSRAM23 AT > SSRAM1
    sq_ld_data_load = LOADADDR(.data);

    /* The harness's input and output images (the caller's buffers, not the
     * model's RAM), kept apart so size reports can leave them out. */
    .sq_io (NOLOAD) : ALIGN(16) { *(.bss.sq_io) } > SSRAM23

    .bss (NOLOAD) : ALIGN(8)
    {
        sq_ld_bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(4);
        sq_ld_bss_end = .;
    } > SSRAM23
}
"""#,
        "Firmware/mps2-an386/sq_board.h": #"""
/* sq_board.h - constants of QEMU mps2-an386 (Cortex-M4F, 25 MHz). */
#ifndef SQ_BOARD_H
#define SQ_BOARD_H

#define SQ_BOARD_NAME "mps2-an386"

/* -icount shift=0 (1 ns per instruction), SysTick on the 25 MHz core clock. */
#define SQ_BOARD_INSTR_PER_TICK_NUM 40u
#define SQ_BOARD_INSTR_PER_TICK_DEN 1u

/* A load from here bus-faults (used by -DSQ_FAULT_TEST=1). */
#define SQ_BOARD_FAULT_ADDRESS 0xF0000000u

#endif /* SQ_BOARD_H */
"""#,
        "Firmware/mps2-an500/mps2-an500.ld": #"""
/*
 * mps2-an500.ld - squeezec firmware on QEMU mps2-an500 (Cortex-M7).
 *
 *   SSRAM1   0x00000000  4 MiB  vectors, code, small rodata, .data image
 *   SSRAM2/3 0x20000000  4 MiB  stack (at the bottom), .data, .bss
 *   PSRAM    0x60000000 16 MiB  model weights (*_weights.o .rodata) and the
 *                               model arena (*_arena.o .bss, not zeroed)
 *
 * Placement is by object file name, so the model's weights and arena must
 * be compiled to objects whose names end in _weights.o and _arena.o (one
 * object per source file, no LTO). Any region overflow is a link error.
 * Stack size: 64 KiB unless -Wl,--defsym=sq_stack_size=BYTES.
 */
MEMORY
{
    SSRAM1 (rwx) : ORIGIN = 0x00000000, LENGTH = 4M
    SSRAM23 (rwx) : ORIGIN = 0x20000000, LENGTH = 4M
    PSRAM (rwx) : ORIGIN = 0x60000000, LENGTH = 16M
}

ENTRY(sq_reset_handler)

PROVIDE(sq_stack_size = 0x10000);

SECTIONS
{
    /* VTOR resets to 0: the vector table must come first. */
    .vectors : { KEEP(*(.vectors)) } > SSRAM1

    /* Before .text/.bss so that these rules win over the generic ones. */
    .weights : ALIGN(16) { *_weights.o(.rodata .rodata.*) } > PSRAM
    .arena (NOLOAD) : ALIGN(16) { *_arena.o(.bss .bss.* COMMON) } > PSRAM

    .text : ALIGN(64)
    {
        *(.text .text.*)
        *(.rodata .rodata.*)
    } > SSRAM1

    .ARM.exidx : { *(.ARM.exidx* .gnu.linkonce.armexidx.*) } > SSRAM1

    /*
     * The stack comes first in SSRAM2/3: an overflow runs below 0x20000000,
     * out of RAM, instead of silently over .bss (there is no MSPLIM on
     * Armv7-M).
     */
    .stack (NOLOAD) : ALIGN(8)
    {
        sq_ld_stack_limit = .;
        . += sq_stack_size;
        . = ALIGN(8);
        sq_ld_stack_top = .;
    } > SSRAM23

    .data : ALIGN(8)
    {
        sq_ld_data_start = .;
        *(.data .data.*)
        . = ALIGN(4);
        sq_ld_data_end = .;
    } > SSRAM23 AT > SSRAM1
    sq_ld_data_load = LOADADDR(.data);

    /* The harness's input and output images (the caller's buffers, not the
     * model's RAM), kept apart so size reports can leave them out. */
    .sq_io (NOLOAD) : ALIGN(16) { *(.bss.sq_io) } > SSRAM23

    .bss (NOLOAD) : ALIGN(8)
    {
        sq_ld_bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(4);
        sq_ld_bss_end = .;
    } > SSRAM23
}
"""#,
        "Firmware/mps2-an500/sq_board.h": #"""
/* sq_board.h - constants of QEMU mps2-an500 (Cortex-M7, 25 MHz). */
#ifndef SQ_BOARD_H
#define SQ_BOARD_H

#define SQ_BOARD_NAME "mps2-an500"

/* -icount shift=0 (1 ns per instruction), SysTick on the 25 MHz core clock. */
#define SQ_BOARD_INSTR_PER_TICK_NUM 40u
#define SQ_BOARD_INSTR_PER_TICK_DEN 1u

/* A load from here bus-faults (used by -DSQ_FAULT_TEST=1). */
#define SQ_BOARD_FAULT_ADDRESS 0xF0000000u

#endif /* SQ_BOARD_H */
"""#,
        "Firmware/mps3-an547/mps3-an547.ld": #"""
/*
 * mps3-an547.ld - squeezec firmware on QEMU mps3-an547 (Cortex-M55, SSE-300).
 *
 * The core boots in Secure state and fetches its vector table at 0x10000000,
 * so everything is linked at the Secure aliases (address bit 28 set):
 *
 *   ITCM  0x10000000 (alias of 0x00000000) 512 KiB  vectors, code, small
 *                                                   rodata, .data image
 *   QSPI  0x38000000 (alias of 0x28000000)   8 MiB  model weights ("flash"):
 *                                                   *_weights.o .rodata
 *   DTCM  0x30000000 (alias of 0x20000000) 512 KiB  the ONLY RAM: .data,
 *                                                   .bss, model arena
 *                                                   (*_arena.o, not zeroed),
 *                                                   stack
 *   ISRAM 0x31000000 (alias of 0x21000000)   4 MiB  the harness's input and
 *                                                   output images only
 *                                                   (.bss.sq_io): the
 *                                                   caller's buffers
 *
 * The QSPI's Non-secure address 0x28000000 sits behind an MPC whose blocks
 * reset to Secure: a Secure-state access through it does not reach memory.
 *
 * Placement is by object file name, so the model's weights and arena must
 * be compiled to objects whose names end in _weights.o and _arena.o (one
 * object per source file, no LTO). Any region overflow is a link error:
 * an arena that does not fit in DTCM fails the link ("region `DTCM'
 * overflowed").
 * Stack size: 16 KiB unless -Wl,--defsym=sq_stack_size=BYTES.
 * DTCM budget: everything in DTCM (.data, arena, .bss, stack, laid out in
 * that order from its start) must fit in sq_dtcm_budget bytes, 512 KiB
 * unless -Wl,--defsym=sq_dtcm_budget=BYTES (the mps3-an547-dtcm128 board
 * gives the model 128 KiB, as a small MCU would).
 */
MEMORY
{
    ITCM (rx) : ORIGIN = 0x10000000, LENGTH = 512K
    QSPI (r) : ORIGIN = 0x38000000, LENGTH = 8M
    DTCM (rw) : ORIGIN = 0x30000000, LENGTH = 512K
    ISRAM (rw) : ORIGIN = 0x31000000, LENGTH = 4M
}

ENTRY(sq_reset_handler)

PROVIDE(sq_stack_size = 0x4000);
PROVIDE(sq_dtcm_budget = 512K);

SECTIONS
{
    /* VTOR_S resets to 0x10000000: the vector table must come first. */
    .vectors : { KEEP(*(.vectors)) } > ITCM

    /* Before .text/.bss so that these rules win over the generic ones. */
    .weights : ALIGN(16) { *_weights.o(.rodata .rodata.*) } > QSPI

    .text : ALIGN(64)
    {
        *(.text .text.*)
        *(.rodata .rodata.*)
    } > ITCM

    .ARM.exidx : { *(.ARM.exidx* .gnu.linkonce.armexidx.*) } > ITCM

    .data : ALIGN(8)
    {
        sq_ld_data_start = .;
        *(.data .data.*)
        . = ALIGN(4);
        sq_ld_data_end = .;
    } > DTCM AT > ITCM
    sq_ld_data_load = LOADADDR(.data);

    .arena (NOLOAD) : ALIGN(16) { *_arena.o(.bss .bss.* COMMON) } > DTCM

    /* The harness's input and output images (the caller's buffers, not the
     * model's RAM): ISRAM at its Secure alias, standing in for a frame buffer. */
    .sq_io (NOLOAD) : ALIGN(16) { *(.bss.sq_io) } > ISRAM

    .bss (NOLOAD) : ALIGN(8)
    {
        sq_ld_bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(4);
        sq_ld_bss_end = .;
    } > DTCM

    .stack (NOLOAD) : ALIGN(8)
    {
        sq_ld_stack_limit = .;
        . += sq_stack_size;
        . = ALIGN(8);
        sq_ld_stack_top = .;
    } > DTCM
}

ASSERT(sq_ld_stack_top - ORIGIN(DTCM) <= sq_dtcm_budget,
       "squeezec: DTCM budget exceeded: .data + arena + .bss + stack > sq_dtcm_budget")
"""#,
        "Firmware/mps3-an547/sq_board.h": #"""
/* sq_board.h - constants of QEMU mps3-an547 (Cortex-M55, SSE-300, 32 MHz). */
#ifndef SQ_BOARD_H
#define SQ_BOARD_H

#define SQ_BOARD_NAME "mps3-an547"

/* -icount shift=0 (1 ns per instruction), SysTick on the 32 MHz core clock. */
#define SQ_BOARD_INSTR_PER_TICK_NUM 125u
#define SQ_BOARD_INSTR_PER_TICK_DEN 4u

/* A load from here bus-faults (used by -DSQ_FAULT_TEST=1): just past DTCM. */
#define SQ_BOARD_FAULT_ADDRESS 0x30080000u

#endif /* SQ_BOARD_H */
"""#,
        "sq_common.h": #"""
/*
 * sq_common.h - portability macros shared by the squeezec C kernels and the
 * generated model sources.
 *
 * Plain C99, no library dependencies. Every macro has a fallback for
 * compilers that are neither GCC nor clang.
 */
#ifndef SQ_COMMON_H
#define SQ_COMMON_H

#include <stdint.h>

/*
 * SQ_INLINE: storage class and linkage for every kernel. Kernels live in a
 * header and are forced inline so that each call site, whose arguments are
 * literal constants in generated code, gets its own specialised copy
 * (loops with constant trip counts, strides folded into addressing).
 *
 * Forcing is only done when optimising (__OPTIMIZE__): at -O0 nothing is
 * constant-folded, and forced inlining of the nested kernel helpers would
 * blow each call site up to tens of kilobytes of code. Unoptimised builds
 * get one ordinary static copy of each kernel instead.
 */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define SQ_INLINE static inline __attribute__((always_inline))
#else
#define SQ_INLINE static inline
#endif

/*
 * SQ_NOINLINE: keeps a function out of its callers. Streamed int8 stages
 * compute their row in such a function, so the kernels' per-call stack
 * (the epilogue tables) is not held while the pull chain of `ensure_N`
 * functions recurses through the earlier stages.
 */
#if defined(__GNUC__) || defined(__clang__)
#define SQ_NOINLINE __attribute__((noinline))
#else
#define SQ_NOINLINE
#endif

/* SQ_RESTRICT: C99 `restrict`, spelled so the header also survives C++. */
#if defined(__cplusplus)
#if defined(__GNUC__) || defined(__clang__) || defined(_MSC_VER)
#define SQ_RESTRICT __restrict
#else
#define SQ_RESTRICT
#endif
#else
#define SQ_RESTRICT restrict
#endif

/* SQ_ALIGN(n): align a variable or buffer to n bytes (no-op if unknown). */
#if defined(__GNUC__) || defined(__clang__)
#define SQ_ALIGN(n) __attribute__((aligned(n)))
#else
#define SQ_ALIGN(n)
#endif

/* Minimum / maximum. Arguments are evaluated twice: pass plain values. */
#define SQ_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SQ_MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * SQ_FMA(a, b, c): a * b + c in float, fused when the target has a fast
 * single-precision FMA instruction (VFMA on Armv7E-M with FPv4/FPv5, i.e.
 * Cortex-M4F/M7/M33/M55, AArch64, x86 with -mfma); plain otherwise.
 *
 * Why explicit: GCC in the ISO C modes (-std=c99) never contracts
 * a * b + c (its -ffp-contract=off), and LLVM does not contract for
 * Cortex-M4 either, so the plain expression costs a VMUL and a VADD per
 * MAC. GCC expands __builtin_fmaf to one instruction; clang gets
 * __builtin_elementwise_fma, because its __builtin_fmaf turns into a call
 * to libm's fmaf() when errno-setting math is on (the default for
 * bare-metal Arm). Both compilers thus give the same arithmetic.
 *
 * Fused and unfused results differ only in the last bit of each rounding
 * step. Define SQ_FMA before including this header to override, e.g.
 * -D'SQ_FMA(a,b,c)=((a)*(b)+(c))' for VMUL + VADD on a Cortex-M4: its TRM
 * lists VFMA at 3 cycles and VMUL, VADD at 1 each, so that form executes
 * more instructions but may take fewer cycles.
 */
#if !defined(SQ_FMA)
#if defined(__ARM_FEATURE_FMA) || defined(__FMA__) || defined(__FP_FAST_FMAF)
#if defined(__clang__) && defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_fma)
#define SQ_FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#endif
#elif defined(__GNUC__) && !defined(__clang__)
#define SQ_FMA(a, b, c) __builtin_fmaf((a), (b), (c))
#endif
#endif
#if !defined(SQ_FMA)
#define SQ_FMA(a, b, c) ((a) * (b) + (c))
#endif
#endif

/* ==========================================================================
 * Kernel parameter structs
 *
 * Generated code describes every kernel call by a `static const` struct
 * with a constant initialiser and passes it by pointer. The kernels are
 * forced inline (SQ_INLINE), so an optimising compiler reads the fields as
 * constants and specialises each call exactly as if the numbers were
 * written in the call.
 * ========================================================================== */

/*
 * sq_dims: one feature map (NHWC, batch 1) as a kernel call sees it.
 * Element (row y, column x, channel ch) lives at
 *
 *     base[((y % ring) * w + x) * stride + ch]
 *
 * so `stride` > `c` addresses a channel slice of a wider map (pass
 * base + channel offset), and ring < h a ring of the last `ring` rows.
 */
typedef struct {
    int h;      /* rows of the whole map */
    int w;      /* columns */
    int c;      /* channels the call reads or writes */
    int stride; /* elements between consecutive pixels */
    int ring;   /* rows held in memory (== h: stored whole) */
} sq_dims;

/* sq_window: a convolution or pooling window. */
typedef struct {
    int k_h, k_w;         /* kernel (window) size */
    int s_h, s_w;         /* strides */
    int pad_t, pad_l;     /* top / left padding */
    int pad_b, pad_r;     /* bottom / right padding (average pooling only) */
} sq_window;

/* sq_pool_params: a max or average pooling call. */
typedef struct {
    sq_dims in;
    sq_dims out;
    sq_window win;
    int count_include_pad; /* average pooling: divide by the whole window */
} sq_pool_params;

/* sq_copy_params: a channel copy between two maps of the same width. */
typedef struct {
    sq_dims in;
    sq_dims out;
} sq_copy_params;

#endif /* SQ_COMMON_H */
"""#,
        "sq_host_main.c": #"""
/*
 * Host test harness for generated models (used by `squeezec validate --target host`).
 *
 *   harness INPUT.bin OUTPUT.bin [TRACE.bin]
 *
 * INPUT.bin holds SQ_INPUT_COUNT little-endian values (NHWC; float, or int8
 * codes with -DSQ_ELEM_T=int8_t); OUTPUT.bin gets SQ_OUTPUT_COUNT values. Built with -DSQ_TRACE, every layer's output is
 * appended to TRACE.bin as: uint32 name length, name bytes, uint32 count,
 * count values. Compile with:
 *   -DSQ_MODEL_HEADER='"model.h"' -DSQ_RUN=model_run
 *   -DSQ_INPUT_COUNT=MODEL_INPUT_COUNT -DSQ_OUTPUT_COUNT=MODEL_OUTPUT_COUNT
 * Exit status: 0 success, 2 usage or file error, 3 the model returned an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include SQ_MODEL_HEADER

/* The element type of the model's input, output and traced values: float,
 * or int8_t for int8 models (-DSQ_ELEM_T=int8_t). */
#ifndef SQ_ELEM_T
#define SQ_ELEM_T float
#endif

static SQ_ELEM_T sq_input[SQ_INPUT_COUNT];
static SQ_ELEM_T sq_output[SQ_OUTPUT_COUNT];

#ifdef SQ_TRACE
static FILE *sq_trace_file;

void sq_trace(const char *name, const SQ_ELEM_T *data, int count);

void sq_trace(const char *name, const SQ_ELEM_T *data, int count)
{
    uint32_t length = (uint32_t)strlen(name);
    uint32_t n = (uint32_t)count;
    if (sq_trace_file == NULL) {
        return;
    }
    fwrite(&length, sizeof length, 1, sq_trace_file);
    fwrite(name, 1, length, sq_trace_file);
    fwrite(&n, sizeof n, 1, sq_trace_file);
    fwrite(data, sizeof(SQ_ELEM_T), (size_t)count, sq_trace_file);
}

void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count);

/* One row of a streamed value, recorded under the name "<name>@<row>". */
void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count)
{
    char label[160];
    snprintf(label, sizeof label, "%.120s@%d", name, row);
    sq_trace(label, data, count);
}
#endif

static int read_values(const char *path, SQ_ELEM_T *data, size_t count)
{
    FILE *f = fopen(path, "rb");
    size_t got;
    int extra;
    if (f == NULL) {
        fprintf(stderr, "harness: cannot open %s\n", path);
        return -1;
    }
    got = fread(data, sizeof(SQ_ELEM_T), count, f);
    extra = fgetc(f);
    fclose(f);
    if (got != count || extra != EOF) {
        fprintf(stderr, "harness: %s must hold exactly %lu values\n", path, (unsigned long)count);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    FILE *out;
    int status;
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s INPUT.bin OUTPUT.bin [TRACE.bin]\n", argv[0]);
        return 2;
    }
    if (read_values(argv[1], sq_input, SQ_INPUT_COUNT) != 0) {
        return 2;
    }
#ifdef SQ_TRACE
    if (argc == 4) {
        sq_trace_file = fopen(argv[3], "wb");
        if (sq_trace_file == NULL) {
            fprintf(stderr, "harness: cannot create %s\n", argv[3]);
            return 2;
        }
    }
#endif
    status = SQ_RUN(sq_input, sq_output);
#ifdef SQ_TRACE
    if (sq_trace_file != NULL) {
        fclose(sq_trace_file);
    }
#endif
    if (status != 0) {
        fprintf(stderr, "harness: model returned %d\n", status);
        return 3;
    }
    out = fopen(argv[2], "wb");
    if (out == NULL || fwrite(sq_output, sizeof(SQ_ELEM_T), SQ_OUTPUT_COUNT, out) != SQ_OUTPUT_COUNT) {
        fprintf(stderr, "harness: cannot write %s\n", argv[2]);
        return 2;
    }
    fclose(out);
    return 0;
}
"""#,
        "sq_kernels_f32.h": #"""
/*
 * sq_kernels_f32.h - fp32 kernels for squeezec-generated SqueezeNet models.
 *
 * Portable C99: no malloc, no stdio, no VLAs, no recursion. Every kernel is
 * a header function marked SQ_INLINE (forced inline when GCC/clang
 * optimise), so each call site in the generated model, whose arguments are
 * literal constants, is compiled into its own specialised copy.
 *
 * ---------------------------------------------------------------------------
 * Conventions shared by all kernels
 * ---------------------------------------------------------------------------
 * Activations: NHWC, batch 1, float.
 *
 * Row rings: a feature map of height H, width W is stored either whole or as
 * a ring of `ring` rows. Element (row y, column x, channel c) lives at
 *
 *     base[((y % ring) * W + x) * stride + c]
 *
 * ring == H means the map is stored whole. `stride` is the number of floats
 * between consecutive pixels and may exceed the channel count: to read or
 * write a channel slice of a wider map (for example one half of a Fire
 * module's concat buffer), pass `base + channel_offset` and the full pixel
 * stride. A kernel never touches channels outside [0, C) of a pixel.
 *
 * Row ranges: spatial kernels compute output rows [row0, row1). Convolution
 * output row r reads input rows r*s_h - pad_t .. r*s_h - pad_t + k_h - 1,
 * clipped to [0, in_h), and no others, so a ring of k_h input rows is
 * enough to stream a layer one output row at a time. Rows outside
 * [0, in_h) are zero padding for convolutions and are skipped by pooling.
 * A call's output rows must fit in the output ring at the same time
 * (row1 - row0 <= out_ring), and its input rows in the input ring.
 *
 * Packed convolution weights (produced by the generator): blocks of 4
 * output channels,
 *
 *     w_packed[ceil(cout / 4)][k_h][k_w][cin][4]     (co % 4 innermost)
 *
 * i.e. OHWI weight w[co][ky][kx][ci] is at
 *     w_packed[((((co / 4) * k_h + ky) * k_w + kx) * cin + ci) * 4 + co % 4],
 * the last block zero-padded when cout % 4 != 0. Bias is [cout] or NULL.
 * Output channels >= cout are never written.
 *
 * Sizes are `int`. Input and output buffers of one call must not overlap
 * unless a kernel says otherwise (pointers are declared restrict).
 */
#ifndef SQ_KERNELS_F32_H
#define SQ_KERNELS_F32_H

#include <math.h>
#include "sq_common.h"

/* ==========================================================================
 * Internal building blocks (names start with sq__; not part of the API)
 * ========================================================================== */

/*
 * sq__mac4x4_f32: 4 output channels x 4 pixels register block.
 *
 *   acc[p * 4 + j] += sum_{i < n} w[i * 4 + j] * x[p * xstep + i]
 *
 * for pixels p = 0..3 and channels j = 0..3. `w` walks a packed weight
 * block (4 contiguous weights per input element), `x` the input elements
 * of pixel 0; pixel p starts xstep floats further. The 16 accumulators
 * live in locals for the whole loop (16 + 4 + 4 registers: fits the 32
 * single-precision registers of the Cortex-M4F).
 */
SQ_INLINE void sq__mac4x4_f32(float *SQ_RESTRICT acc,
                              const float *SQ_RESTRICT w,
                              const float *SQ_RESTRICT x, int xstep, int n)
{
    const float *SQ_RESTRICT x0 = x;
    const float *SQ_RESTRICT x1 = x + xstep;
    const float *SQ_RESTRICT x2 = x + 2 * xstep;
    const float *SQ_RESTRICT x3 = x + 3 * xstep;
    float a00 = acc[0],  a01 = acc[1],  a02 = acc[2],  a03 = acc[3];
    float a10 = acc[4],  a11 = acc[5],  a12 = acc[6],  a13 = acc[7];
    float a20 = acc[8],  a21 = acc[9],  a22 = acc[10], a23 = acc[11];
    float a30 = acc[12], a31 = acc[13], a32 = acc[14], a33 = acc[15];
    int i;

    for (i = 0; i < n; ++i) {
        const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
        const float v0 = x0[i], v1 = x1[i], v2 = x2[i], v3 = x3[i];
        w += 4;
        a00 = SQ_FMA(w0, v0, a00); a01 = SQ_FMA(w1, v0, a01);
        a02 = SQ_FMA(w2, v0, a02); a03 = SQ_FMA(w3, v0, a03);
        a10 = SQ_FMA(w0, v1, a10); a11 = SQ_FMA(w1, v1, a11);
        a12 = SQ_FMA(w2, v1, a12); a13 = SQ_FMA(w3, v1, a13);
        a20 = SQ_FMA(w0, v2, a20); a21 = SQ_FMA(w1, v2, a21);
        a22 = SQ_FMA(w2, v2, a22); a23 = SQ_FMA(w3, v2, a23);
        a30 = SQ_FMA(w0, v3, a30); a31 = SQ_FMA(w1, v3, a31);
        a32 = SQ_FMA(w2, v3, a32); a33 = SQ_FMA(w3, v3, a33);
    }

    acc[0]  = a00; acc[1]  = a01; acc[2]  = a02; acc[3]  = a03;
    acc[4]  = a10; acc[5]  = a11; acc[6]  = a12; acc[7]  = a13;
    acc[8]  = a20; acc[9]  = a21; acc[10] = a22; acc[11] = a23;
    acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
}

/*
 * sq__mac4x1_f32: 4 output channels x 1 pixel (tails and borders).
 *
 *   acc[j] += sum_{i < n} w[i * 4 + j] * x[i],   j = 0..3
 */
SQ_INLINE void sq__mac4x1_f32(float *SQ_RESTRICT acc,
                              const float *SQ_RESTRICT w,
                              const float *SQ_RESTRICT x, int n)
{
    float a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int i;

    for (i = 0; i < n; ++i) {
        const float v = x[i];
        a0 = SQ_FMA(w[0], v, a0);
        a1 = SQ_FMA(w[1], v, a1);
        a2 = SQ_FMA(w[2], v, a2);
        a3 = SQ_FMA(w[3], v, a3);
        w += 4;
    }

    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/*
 * sq__acc_init_f32: set acc[p * 4 + j] (p < npx, npx = 1 or 4, j < 4) to
 * the bias of output channel co + j, or 0 when bias is NULL or j >= nco
 * (the zero-padded channels of a tail block, whose bias is not read).
 * Straight-line code with constant indices, so that after inlining the
 * compiler keeps acc[] in registers.
 */
SQ_INLINE void sq__acc_init_f32(float *SQ_RESTRICT acc, int npx,
                                const float *SQ_RESTRICT bias, int co, int nco)
{
    float b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f;

    if (bias != 0) {
        if (nco == 4) {
            b0 = bias[co]; b1 = bias[co + 1];
            b2 = bias[co + 2]; b3 = bias[co + 3];
        } else {
            b0 = bias[co];
            b1 = (nco > 1) ? bias[co + 1] : 0.0f;
            b2 = (nco > 2) ? bias[co + 2] : 0.0f;
        }
    }
    acc[0] = b0; acc[1] = b1; acc[2] = b2; acc[3] = b3;
    if (npx == 4) {
        acc[4] = b0;  acc[5] = b1;  acc[6] = b2;  acc[7] = b3;
        acc[8] = b0;  acc[9] = b1;  acc[10] = b2; acc[11] = b3;
        acc[12] = b0; acc[13] = b1; acc[14] = b2; acc[15] = b3;
    }
}

/* sq__relu_f32: max(0, v); NaN passes through. */
SQ_INLINE float sq__relu_f32(float v)
{
    return (v < 0.0f) ? 0.0f : v;
}

/*
 * sq__store4_f32: write the 4 channel values a[0..3] of one pixel to
 * o[0..nco) (ReLU applied when relu != 0). Channels >= nco are not written.
 */
SQ_INLINE void sq__store4_f32(float *SQ_RESTRICT o, const float *SQ_RESTRICT a,
                              int nco, int relu)
{
    float v0 = a[0], v1 = a[1], v2 = a[2], v3 = a[3];

    if (relu) {
        v0 = sq__relu_f32(v0); v1 = sq__relu_f32(v1);
        v2 = sq__relu_f32(v2); v3 = sq__relu_f32(v3);
    }
    if (nco == 4) {
        o[0] = v0; o[1] = v1; o[2] = v2; o[3] = v3;
    } else {
        o[0] = v0;
        if (nco > 1) {
            o[1] = v1;
        }
        if (nco > 2) {
            o[2] = v2;
        }
    }
}

/*
 * sq__acc_store_f32: epilogue. For pixel p < npx (1 or 4), writes channels
 * j < nco of acc[p * 4 + j] (ReLU applied when relu != 0) to
 * out[p * out_step + j]. Channels j >= nco are not written.
 */
SQ_INLINE void sq__acc_store_f32(const float *SQ_RESTRICT acc, int npx,
                                 float *SQ_RESTRICT out, int out_step,
                                 int nco, int relu)
{
    sq__store4_f32(out, acc, nco, relu);
    if (npx == 4) {
        sq__store4_f32(out + out_step, acc + 4, nco, relu);
        sq__store4_f32(out + 2 * out_step, acc + 8, nco, relu);
        sq__store4_f32(out + 3 * out_step, acc + 12, nco, relu);
    }
}

/*
 * sq__gap4_f32: add the ReLU of the 4 channel values a[0..3] of one pixel
 * to sum[0..nco).
 */
SQ_INLINE void sq__gap4_f32(float *SQ_RESTRICT sum, const float *SQ_RESTRICT a,
                            int nco)
{
    sum[0] += sq__relu_f32(a[0]);
    if (nco > 1) {
        sum[1] += sq__relu_f32(a[1]);
    }
    if (nco > 2) {
        sum[2] += sq__relu_f32(a[2]);
    }
    if (nco > 3) {
        sum[3] += sq__relu_f32(a[3]);
    }
}

/*
 * sq__acc_gap_f32: epilogue of the fused conv + ReLU + global-average-pool.
 * Adds ReLU(acc[p * 4 + j]) to sum[j] for j < nco, pixel by pixel in
 * order p = 0, 1, ... (the same summation order as sq_gap_f32, so the fused
 * and the unfused paths give identical sums).
 */
SQ_INLINE void sq__acc_gap_f32(const float *SQ_RESTRICT acc, int npx,
                               float *SQ_RESTRICT sum, int nco)
{
    sq__gap4_f32(sum, acc, nco);
    if (npx == 4) {
        sq__gap4_f32(sum, acc + 4, nco);
        sq__gap4_f32(sum, acc + 8, nco);
        sq__gap4_f32(sum, acc + 12, nco);
    }
}

/*
 * sq__conv1x1_block_f32: one register block of a 1x1 convolution: npx
 * pixels (1 or 4, read at x + p * in_stride) x output channels
 * [co, co + nco) (nco <= 4; weight block co / 4). Bias, dot products over
 * cin, then either ReLU-optional store to o + p * out_stride (to_gap == 0)
 * or ReLU-and-sum into gap[co..co + nco) (to_gap != 0).
 */
SQ_INLINE void sq__conv1x1_block_f32(const float *SQ_RESTRICT x, int in_stride,
                                     int cin, float *SQ_RESTRICT o,
                                     int out_stride,
                                     const float *SQ_RESTRICT w_packed,
                                     const float *SQ_RESTRICT bias, int relu,
                                     float *SQ_RESTRICT gap, int to_gap, int npx, int co,
                                     int nco)
{
    float acc[16];

    sq__acc_init_f32(acc, npx, bias, co, nco);
    if (npx == 4) {
        sq__mac4x4_f32(acc, w_packed + co * cin, x, in_stride, cin);
    } else {
        sq__mac4x1_f32(acc, w_packed + co * cin, x, cin);
    }
    if (to_gap) {
        sq__acc_gap_f32(acc, npx, gap + co, nco);
    } else {
        sq__acc_store_f32(acc, npx, o + co, out_stride, nco, relu);
    }
}

/*
 * sq__conv1x1_run_f32: 1x1 convolution of npx consecutive pixels.
 * Pixel p is read at in + p * in_stride and written at
 * out + p * out_stride (or, when to_gap != 0, its ReLU is added to
 * gap[0..cout) instead and out, which may then be NULL, is not used).
 * Blocks of 4 pixels x 4 output channels, then single pixels x 4 output
 * channels; full channel blocks first, then the tail block (cout % 4).
 */
SQ_INLINE void sq__conv1x1_run_f32(const float *SQ_RESTRICT in, int in_stride,
                                   int cin, float *SQ_RESTRICT out,
                                   int out_stride, int cout,
                                   const float *SQ_RESTRICT w_packed,
                                   const float *SQ_RESTRICT bias, int relu,
                                   float *SQ_RESTRICT gap, int to_gap, int npx)
{
    int p = 0;
    int co;

    for (; p + 4 <= npx; p += 4) {
        const float *SQ_RESTRICT x = in + p * in_stride;
        float *SQ_RESTRICT o = to_gap ? out : out + p * out_stride;
        for (co = 0; co + 4 <= cout; co += 4) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 4, co, 4);
        }
        if (co < cout) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 4, co, cout - co);
        }
    }
    for (; p < npx; ++p) {
        const float *SQ_RESTRICT x = in + p * in_stride;
        float *SQ_RESTRICT o = to_gap ? out : out + p * out_stride;
        for (co = 0; co + 4 <= cout; co += 4) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 1, co, 4);
        }
        if (co < cout) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 1, co, cout - co);
        }
    }
}

/*
 * sq__conv1x1_rows_f32: rows [row0, row1) of a 1x1 stride-1 convolution
 * over rings. Consecutive rows that do not wrap in either ring are
 * contiguous pixel runs, so they are processed as one run (a whole map is
 * a single run of h * w pixels, which keeps 4-pixel blocks full).
 */
SQ_INLINE void sq__conv1x1_rows_f32(const float *SQ_RESTRICT in, int in_w,
                                    int in_stride, int in_ring, int cin,
                                    float *SQ_RESTRICT out, int out_stride,
                                    int out_ring, int cout,
                                    const float *SQ_RESTRICT w_packed,
                                    const float *SQ_RESTRICT bias, int relu,
                                    float *SQ_RESTRICT gap, int to_gap, int row0, int row1)
{
    int y = row0;

    while (y < row1) {
        const int in_slot = y % in_ring;
        const int out_slot = y % out_ring;
        float *SQ_RESTRICT dst;
        int rows = row1 - y;

        rows = SQ_MIN(rows, in_ring - in_slot);
        rows = SQ_MIN(rows, out_ring - out_slot);
        /* out is NULL on the gap path: no arithmetic on it there. */
        dst = to_gap ? out : out + out_slot * in_w * out_stride;
        sq__conv1x1_run_f32(in + in_slot * in_w * in_stride, in_stride, cin,
                            dst, out_stride, cout, w_packed, bias, relu, gap,
                            to_gap, rows * in_w);
        y += rows;
    }
}

/*
 * sq__conv_taps_f32: accumulate the taps of one output pixel (npx == 1)
 * or of 4 output pixels px_step input floats apart (npx == 4) for one
 * 4-channel weight block `wb` ([k_h][k_w][cin][4]).
 *
 * Kernel rows ky in [ky0, ky0 + nky) are all inside the input; the first
 * of them is stored in ring slot `slot`. Kernel columns kx in [kx0, kx1)
 * are all inside the input for every pixel; `ix` is the input column of
 * kx = 0 for pixel 0. When in_stride == cin (`merged`), the columns kx0..kx1
 * of one kernel row are contiguous in both input and weights and are done
 * as a single run of (kx1 - kx0) * cin elements.
 */
SQ_INLINE void sq__conv_taps_f32(float *SQ_RESTRICT acc, int npx,
                                 const float *SQ_RESTRICT wb,
                                 const float *SQ_RESTRICT in, int in_row,
                                 int in_ring, int slot, int ky0, int nky,
                                 int ix, int kx0, int kx1, int in_stride,
                                 int px_step, int cin, int k_w)
{
    const int merged = (in_stride == cin);
    int ky, kx;

    for (ky = ky0; ky < ky0 + nky; ++ky) {
        const float *SQ_RESTRICT row = in + slot * in_row;
        const float *SQ_RESTRICT wk = wb + ky * k_w * cin * 4;
        if (merged) {
            const float *SQ_RESTRICT x = row + (ix + kx0) * in_stride;
            const float *SQ_RESTRICT wx = wk + kx0 * cin * 4;
            const int n = (kx1 - kx0) * cin;
            if (npx == 4) {
                sq__mac4x4_f32(acc, wx, x, px_step, n);
            } else {
                sq__mac4x1_f32(acc, wx, x, n);
            }
        } else {
            for (kx = kx0; kx < kx1; ++kx) {
                const float *SQ_RESTRICT x = row + (ix + kx) * in_stride;
                const float *SQ_RESTRICT wx = wk + kx * cin * 4;
                if (npx == 4) {
                    sq__mac4x4_f32(acc, wx, x, px_step, cin);
                } else {
                    sq__mac4x1_f32(acc, wx, x, cin);
                }
            }
        }
        if (++slot == in_ring) {
            slot = 0;
        }
    }
}

/*
 * sq__conv_block_f32: one register block of the general convolution:
 * npx output pixels (1 or 4, consecutive along x, the first at input column
 * ix for kx = 0) x output channels [co, co + nco), written to
 * o + p * out_stride + co. Kernel rows/columns as for sq__conv_taps_f32;
 * nky <= 0 or kx1 <= kx0 (all taps in the padding) gives the bias.
 */
SQ_INLINE void sq__conv_block_f32(const float *SQ_RESTRICT in, int in_row,
                                  int in_ring, int slot, int ky0, int nky,
                                  int ix, int kx0, int kx1, int in_stride,
                                  int px_step, int cin, int k_h, int k_w,
                                  float *SQ_RESTRICT o, int out_stride,
                                  const float *SQ_RESTRICT w_packed,
                                  const float *SQ_RESTRICT bias, int relu,
                                  int npx, int co, int nco)
{
    float acc[16];

    sq__acc_init_f32(acc, npx, bias, co, nco);
    if (kx1 > kx0) {
        sq__conv_taps_f32(acc, npx, w_packed + co * k_h * k_w * cin, in,
                          in_row, in_ring, slot, ky0, nky, ix, kx0, kx1,
                          in_stride, px_step, cin, k_w);
    }
    sq__acc_store_f32(acc, npx, o + co, out_stride, nco, relu);
}

/*
 * sq__conv_pixels_f32: all output channels of npx (1 or 4) output pixels:
 * full 4-channel blocks, then the tail block when cout % 4 != 0.
 */
SQ_INLINE void sq__conv_pixels_f32(const float *SQ_RESTRICT in, int in_row,
                                   int in_ring, int slot, int ky0, int nky,
                                   int ix, int kx0, int kx1, int in_stride,
                                   int px_step, int cin, int k_h, int k_w,
                                   float *SQ_RESTRICT o, int out_stride,
                                   int cout, const float *SQ_RESTRICT w_packed,
                                   const float *SQ_RESTRICT bias, int relu,
                                   int npx)
{
    int co;

    for (co = 0; co + 4 <= cout; co += 4) {
        sq__conv_block_f32(in, in_row, in_ring, slot, ky0, nky, ix, kx0, kx1,
                           in_stride, px_step, cin, k_h, k_w, o, out_stride,
                           w_packed, bias, relu, npx, co, 4);
    }
    if (co < cout) {
        sq__conv_block_f32(in, in_row, in_ring, slot, ky0, nky, ix, kx0, kx1,
                           in_stride, px_step, cin, k_h, k_w, o, out_stride,
                           w_packed, bias, relu, npx, co, cout - co);
    }
}

/* ==========================================================================
 * Convolution
 * ========================================================================== */

/*
 * sq__conv_f32: general 2-D convolution (dilation 1, groups 1) + bias
 * (+ ReLU), output rows [row0, row1).
 *
 *   out[r][x][co] = bias[co] + sum_{ky, kx, ci}
 *                   w[co][ky][kx][ci] * in[r*s_h - pad_t + ky][x*s_w - pad_l + kx][ci]
 *
 * with input positions outside [0, in_h) x [0, in_w) reading as 0, then
 * max(0, .) if relu != 0.
 *
 *   in        input map, in_h x in_w x cin, pixel stride in_stride
 *             (>= cin), ring of in_ring rows (in_ring == in_h: whole map)
 *   out       output map, out_w columns x cout channels, pixel stride
 *             out_stride (>= cout), ring of out_ring rows
 *   w_packed  [ceil(cout/4)][k_h][k_w][cin][4], see the top of this file
 *   bias      [cout] or NULL
 *   k_h, k_w  kernel size; s_h, s_w strides; pad_t, pad_l top/left padding
 *             (bottom/right padding is implied by in_h/in_w and the output
 *             size: positions past the input read as 0). Every padding must
 *             be smaller than the kernel (squeezec checks this), so fewer
 *             than k_w output pixels per row touch the left or right border.
 *   relu      0 or 1
 *   row0,row1 output rows to compute, [row0, row1)
 *
 * Output pixels whose receptive field is horizontally inside the input are
 * computed 4 pixels x 4 output channels at a time without bounds checks
 * (kernel rows are clipped once per output row); border pixels clip their
 * kernel columns per pixel.
 */
SQ_INLINE void sq__conv_f32(const float *SQ_RESTRICT in, int in_h, int in_w,
                            int in_stride, int in_ring, int cin,
                            float *SQ_RESTRICT out, int out_w, int out_stride,
                            int out_ring, int cout,
                            const float *SQ_RESTRICT w_packed,
                            const float *SQ_RESTRICT bias,
                            int k_h, int k_w, int s_h, int s_w,
                            int pad_t, int pad_l, int relu, int row0, int row1)
{
    const int in_row = in_w * in_stride;    /* floats per stored input row */
    const int px_step = s_w * in_stride;    /* input floats between outputs */
    int x_lo, x_hi, r;

    /* Interior columns [x_lo, x_hi): x*s_w - pad_l >= 0 and
     * x*s_w - pad_l + k_w <= in_w. */
    x_lo = (pad_l + s_w - 1) / s_w;
    x_hi = (in_w + pad_l - k_w >= 0) ? (in_w + pad_l - k_w) / s_w + 1 : 0;
    x_lo = SQ_MIN(x_lo, out_w);
    x_hi = SQ_MIN(x_hi, out_w);
    x_hi = SQ_MAX(x_hi, x_lo);

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;        /* input row of ky = 0 */
        const int ky0 = SQ_MAX(0, -iy);
        const int ky1 = SQ_MIN(k_h, in_h - iy);
        const int nky = ky1 - ky0;             /* <= 0: row all padding */
        const int slot = (nky > 0) ? (iy + ky0) % in_ring : 0;
        float *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x = 0;
        int t;

        /* The border and tail loops are counted with a small constant bound
         * (each has fewer than k_w or 4 pixels): GCC's loop analysis cannot
         * bound them otherwise and warns (-Waggressive-loop-optimizations). */

        /* Left border: kernel columns clipped per pixel. */
        for (t = 0; x < x_lo && t < k_w; ++x, ++t) {
            const int ix = x * s_w - pad_l;
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky, ix,
                                SQ_MAX(0, -ix), SQ_MIN(k_w, in_w - ix),
                                in_stride, px_step, cin, k_h, k_w,
                                orow + x * out_stride, out_stride, cout,
                                w_packed, bias, relu, 1);
        }
        /* Interior: 4 pixels x 4 channels, no per-tap checks. */
        for (; x + 4 <= x_hi; x += 4) {
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky,
                                x * s_w - pad_l, 0, k_w, in_stride, px_step,
                                cin, k_h, k_w, orow + x * out_stride,
                                out_stride, cout, w_packed, bias, relu, 4);
        }
        /* Interior tail: 1 pixel x 4 channels, at most 3 pixels. */
        for (t = 0; x < x_hi && t < 3; ++x, ++t) {
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky,
                                x * s_w - pad_l, 0, k_w, in_stride, px_step,
                                cin, k_h, k_w, orow + x * out_stride,
                                out_stride, cout, w_packed, bias, relu, 1);
        }
        /* Right border: windows that run past the input, fewer than k_w. */
        for (t = 0; x < out_w && t < k_w; ++x, ++t) {
            const int ix = x * s_w - pad_l;
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky, ix,
                                SQ_MAX(0, -ix), SQ_MIN(k_w, in_w - ix),
                                in_stride, px_step, cin, k_h, k_w,
                                orow + x * out_stride, out_stride, cout,
                                w_packed, bias, relu, 1);
        }
    }
}

/*
 * sq__conv1x1_f32: 1x1 convolution, stride 1, no padding, + bias (+ ReLU),
 * rows [row0, row1). Input and output have the same width `w`.
 *
 *   out[y][x][co] = bias[co] + sum_ci w[co][ci] * in[y][x][ci]
 *
 *   in        input, w columns x cin channels, pixel stride in_stride,
 *             ring of in_ring rows
 *   out       output, w columns x cout channels, pixel stride out_stride,
 *             ring of out_ring rows
 *   w_packed  [ceil(cout/4)][cin][4] (the general layout with k = 1)
 *   bias      [cout] or NULL; relu 0 or 1
 *
 * No bounds checks. Rows that are contiguous in both rings are processed
 * as one run of pixels, 4 pixels x 4 output channels at a time.
 */
SQ_INLINE void sq__conv1x1_f32(const float *SQ_RESTRICT in, int w,
                               int in_stride, int in_ring, int cin,
                               float *SQ_RESTRICT out, int out_stride,
                               int out_ring, int cout,
                               const float *SQ_RESTRICT w_packed,
                               const float *SQ_RESTRICT bias, int relu,
                               int row0, int row1)
{
    sq__conv1x1_rows_f32(in, w, in_stride, in_ring, cin, out, out_stride,
                         out_ring, cout, w_packed, bias, relu, 0, 0, row0,
                         row1);
}

/*
 * sq__conv1x1_relu_gap_f32: 1x1 convolution (stride 1, no padding) + bias +
 * ReLU, summed over pixels into acc, for rows [row0, row1):
 *
 *   acc[co] += sum_{y in [row0,row1), x} max(0, bias[co] + sum_ci w[co][ci] * in[y][x][ci])
 *
 * The convolution output is never stored. The caller zeroes acc[cout],
 * calls this for its row ranges, then sq_gap_finish_f32(acc, cout,
 * 1.0f / (H * W)). Arguments as sq_conv1x1_f32; acc must not overlap the
 * other buffers.
 */
SQ_INLINE void sq__conv1x1_relu_gap_f32(const float *SQ_RESTRICT in, int w,
                                        int in_stride, int in_ring, int cin,
                                        float *SQ_RESTRICT acc, int cout,
                                        const float *SQ_RESTRICT w_packed,
                                        const float *SQ_RESTRICT bias,
                                        int row0, int row1)
{
    /* On the gap path (to_gap = 1, a constant, so the store path folds
     * away: deciding on acc != NULL left GCC a store through NULL to warn
     * about) the shared code never uses its output pointer; the input ring
     * doubles as the output ring so runs are split only where it wraps. */
    sq__conv1x1_rows_f32(in, w, in_stride, in_ring, cin, 0, 0, in_ring,
                         cout, w_packed, bias, 1, acc, 1, row0, row1);
}

/* ==========================================================================
 * Pooling
 * ========================================================================== */

/*
 * sq__maxpool_f32: max pooling, output rows [row0, row1).
 *
 *   out[r][x][ch] = max over the window rows r*s_h - pad_t + [0, k_h),
 *                   columns x*s_w - pad_l + [0, k_w), clipped to the input
 *
 * Padded positions are ignored (never win), and windows that run past the
 * end of the input (ceil mode) are clipped. A window with no input element
 * at all (impossible with PyTorch's output-size rule) yields 0.
 *
 *   in   in_h x in_w x c, pixel stride in_stride, ring of in_ring rows
 *   out  out_w x c, pixel stride out_stride, ring of out_ring rows
 *   k_h, k_w window; s_h, s_w strides; pad_t, pad_l top/left padding
 */
SQ_INLINE void sq__maxpool_f32(const float *SQ_RESTRICT in, int in_h, int in_w,
                               int in_stride, int in_ring, int c,
                               float *SQ_RESTRICT out, int out_w,
                               int out_stride, int out_ring,
                               int k_h, int k_w, int s_h, int s_w,
                               int pad_t, int pad_l, int row0, int row1)
{
    const int in_row = in_w * in_stride;
    int r;

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;
        const int y0 = SQ_MAX(iy, 0);
        const int y1 = SQ_MIN(iy + k_h, in_h);
        const int slot0 = (y1 > y0) ? y0 % in_ring : 0;
        float *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x;

        for (x = 0; x < out_w; ++x) {
            const int ix = x * s_w - pad_l;
            const int x0 = SQ_MAX(ix, 0);
            const int x1 = SQ_MIN(ix + k_w, in_w);
            float *SQ_RESTRICT o = orow + x * out_stride;
            int ch = 0;

            if (y1 <= y0 || x1 <= x0) {
                for (ch = 0; ch < c; ++ch) {
                    o[ch] = 0.0f;
                }
                continue;
            }
            /* 4 channels at a time; the first window element seeds the
             * maxima and is compared again harmlessly. */
            for (; ch + 4 <= c; ch += 4) {
                const float *SQ_RESTRICT first = in + slot0 * in_row +
                                                 x0 * in_stride + ch;
                float m0 = first[0], m1 = first[1];
                float m2 = first[2], m3 = first[3];
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const float *SQ_RESTRICT q = p + xx * in_stride;
                        m0 = (q[0] > m0) ? q[0] : m0;
                        m1 = (q[1] > m1) ? q[1] : m1;
                        m2 = (q[2] > m2) ? q[2] : m2;
                        m3 = (q[3] > m3) ? q[3] : m3;
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = m0; o[ch + 1] = m1; o[ch + 2] = m2; o[ch + 3] = m3;
            }
            for (; ch < c; ++ch) {
                float m = in[slot0 * in_row + x0 * in_stride + ch];
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const float v = p[xx * in_stride];
                        m = (v > m) ? v : m;
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = m;
            }
        }
    }
}

/*
 * sq__maxpool_fold_f32: streams max pooling one input row at a time. The
 * row's horizontal windows (columns x*s_w - pad_l + [0, k_w), clipped to
 * [0, in_w)) are max-reduced into one output row `acc`: stored when
 * first != 0 (the row opens the window of that output row), max-combined
 * with what acc holds otherwise. Fold every input row of a window, in
 * order, into its output row(s) and the result equals sq_maxpool_f32,
 * bit for bit (the first maximal element in row-major order wins).
 *
 *   in   one input row: in_w x c, pixel stride in_stride
 *   acc  one output row: out_w x c, pixel stride acc_stride
 *   k_w, s_w, pad_l  horizontal window, stride and left padding
 */
SQ_INLINE void sq__maxpool_fold_f32(const float *SQ_RESTRICT in, int in_w,
                                    int in_stride, int c,
                                    float *SQ_RESTRICT acc, int out_w,
                                    int acc_stride, int k_w, int s_w,
                                    int pad_l, int first)
{
    int x;

    for (x = 0; x < out_w; ++x) {
        const int ix = x * s_w - pad_l;
        const int x0 = SQ_MAX(ix, 0);
        const int x1 = SQ_MIN(ix + k_w, in_w);
        float *SQ_RESTRICT o = acc + x * acc_stride;
        int ch;

        for (ch = 0; ch < c; ++ch) {
            float m;
            int xx;
            if (x1 <= x0) {
                m = 0.0f;
            } else {
                m = in[x0 * in_stride + ch];
                for (xx = x0 + 1; xx < x1; ++xx) {
                    const float v = in[xx * in_stride + ch];
                    m = (v > m) ? v : m;
                }
            }
            o[ch] = (first || m > o[ch]) ? m : o[ch];
        }
    }
}

/*
 * sq__avgpool_f32: average pooling, output rows [row0, row1).
 *
 *   out[r][x][ch] = (sum of the input elements in the window) / divisor
 *
 * The window is rows r*s_h - pad_t + [0, k_h), columns x*s_w - pad_l +
 * [0, k_w); padded positions contribute 0 and positions past the padded
 * extent (ceil mode) are dropped. The divisor is
 *   count_include_pad == 1: the number of window positions inside the
 *       padded extent [-pad_t, in_h + pad_b) x [-pad_l, in_w + pad_r)
 *       (PyTorch semantics);
 *   count_include_pad == 0: the number of real input elements in the window.
 * A window with divisor 0 yields 0.
 *
 *   in   in_h x in_w x c, pixel stride in_stride, ring of in_ring rows
 *   out  out_w x c, pixel stride out_stride, ring of out_ring rows
 *   pad_t, pad_l, pad_b, pad_r: padding on each side
 */
SQ_INLINE void sq__avgpool_f32(const float *SQ_RESTRICT in, int in_h, int in_w,
                               int in_stride, int in_ring, int c,
                               float *SQ_RESTRICT out, int out_w,
                               int out_stride, int out_ring,
                               int k_h, int k_w, int s_h, int s_w,
                               int pad_t, int pad_l, int pad_b, int pad_r,
                               int count_include_pad, int row0, int row1)
{
    const int in_row = in_w * in_stride;
    int r;

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;
        const int y0 = SQ_MAX(iy, 0);
        const int y1 = SQ_MIN(iy + k_h, in_h);
        const int ny_pad = SQ_MIN(iy + k_h, in_h + pad_b) - SQ_MAX(iy, -pad_t);
        const int slot0 = (y1 > y0) ? y0 % in_ring : 0;
        float *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x;

        for (x = 0; x < out_w; ++x) {
            const int ix = x * s_w - pad_l;
            const int x0 = SQ_MAX(ix, 0);
            const int x1 = SQ_MIN(ix + k_w, in_w);
            const int nx_pad = SQ_MIN(ix + k_w, in_w + pad_r) -
                               SQ_MAX(ix, -pad_l);
            const int n_real = SQ_MAX(y1 - y0, 0) * SQ_MAX(x1 - x0, 0);
            const int n_div = count_include_pad
                                  ? SQ_MAX(ny_pad, 0) * SQ_MAX(nx_pad, 0)
                                  : n_real;
            float *SQ_RESTRICT o = orow + x * out_stride;
            float scale;
            int ch = 0;

            if (n_real == 0 || n_div == 0) {
                for (ch = 0; ch < c; ++ch) {
                    o[ch] = 0.0f;
                }
                continue;
            }
            scale = 1.0f / (float)n_div;
            for (; ch + 4 <= c; ch += 4) {
                float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const float *SQ_RESTRICT q = p + xx * in_stride;
                        s0 += q[0]; s1 += q[1]; s2 += q[2]; s3 += q[3];
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = s0 * scale;
                o[ch + 1] = s1 * scale;
                o[ch + 2] = s2 * scale;
                o[ch + 3] = s3 * scale;
            }
            for (; ch < c; ++ch) {
                float s = 0.0f;
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        s += p[xx * in_stride];
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = s * scale;
            }
        }
    }
}

/*
 * sq__gap_f32: global average pooling, accumulation step. Adds every pixel
 * of rows [row0, row1) to acc:
 *
 *   acc[ch] += sum_{y in [row0,row1), x < w} in[y][x][ch]
 *
 * Pixels are added in row-major order. The caller zeroes acc[c] first and
 * finishes with sq_gap_finish_f32(acc, c, 1.0f / (H * W)).
 *
 *   in  w x c, pixel stride in_stride, ring of in_ring rows
 */
SQ_INLINE void sq__gap_f32(const float *SQ_RESTRICT in, int w, int in_stride,
                           int in_ring, int c, float *SQ_RESTRICT acc,
                           int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const float *SQ_RESTRICT row = in + (y % in_ring) * w * in_stride;
        for (x = 0; x < w; ++x) {
            const float *SQ_RESTRICT p = row + x * in_stride;
            for (ch = 0; ch < c; ++ch) {
                acc[ch] += p[ch];
            }
        }
    }
}

/*
 * sq_gap_finish_f32: acc[ch] *= scale for ch < c (scale = 1 / (H * W)).
 * Finishes sq_gap_f32 and sq_conv1x1_relu_gap_f32.
 */
SQ_INLINE void sq_gap_finish_f32(float *SQ_RESTRICT acc, int c, float scale)
{
    int ch;

    for (ch = 0; ch < c; ++ch) {
        acc[ch] *= scale;
    }
}

/* ==========================================================================
 * Element-wise and data movement
 * ========================================================================== */

/* sq_relu_f32: x[i] = max(0, x[i]) for i < n, in place. */
SQ_INLINE void sq_relu_f32(float *SQ_RESTRICT x, int n)
{
    int i;

    for (i = 0; i < n; ++i) {
        x[i] = (x[i] < 0.0f) ? 0.0f : x[i];
    }
}

/*
 * sq_add_f32: out[i] = a[i] + b[i] for i < n (contiguous buffers).
 * out may alias a or b exactly (in-place add); partial overlap is not
 * allowed.
 */
SQ_INLINE void sq_add_f32(const float *a, const float *b, float *out, int n)
{
    int i;

    for (i = 0; i < n; ++i) {
        out[i] = a[i] + b[i];
    }
}

/*
 * sq__copy_channels_f32: copy rows [row0, row1) of a w x c map into another
 * map of the same width, e.g. into a channel slice of a concat buffer:
 *
 *   out[y][x][ch] = in[y][x][ch],   ch < c
 *
 *   in   pixel stride in_stride, ring of in_ring rows
 *   out  pixel stride out_stride (pass out + channel_offset for a slice),
 *        ring of out_ring rows; other channels of out are not touched
 */
SQ_INLINE void sq__copy_channels_f32(const float *SQ_RESTRICT in, int w,
                                     int in_stride, int in_ring, int c,
                                     float *SQ_RESTRICT out, int out_stride,
                                     int out_ring, int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const float *SQ_RESTRICT src = in + (y % in_ring) * w * in_stride;
        float *SQ_RESTRICT dst = out + (y % out_ring) * w * out_stride;
        for (x = 0; x < w; ++x) {
            for (ch = 0; ch < c; ++ch) {
                dst[x * out_stride + ch] = src[x * in_stride + ch];
            }
        }
    }
}

/*
 * sq_softmax_f32: out[i] = exp(x[i] - max) / sum_j exp(x[j] - max), i < n
 * (numerically stable). out may alias x exactly. n >= 1.
 */
SQ_INLINE void sq_softmax_f32(const float *x, float *out, int n)
{
    float max = x[0];
    float sum = 0.0f;
    float inv;
    int i;

    for (i = 1; i < n; ++i) {
        max = (x[i] > max) ? x[i] : max;
    }
    for (i = 0; i < n; ++i) {
        const float e = expf(x[i] - max);
        out[i] = e;
        sum += e;
    }
    inv = 1.0f / sum;
    for (i = 0; i < n; ++i) {
        out[i] *= inv;
    }
}

/*
 * sq_flatten_nchw_f32: reorder a whole h x w x c NHWC map (contiguous, pixel
 * stride c) into the NCHW order PyTorch's flatten produces:
 *
 *   out[ch * h * w + y * w + x] = in[(y * w + x) * c + ch]
 */
SQ_INLINE void sq_flatten_nchw_f32(const float *SQ_RESTRICT in, int h, int w,
                                   int c, float *SQ_RESTRICT out)
{
    const int hw = h * w;
    int p, ch;

    for (p = 0; p < hw; ++p) {
        for (ch = 0; ch < c; ++ch) {
            out[ch * hw + p] = in[p * c + ch];
        }
    }
}

/* ==========================================================================
 * Public API: one parameter struct per call (see sq_common.h)
 *
 * Generated code passes a `static const` struct; these wrappers unpack it
 * into the kernels above (sq__*), which document the arithmetic. Every
 * call computes output rows [row0, row1).
 * ========================================================================== */

/*
 * sq_conv_params_f32: one convolution call.
 *
 *   in        input map (in.c = cin)
 *   out       output map (out.c = cout, out.w the output width; out.h is
 *             only descriptive)
 *   win       kernel, strides, top/left padding (bottom/right implied)
 *   relu      0 or 1
 *   w         packed weights [ceil(cout/4)][k_h][k_w][cin][4]
 *   bias      [cout] or NULL
 */
typedef struct {
    sq_dims in;
    sq_dims out;
    sq_window win;
    int relu;
    const float *w;
    const float *bias;
} sq_conv_params_f32;

/* sq_conv_f32: general convolution (sq__conv_f32). */
SQ_INLINE void sq_conv_f32(const sq_conv_params_f32 *p,
                           const float *SQ_RESTRICT in,
                           float *SQ_RESTRICT out, int row0, int row1)
{
    sq__conv_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                 out, p->out.w, p->out.stride, p->out.ring, p->out.c, p->w,
                 p->bias, p->win.k_h, p->win.k_w, p->win.s_h, p->win.s_w,
                 p->win.pad_t, p->win.pad_l, p->relu, row0, row1);
}

/* sq_conv1x1_f32: 1x1 convolution, stride 1, no padding (sq__conv1x1_f32). */
SQ_INLINE void sq_conv1x1_f32(const sq_conv_params_f32 *p,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1)
{
    sq__conv1x1_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c, out,
                    p->out.stride, p->out.ring, p->out.c, p->w, p->bias,
                    p->relu, row0, row1);
}

/*
 * sq_conv1x1_relu_gap_f32: 1x1 convolution + ReLU summed into acc[out.c]
 * (sq__conv1x1_relu_gap_f32; p->out only gives cout).
 */
SQ_INLINE void sq_conv1x1_relu_gap_f32(const sq_conv_params_f32 *p,
                                       const float *SQ_RESTRICT in,
                                       float *SQ_RESTRICT acc, int row0,
                                       int row1)
{
    sq__conv1x1_relu_gap_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                             acc, p->out.c, p->w, p->bias, row0, row1);
}

/* sq_maxpool_f32: max pooling (sq__maxpool_f32; in.c channels). */
SQ_INLINE void sq_maxpool_f32(const sq_pool_params *p,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1)
{
    sq__maxpool_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                    out, p->out.w, p->out.stride, p->out.ring, p->win.k_h,
                    p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                    p->win.pad_l, row0, row1);
}

/*
 * sq_maxpool_fold_f32: folds one input row `in` into the output row `acc`
 * (sq__maxpool_fold_f32; acc has p->out's width and pixel stride).
 */
SQ_INLINE void sq_maxpool_fold_f32(const sq_pool_params *p,
                                   const float *SQ_RESTRICT in,
                                   float *SQ_RESTRICT acc, int first)
{
    sq__maxpool_fold_f32(in, p->in.w, p->in.stride, p->in.c, acc, p->out.w,
                         p->out.stride, p->win.k_w, p->win.s_w, p->win.pad_l,
                         first);
}

/* sq_avgpool_f32: average pooling (sq__avgpool_f32; in.c channels). */
SQ_INLINE void sq_avgpool_f32(const sq_pool_params *p,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1)
{
    sq__avgpool_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                    out, p->out.w, p->out.stride, p->out.ring, p->win.k_h,
                    p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                    p->win.pad_l, p->win.pad_b, p->win.pad_r,
                    p->count_include_pad, row0, row1);
}

/* sq_gap_f32: global average, accumulation step (sq__gap_f32). */
SQ_INLINE void sq_gap_f32(const sq_dims *in_dims, const float *SQ_RESTRICT in,
                          float *SQ_RESTRICT acc, int row0, int row1)
{
    sq__gap_f32(in, in_dims->w, in_dims->stride, in_dims->ring, in_dims->c,
                acc, row0, row1);
}

/*
 * sq_copy_channels_f32: copies in.c channels of rows [row0, row1) into a
 * map of the same width (sq__copy_channels_f32).
 */
SQ_INLINE void sq_copy_channels_f32(const sq_copy_params *p,
                                    const float *SQ_RESTRICT in,
                                    float *SQ_RESTRICT out, int row0, int row1)
{
    sq__copy_channels_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                          out, p->out.stride, p->out.ring, row0, row1);
}

#endif /* SQ_KERNELS_F32_H */
"""#,
        "sq_kernels_s8.h": #"""
/*
 * sq_kernels_s8.h - int8 kernels for squeezec-generated SqueezeNet models.
 *
 * Portable C99 plus a Cortex-M DSP path (Armv7E-M / Armv8-M with the DSP
 * extension: SXTB16 + SMLAD), selected by __ARM_FEATURE_DSP unless
 * SQ_S8_NO_DSP is defined. All arithmetic is integer: both paths give
 * bit-identical results. No malloc, no stdio, no VLAs, no recursion; the
 * convolutions work in a caller-provided scratch buffer.
 *
 * ---------------------------------------------------------------------------
 * Conventions (as sq_kernels_f32.h)
 * ---------------------------------------------------------------------------
 * Activations: NHWC, batch 1, int8. Element (row y, column x, channel c) of a
 * map stored whole (ring == H) or as a ring of `ring` rows is at
 *
 *     base[((y % ring) * W + x) * stride + c]
 *
 * Channel slices: pass base + channel_offset and the full pixel stride; a
 * kernel never touches channels outside [0, C) of a pixel. Spatial kernels
 * compute output rows [row0, row1) and read only the input rows they need
 * (as sq_kernels_f32.h), so rings of k_h input rows suffice.
 *
 * ---------------------------------------------------------------------------
 * Quantisation (TFLite / CMSIS-NN int8 scheme, single rounding, bit exact)
 * ---------------------------------------------------------------------------
 *   real = scale * (q - zp)
 * Activations: int8 per tensor, zero point in_zp / out_zp.
 * Weights: int8, symmetric per output channel (zero point 0).
 * Bias: int32 per output channel, scale in_scale * w_scale[co], CORRECTED
 * by the generator for the input zero point:
 *
 *     bias[co] = b[co] - in_zp * sum_k w[co][k]        (never NULL)
 *
 * Convolution: K = k_h * k_w * cin, taps flattened in OHWI order
 * k = (ky * k_w + kx) * cin + ci, K4 = K rounded up to a multiple of 4:
 *
 *     acc[co] = bias[co] + sum_{k < K} w[co][k] * x_k
 *
 * x_k is the input code at that tap, or in_zp where the tap falls in the
 * spatial padding (outside [0, in_h) x [0, in_w)): padding is real 0, and
 * with the corrected bias that is exactly what the generator's fold needs.
 * The sum is computed in int32 modulo 2^32 (SMLAD wraps; the portable path
 * adds in uint32_t), so both paths agree even if a partial sum leaves the
 * int32 range; it is the exact sum whenever that fits in int32
 * (K * 128 * 128 + |bias| < 2^31, i.e. K < 2^17 with a sane bias).
 *
 * Requantisation per output channel co = TFLite single rounding
 * (TFLITE_SINGLE_ROUNDING, CMSIS_NN_USE_SINGLE_ROUNDING):
 *
 *     v   = (int32_t)(((int64_t)acc * mult[co] + 2^(shift[co]-1)) >> shift[co])
 *     out = clamp(v + out_zp, act_min, act_max)
 *
 * with 0 <= mult < 2^31 and 32 <= shift <= 62 guaranteed by the generator
 * (>> is arithmetic, assumed for negative values as by every Arm and host
 * compiler). Because shift >= 32 the kernels take the high word of the
 * 64-bit sum and shift it by shift - 32 (floor shifts compose exactly):
 * one SMLAL on Cortex-M. sq_requant_s8 is the reference definition.
 * ReLU is act_min = max(out_zp, -128); no activation is [-128, 127].
 *
 * ---------------------------------------------------------------------------
 * Packed convolution weights (produced by the generator)
 * ---------------------------------------------------------------------------
 * Pairs of output channels, groups of 4 k. For pair p = co / 2 and group
 * g = k / 4 there are 8 bytes at byte offset (p * (K4 / 4) + g) * 8:
 *
 *     byte 0: w[2p][4g+0]   1: w[2p+1][4g+0]   2: w[2p][4g+2]   3: w[2p+1][4g+2]
 *     byte 4: w[2p][4g+1]   5: w[2p+1][4g+1]   6: w[2p][4g+3]   7: w[2p+1][4g+3]
 *
 * Zero for k >= K and for co >= cout (odd cout). Total ceil(cout / 2) *
 * K4 * 2 bytes; the array must be 8-byte aligned (LDRD). SXTB16 of the first
 * word gives the (k0, k2) halfword pair of channel 2p, SXTB16 ROR #8 that of
 * channel 2p + 1; the second word gives the (k1, k3) pairs.
 *
 * ---------------------------------------------------------------------------
 * Scratch (im2col of two output pixels)
 * ---------------------------------------------------------------------------
 * Every convolution takes `int16_t *scratch`, 8-byte aligned, of at least
 * SQ_S8_SCRATCH_BYTES(k_h, k_w, cin) bytes (2 pixels x K4 int16, + K4 bytes
 * of int8 staging when cin % 4 != 0). Contents are garbage between calls.
 * The kernels compute two output pixels P0, P1 at a time, in row order
 * over the call's rows (the last pixel of an odd run alone, as P0 only):
 * both are unrolled into scratch as sign-extended int16 (in_zp for padded
 * taps, 0 for k >= K), interleaved per group of 4 k as four 32-bit words
 *
 *     scratch[8g + 0..7] = P0(x0, x2)  P1(x0, x2)  P0(x1, x3)  P1(x1, x3)
 *
 * (xj = x_{4g+j}) so that one LDRD gives the (k0, k2) halfword pairs of both
 * pixels and the next one the (k1, k3) pairs, matching the packed weights.
 * The DSP inner loop then does, per 4 k and 2 output channels x 2 pixels
 * (16 MACs): 3 LDRD + 4 SXTB16 + 8 SMLAD, unrolled 4 times (see
 * sq__dot2x2_s8); a lone pixel 4 channels at a time, 20 instructions per
 * 16 MACs (sq__dot4x1_s8). With cin % 4 != 0 (conv1: cin = 3) the codes of
 * a pixel are first staged as bytes (the k_w * cin contiguous codes of a
 * kernel row in one copy when in_stride == cin), then converted a word at
 * a time (LDR + 2 SXTB16 + 2 STR per 4 k).
 *
 * With cin % 4 == 0, two pixels of one output row whose taps all fall
 * inside the map are converted together (sq__i2c_pair_s8: 2 LDR, 4 SXTB16,
 * 4 STR per 4 k of both pixels), kernel row by kernel row; 1x1
 * convolutions always pair their pixels that way.
 *
 * DSP epilogue (all shifts of the call in (32, 55], checked once per call;
 * else the scalar one): per 2 channels x 2 pixels, SMMLA (high word of
 * acc * mult + (2 * out_zp + 1) * 2^(shift-33) * 2^32: the rounding term
 * 2^(shift-1) has a zero low word, and the zero point, folded in as
 * out_zp * 2^(shift-32) in the high word, passes the floor shift exactly;
 * shift <= 55 keeps the high word in int32), ASR, SSAT #8, 3 BFI into one
 * word, bytewise clamp (SSUB8 + SEL, only for the sides narrower than
 * int8), two STRH. Its per-channel constants (bias, mult, folded rounding
 * constant, shift - 32) are built once per call into a table on the stack
 * (SQ_S8_EPI_PAIRS channel pairs, 32 bytes each) and loaded with LDRD.
 */
#ifndef SQ_KERNELS_S8_H
#define SQ_KERNELS_S8_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "sq_common.h"

#if defined(__ARM_FEATURE_DSP) && !defined(SQ_S8_NO_DSP)
#define SQ_S8_DSP 1
#else
#define SQ_S8_DSP 0
#endif

/*
 * SQ_S8_SCRATCH_BYTES: minimum scratch size in bytes of a convolution with
 * a k_h x k_w kernel over cin input channels (a constant expression; 1x1
 * convolutions pass k_h = k_w = 1): 2 pixels x K4 int16, plus, when cin is
 * not a multiple of 4, K4 bytes of int8 staging for the word-wise im2col:
 *
 *     K4 = (k_h * k_w * cin + 3) / 4 * 4
 *     bytes = K4 * 4            (cin % 4 == 0)
 *     bytes = K4 * 5            (cin % 4 != 0)
 */
#define SQ_S8_SCRATCH_BYTES(k_h, k_w, cin) \
    (((((k_h) * (k_w) * (cin)) + 3) / 4) * 4 * (4 + ((cin) % 4 != 0)))

/* ==========================================================================
 * Requantisation (reference definition)
 * ========================================================================== */

/*
 * sq_requant_s8: int8 output code of accumulator acc (single rounding):
 *
 *   v = (int32_t)(((int64_t)acc * mult + 2^(shift-1)) >> shift)
 *   clamp(v + out_zp, act_min, act_max)
 *
 * 0 <= mult < 2^31, 32 <= shift <= 62: the 64-bit sum cannot overflow
 * (|acc * mult| < 2^62) and v fits in int32 (|v| <= 2^30).
 */
SQ_INLINE int8_t sq_requant_s8(int32_t acc, int32_t mult, int32_t shift,
                               int out_zp, int act_min, int act_max)
{
    const int64_t p = (int64_t)acc * (int64_t)mult +
                      ((int64_t)1 << (shift - 1));
    int32_t v = (int32_t)(p >> shift) + out_zp;

    v = SQ_MAX(v, act_min);
    v = SQ_MIN(v, act_max);
    return (int8_t)v;
}

/* ==========================================================================
 * Internal building blocks (names start with sq__; not part of the API)
 * ========================================================================== */

/* sq__ld32_s8: 4 int8 bytes as one (possibly unaligned) 32-bit word. */
SQ_INLINE uint32_t sq__ld32_s8(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* sq__st32_s8: one 32-bit word to two int16 (4-byte aligned in practice). */
SQ_INLINE void sq__st32_s8(int16_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

/* sq__s32_s8: uint32 -> int32 two's complement, without implementation-
 * defined conversion (compiles to nothing). */
SQ_INLINE int32_t sq__s32_s8(uint32_t v)
{
    return (v <= 0x7FFFFFFFu) ? (int32_t)v
                              : -(int32_t)(~v) - 1;
}

#if SQ_S8_DSP
/* SXTB16: sign-extend bytes 0 and 2 to halfwords. */
SQ_INLINE uint32_t sq__sxtb16(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x));
    return r;
}

/* Bytewise signed max of 4 int8 lanes: SSUB8 (GE = v >= m), SEL. */
SQ_INLINE uint32_t sq__max4_s8(uint32_t v, uint32_t m)
{
    uint32_t r;
    __asm__("ssub8 %0, %1, %2\n\tsel %0, %1, %2"
            : "=&r"(r) : "r"(v), "r"(m));
    return r;
}

/* SXTB16 ROR #8: sign-extend bytes 1 and 3 to halfwords. */
SQ_INLINE uint32_t sq__sxtb16_ror8(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}
#endif

#if SQ_S8_DSP
/* SMMLA: high word of (r << 32) + a * b (truncated). */
SQ_INLINE int32_t sq__smmla_s8(int32_t a, int32_t b, int32_t r)
{
    int32_t d;
    __asm__("smmla %0, %1, %2, %3" : "=r"(d) : "r"(a), "r"(b), "r"(r));
    return d;
}

/* SMMULR: high word of a * b + 2^31. */
SQ_INLINE int32_t sq__smmulr_s8(int32_t a, int32_t b)
{
    int32_t d;
    __asm__("smmulr %0, %1, %2" : "=r"(d) : "r"(a), "r"(b));
    return d;
}

/* SSAT #8: clamp to [-128, 127]. */
SQ_INLINE int32_t sq__ssat8_s8(int32_t v)
{
    int32_t d;
    __asm__("ssat %0, #8, %1" : "=r"(d) : "r"(v));
    return d;
}

/* SMLAD: a + lo(x) * lo(y) + hi(x) * hi(y) (modulo 2^32). */
SQ_INLINE uint32_t sq__smlad_s8(uint32_t x, uint32_t y, uint32_t a)
{
    uint32_t d;
    __asm__("smlad %0, %1, %2, %3" : "=r"(d) : "r"(x), "r"(y), "r"(a));
    return d;
}

/* The low bytes of b0..b3 as bytes 0..3 of one word (3 BFI). */
SQ_INLINE uint32_t sq__pack4_s8(int32_t b0, int32_t b1, int32_t b2,
                                int32_t b3)
{
    uint32_t r = (uint32_t)b0;
    __asm__("bfi %0, %1, #8, #8\n\t"
            "bfi %0, %2, #16, #8\n\t"
            "bfi %0, %3, #24, #8"
            : "+r"(r) : "r"(b1), "r"(b2), "r"(b3));
    return r;
}

/* Bytewise signed min of 4 int8 lanes: SSUB8 (GE = v >= m), SEL. */
SQ_INLINE uint32_t sq__min4_s8(uint32_t v, uint32_t m)
{
    uint32_t r;
    __asm__("ssub8 %0, %1, %2\n\tsel %0, %2, %1"
            : "=&r"(r) : "r"(v), "r"(m));
    return r;
}
#endif

/*
 * sq__i2c_group_s8: one group of 4 codes at src (k = 4g .. 4g + 3) into
 * one pixel's slots of the group at d: halfwords 0, 1 <- k, k + 2 and
 * 4, 5 <- k + 1, k + 3 (one LDR, two SXTB16, two STR on the DSP path).
 */
SQ_INLINE void sq__i2c_group_s8(int16_t *SQ_RESTRICT d,
                                const int8_t *SQ_RESTRICT src)
{
#if SQ_S8_DSP
    const uint32_t v = sq__ld32_s8(src);
    sq__st32_s8(d, sq__sxtb16(v));
    sq__st32_s8(d + 4, sq__sxtb16_ror8(v));
#else
    d[0] = src[0];
    d[1] = src[2];
    d[4] = src[1];
    d[5] = src[3];
#endif
}

/*
 * sq__i2c_tap_s8: writes n input codes x_k, k in [k0, k0 + n), of pixel p
 * (0 or 1) into the scratch layout (see the top of the file). src == NULL:
 * a padded tap, every x_k = in_zp. With k0 and n multiples of 4 whole
 * groups are converted word-wise (one LDR + SXTB16 pair per 4 codes on the
 * DSP path); otherwise code by code.
 */
SQ_INLINE void sq__i2c_tap_s8(int16_t *SQ_RESTRICT s, int p, int k0, int n,
                              const int8_t *SQ_RESTRICT src, int in_zp)
{
    int i;

    if ((k0 & 3) == 0 && (n & 3) == 0) {
        int16_t *SQ_RESTRICT d = s + (k0 >> 2) * 8 + p * 2;
        const int ng = n >> 2;
        if (src == 0) {
            const uint32_t zz = ((uint32_t)in_zp & 0xFFFFu) * 0x10001u;
            for (i = 0; i < ng; ++i) {
                sq__st32_s8(d + 8 * i, zz);
                sq__st32_s8(d + 8 * i + 4, zz);
            }
            return;
        }
        for (i = 0; i < ng; ++i) {
#if SQ_S8_DSP
            const uint32_t v = sq__ld32_s8(src + 4 * i);
            sq__st32_s8(d + 8 * i, sq__sxtb16(v));
            sq__st32_s8(d + 8 * i + 4, sq__sxtb16_ror8(v));
#else
            d[8 * i + 0] = src[4 * i + 0];
            d[8 * i + 1] = src[4 * i + 2];
            d[8 * i + 4] = src[4 * i + 1];
            d[8 * i + 5] = src[4 * i + 3];
#endif
        }
        return;
    }
    for (i = 0; i < n; ++i) {
        const int k = k0 + i;
        const int j = k & 3;
        /* j = 0, 1, 2, 3 -> halfword 0, 4, 1, 5 of the group */
        s[(k >> 2) * 8 + p * 2 + ((j & 1) << 2) + (j >> 1)] =
            (int16_t)((src == 0) ? in_zp : src[i]);
    }
}

/*
 * sq__i2c_stage_s8: the byte staging area of a convolution whose cin is
 * not a multiple of 4: K4 bytes after the 2 x K4 int16 of the two pixels
 * (SQ_S8_SCRATCH_BYTES grows by K4 bytes for such cin).
 */
SQ_INLINE int8_t *sq__i2c_stage_s8(int16_t *SQ_RESTRICT s, int K4)
{
    return (int8_t *)(void *)(s + 2 * K4);
}

/*
 * sq__i2c_words_s8: converts ng groups of 4 staged int8 codes (k = 4g ..
 * 4g + 3, contiguous) into the int16 slots of pixel p: one LDR, two SXTB16
 * and two STR per 4 codes on the DSP path.
 */
SQ_INLINE void sq__i2c_words_s8(int16_t *SQ_RESTRICT s, int p,
                                const int8_t *SQ_RESTRICT st, int ng)
{
    int16_t *SQ_RESTRICT d = s + p * 2;
    int g;

    for (g = 0; g < ng; ++g) {
        sq__i2c_group_s8(d + 8 * g, st + 4 * g);
    }
}

/* sq__i2c_tail_s8: zeroes k in [K, K4) of pixel p (nothing if K % 4 == 0). */
SQ_INLINE void sq__i2c_tail_s8(int16_t *SQ_RESTRICT s, int p, int K)
{
    int k;

    for (k = K; (k & 3) != 0; ++k) {
        const int j = k & 3;
        s[(k >> 2) * 8 + p * 2 + ((j & 1) << 2) + (j >> 1)] = 0;
    }
}

/*
 * sq__i2c_pair_s8: ng groups of 4 codes of both pixels at once (P0 codes
 * at s0, P1 codes at s1, contiguous, k = 4g .. 4g + 3 of the groups at d):
 * per group 2 LDR, 4 SXTB16 and 4 STR on the DSP path, two groups per
 * iteration.
 */
SQ_INLINE void sq__i2c_pair_s8(int16_t *SQ_RESTRICT d,
                               const int8_t *SQ_RESTRICT s0,
                               const int8_t *SQ_RESTRICT s1, int ng)
{
    int g = 0;

#if SQ_S8_DSP
    for (; g + 2 <= ng; g += 2) {
        const uint32_t a = sq__ld32_s8(s0 + 4 * g);
        const uint32_t b = sq__ld32_s8(s1 + 4 * g);
        const uint32_t c = sq__ld32_s8(s0 + 4 * g + 4);
        const uint32_t e = sq__ld32_s8(s1 + 4 * g + 4);
        sq__st32_s8(d + 8 * g, sq__sxtb16(a));
        sq__st32_s8(d + 8 * g + 2, sq__sxtb16(b));
        sq__st32_s8(d + 8 * g + 4, sq__sxtb16_ror8(a));
        sq__st32_s8(d + 8 * g + 6, sq__sxtb16_ror8(b));
        sq__st32_s8(d + 8 * g + 8, sq__sxtb16(c));
        sq__st32_s8(d + 8 * g + 10, sq__sxtb16(e));
        sq__st32_s8(d + 8 * g + 12, sq__sxtb16_ror8(c));
        sq__st32_s8(d + 8 * g + 14, sq__sxtb16_ror8(e));
    }
    if (g < ng) {
        const uint32_t a = sq__ld32_s8(s0 + 4 * g);
        const uint32_t b = sq__ld32_s8(s1 + 4 * g);
        sq__st32_s8(d + 8 * g, sq__sxtb16(a));
        sq__st32_s8(d + 8 * g + 2, sq__sxtb16(b));
        sq__st32_s8(d + 8 * g + 4, sq__sxtb16_ror8(a));
        sq__st32_s8(d + 8 * g + 6, sq__sxtb16_ror8(b));
    }
#else
    for (; g < ng; ++g) {
        d[8 * g + 0] = s0[4 * g + 0];
        d[8 * g + 1] = s0[4 * g + 2];
        d[8 * g + 2] = s1[4 * g + 0];
        d[8 * g + 3] = s1[4 * g + 2];
        d[8 * g + 4] = s0[4 * g + 1];
        d[8 * g + 5] = s0[4 * g + 3];
        d[8 * g + 6] = s1[4 * g + 1];
        d[8 * g + 7] = s1[4 * g + 3];
    }
#endif
}

/*
 * sq__i2c_1x1_s8: im2col of one pixel (cin codes at src) of a 1x1
 * convolution into pixel slot p: word-wise from the input when cin % 4 ==
 * 0, else staged (cin bytes copied, zero bytes up to K4) and converted
 * word-wise.
 */
SQ_INLINE void sq__i2c_1x1_s8(int16_t *SQ_RESTRICT s, int p,
                              const int8_t *SQ_RESTRICT src, int cin)
{
    const int K4 = (cin + 3) & ~3;

    if ((cin & 3) == 0) {
        sq__i2c_tap_s8(s, p, 0, cin, src, 0);
    } else {
        int8_t *SQ_RESTRICT st = sq__i2c_stage_s8(s, K4);
        int k;
        for (k = 0; k < cin; ++k) {
            st[k] = src[k];
        }
        for (; k < K4; ++k) {
            st[k] = 0;
        }
        sq__i2c_words_s8(s, p, st, K4 >> 2);
    }
}

/*
 * sq__dot2x2_s8: the inner product of one pair of output channels with the
 * two pixels in scratch over ng = K4 / 4 groups:
 *
 *   c[0] += sum_k w[2p][k] * P0_k     c[1] += sum_k w[2p][k] * P1_k
 *   c[2] += sum_k w[2p+1][k] * P0_k   c[3] += sum_k w[2p+1][k] * P1_k
 *
 * (modulo 2^32), ng >= 1, c[1] == c[0] and c[3] == c[2] on entry (the
 * pair's biases: the DSP path reads c[0] and c[2] only and starts c[1],
 * c[3] from them in its first step). w: the pair's packed weights (8
 * bytes per group), x: the scratch (16 bytes per group). Both 8-byte
 * aligned. Returns w + 8 * ng, the packed weights of the next pair.
 *
 * DSP path: one asm step per group, 15 instructions for 16 MACs:
 *   LDRD w0, w1 <- weights      LDRD a, b <- P0(k0,k2), P1(k0,k2)
 *   e = SXTB16(w0)        (k0, k2) of channel 2p:   2 SMLAD (P0, P1)
 *   e = SXTB16(w0, ROR 8) (k0, k2) of channel 2p+1: 2 SMLAD
 *   LDRD a, b <- P0(k1,k3), P1(k1,k3)
 *   e = SXTB16(w1), 2 SMLAD; e = SXTB16(w1, ROR 8), 2 SMLAD
 * The first step (accumulating onto the biases), then (ng - 1) % 4 steps
 * (straight-line: a 2-step and a 1-step block), then a loop of 4 steps +
 * CMP + BNE (62 instructions per 64 MACs). 12 registers: no spills by
 * construction.
 */
#if SQ_S8_DSP
/* The asm steps are spelled with these pieces (operands by name):
 * SQ__LDW_S8(p): w0, w1 <- 8 weight bytes at p, p += 8;
 * SQ__LDX2_S8: a, b <- one (k, k+2) word of P0 and of P1, xp += 8;
 * SQ__EXT_S8(w, ror): e = SXTB16(w) (ror ", ror #8": the odd bytes);
 * SQ__MAC_S8(c, x, acc): c = acc + SMLAD(e, x). */
#define SQ__LDW_S8(p) "ldrd %[w0], %[w1], [%[" #p "]], #8\n\t"
#define SQ__LDX2_S8 "ldrd %[a], %[b], [%[xp]], #8\n\t"
#define SQ__EXT_S8(w, ror) "sxtb16 %[e], %[" #w "]" ror "\n\t"
#define SQ__MAC_S8(c, x, acc) "smlad %[" #c "], %[e], %[" #x "], %[" #acc "]\n\t"

/* One weight word w of a channel pair, both pixels: c0/c1 (channel 2p,
 * P0/P1) from its even bytes, c2/c3 (channel 2p+1) from its odd bytes. */
#define SQ__HALF2_S8(w)                                                  \
    SQ__EXT_S8(w, "") SQ__MAC_S8(c0, a, c0) SQ__MAC_S8(c1, b, c1)         \
    SQ__EXT_S8(w, ", ror #8") SQ__MAC_S8(c2, a, c2) SQ__MAC_S8(c3, b, c3)

#define SQ__DOT_STEP_S8                                                  \
    SQ__LDW_S8(wp) SQ__LDX2_S8 SQ__HALF2_S8(w0) SQ__LDX2_S8 SQ__HALF2_S8(w1)

/* The first step: c1, c3 start from c0, c2 (the pair's biases), so the
 * caller needs no register copies. */
#define SQ__DOT_FIRST_S8                                                 \
    SQ__LDW_S8(wp) SQ__LDX2_S8                                           \
    SQ__EXT_S8(w0, "") SQ__MAC_S8(c1, b, c0) SQ__MAC_S8(c0, a, c0)        \
    SQ__EXT_S8(w0, ", ror #8") SQ__MAC_S8(c3, b, c2) SQ__MAC_S8(c2, a, c2) \
    SQ__LDX2_S8 SQ__HALF2_S8(w1)

#define SQ__DOT_OPERANDS_S8                                              \
    : [c0] "+r"(c0), [c1] "+r"(c1), [c2] "+r"(c2), [c3] "+r"(c3),        \
      [wp] "+r"(wp), [xp] "+r"(xp), [w0] "=&r"(w0), [w1] "=&r"(w1),      \
      [a] "=&r"(a), [b] "=&r"(b), [e] "=&r"(e)

/*
 * One pixel (P0 of the scratch: words 0 and 2 of each 16-byte group), two
 * pairs of output channels (weights at wp, wq): 20 instructions for 16
 * MACs. c0, c1: channels 2p, 2p + 1; c2, c3: channels 2p + 2, 2p + 3.
 * SQ__PAIR1_S8(p, ca, cb): the pair whose weights are at p into ca, cb.
 */
#define SQ__PAIR1_S8(p, ca, cb)                                          \
    SQ__LDW_S8(p)                                                        \
    SQ__EXT_S8(w0, "") SQ__MAC_S8(ca, a, ca)                              \
    SQ__EXT_S8(w0, ", ror #8") SQ__MAC_S8(cb, a, cb)                      \
    SQ__EXT_S8(w1, "") SQ__MAC_S8(ca, b, ca)                              \
    SQ__EXT_S8(w1, ", ror #8") SQ__MAC_S8(cb, b, cb)

#define SQ__DOT1_STEP_S8                                                 \
    "ldr %[a], [%[xp]], #8\n\t"                                          \
    "ldr %[b], [%[xp]], #8\n\t"                                          \
    SQ__PAIR1_S8(wp, c0, c1) SQ__PAIR1_S8(wq, c2, c3)

#define SQ__DOT1_OPERANDS_S8                                             \
    : [c0] "+r"(c0), [c1] "+r"(c1), [c2] "+r"(c2), [c3] "+r"(c3),        \
      [wp] "+r"(wp), [wq] "+r"(wq), [xp] "+r"(xp), [w0] "=&r"(w0),       \
      [w1] "=&r"(w1), [a] "=&r"(a), [b] "=&r"(b), [e] "=&r"(e)

/*
 * SQ__DOT_RUN_S8: runs the asm STEP n times (n >= 0): a 2-step block if
 * n & 2, a 1-step block if n & 1, then a loop of 4 steps + CMP + BNE while
 * xp has not reached end (the groups' end).
 */
#define SQ__DOT_RUN_S8(n, end, STEP, OPERANDS)                          \
    do {                                                                 \
        if ((n) & 2) {                                                   \
            __asm__(STEP STEP OPERANDS : : "memory");                    \
        }                                                                \
        if ((n) & 1) {                                                   \
            __asm__(STEP OPERANDS : : "memory");                         \
        }                                                                \
        if ((n) >= 4) {                                                  \
            const int16_t *const sq__xend = (end);                       \
            __asm__("1:\n\t" STEP STEP STEP STEP                         \
                    "cmp %[xp], %[xend]\n\t"                             \
                    "bne 1b\n\t"                                         \
                    OPERANDS                                             \
                    : [xend] "r"(sq__xend)                               \
                    : "cc", "memory");                                   \
        }                                                                \
    } while (0)
#endif

SQ_INLINE const int8_t *sq__dot2x2_s8(uint32_t *SQ_RESTRICT c,
                                      const int8_t *SQ_RESTRICT w,
                                      const int16_t *SQ_RESTRICT x,
                                      int ng)
{
#if SQ_S8_DSP
    uint32_t c0 = c[0], c1, c2 = c[2], c3;
    uint32_t w0, w1, a, b, e;
    const int8_t *wp = w;
    const int16_t *xp = x;
    const int rest = ng - 1;

    __asm__(SQ__DOT_FIRST_S8
            : [c0] "+r"(c0), [c1] "=&r"(c1), [c2] "+r"(c2), [c3] "=&r"(c3),
              [wp] "+r"(wp), [xp] "+r"(xp), [w0] "=&r"(w0), [w1] "=&r"(w1),
              [a] "=&r"(a), [b] "=&r"(b), [e] "=&r"(e)
            : : "memory");
    SQ__DOT_RUN_S8(rest, x + ng * 8, SQ__DOT_STEP_S8, SQ__DOT_OPERANDS_S8);
    c[0] = c0; c[1] = c1; c[2] = c2; c[3] = c3;
    return wp;
#else
    uint32_t c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
    int g;

    for (g = 0; g < ng; ++g) {
        const int8_t *SQ_RESTRICT wg = w + 8 * g;
        const int16_t *SQ_RESTRICT xg = x + 8 * g;
        const int32_t a0 = wg[0], b0 = wg[1], a2 = wg[2], b2 = wg[3];
        const int32_t a1 = wg[4], b1 = wg[5], a3 = wg[6], b3 = wg[7];
        /* |w * x| <= 2^14: four products fit in int32. */
        c0 += (uint32_t)(a0 * xg[0] + a2 * xg[1] + a1 * xg[4] + a3 * xg[5]);
        c1 += (uint32_t)(a0 * xg[2] + a2 * xg[3] + a1 * xg[6] + a3 * xg[7]);
        c2 += (uint32_t)(b0 * xg[0] + b2 * xg[1] + b1 * xg[4] + b3 * xg[5]);
        c3 += (uint32_t)(b0 * xg[2] + b2 * xg[3] + b1 * xg[6] + b3 * xg[7]);
    }
    c[0] = c0; c[1] = c1; c[2] = c2; c[3] = c3;
    return w + 8 * ng;
#endif
}

/*
 * sq__dot2x1_s8: one pair of output channels, pixel P0 of the scratch
 * only: c[0] += sum_k w[2p][k] * P0_k, c[1] += sum_k w[2p+1][k] * P0_k.
 */
SQ_INLINE void sq__dot2x1_s8(uint32_t *SQ_RESTRICT c,
                             const int8_t *SQ_RESTRICT w,
                             const int16_t *SQ_RESTRICT x, int ng)
{
    uint32_t c0 = c[0], c1 = c[1];
    int g;

    for (g = 0; g < ng; ++g) {
        const int8_t *SQ_RESTRICT wg = w + 8 * g;
        const int16_t *SQ_RESTRICT xg = x + 8 * g;
#if SQ_S8_DSP
        const uint32_t a = sq__ld32_s8((const int8_t *)(const void *)xg);
        const uint32_t b = sq__ld32_s8((const int8_t *)(const void *)(xg + 4));
        const uint32_t w0 = sq__ld32_s8(wg), w1 = sq__ld32_s8(wg + 4);
        c0 = sq__smlad_s8(sq__sxtb16(w0), a, c0);
        c1 = sq__smlad_s8(sq__sxtb16_ror8(w0), a, c1);
        c0 = sq__smlad_s8(sq__sxtb16(w1), b, c0);
        c1 = sq__smlad_s8(sq__sxtb16_ror8(w1), b, c1);
#else
        const int32_t a0 = wg[0], b0 = wg[1], a2 = wg[2], b2 = wg[3];
        const int32_t a1 = wg[4], b1 = wg[5], a3 = wg[6], b3 = wg[7];
        c0 += (uint32_t)(a0 * xg[0] + a2 * xg[1] + a1 * xg[4] + a3 * xg[5]);
        c1 += (uint32_t)(b0 * xg[0] + b2 * xg[1] + b1 * xg[4] + b3 * xg[5]);
#endif
    }
    c[0] = c0; c[1] = c1;
}

#if SQ_S8_DSP
/*
 * sq__dot4x1_s8: two pairs of output channels (packed weights at w and
 * w2), pixel P0 only: c[0..1] channels 2p, 2p + 1 (w), c[2..3] the next
 * pair (w2). 20 instructions per 16 MACs, loop unrolled 4 times.
 */
SQ_INLINE void sq__dot4x1_s8(uint32_t *SQ_RESTRICT c,
                             const int8_t *SQ_RESTRICT w,
                             const int8_t *SQ_RESTRICT w2,
                             const int16_t *SQ_RESTRICT x, int ng)
{
    uint32_t c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
    uint32_t w0, w1, a, b, e;
    const int8_t *wp = w;
    const int8_t *wq = w2;
    const int16_t *xp = x;

    SQ__DOT_RUN_S8(ng, x + ng * 8, SQ__DOT1_STEP_S8, SQ__DOT1_OPERANDS_S8);
    c[0] = c0; c[1] = c1; c[2] = c2; c[3] = c3;
}
#endif

/*
 * sq__rq_rnd_s8: the rounding constant 2^(shift-1), 32 <= shift <= 62, as a
 * 64-bit value built from its two words without a 64-bit shift:
 * t = 2^(shift-32); high word t >> 1, low word t << 31 (2^31 for shift 32,
 * else 0).
 */
SQ_INLINE int64_t sq__rq_rnd_s8(int32_t shift)
{
    const uint32_t t = 1u << (shift - 32);

    return (int64_t)(((uint64_t)(t >> 1) << 32) | (uint32_t)(t << 31));
}

/*
 * sq__rq_s8: requantisation as sq_requant_s8, given the channel's rounding
 * constant rnd = sq__rq_rnd_s8(shift) and sh = shift - 32: the high word of
 * acc * mult + rnd (SMLAL), arithmetically shifted right by sh.
 */
SQ_INLINE int32_t sq__rq_s8(int32_t acc, int32_t mult, int64_t rnd, int sh,
                            int out_zp, int act_min, int act_max)
{
    const int64_t p = (int64_t)acc * (int64_t)mult + rnd;
    int32_t v = ((int32_t)(p >> 32) >> sh) + out_zp;

    v = SQ_MAX(v, act_min);
    v = SQ_MIN(v, act_max);
    return v;
}

/*
 * sq__epi1_s8: generic (scalar) epilogue of output channel ch for one or
 * two pixels: accumulators a0 (P0) and a1 (P1, if two).
 *   to_gap == 0: codes to o0[ch] (P0) and, if two, o1[ch] (P1)
 *   to_gap != 0: gap[ch] += code of P0 (+ code of P1 if two)
 */
SQ_INLINE void sq__epi1_s8(uint32_t a0, uint32_t a1, int ch, int two,
                           const int32_t *SQ_RESTRICT mult,
                           const int32_t *SQ_RESTRICT shift,
                           int out_zp, int act_min, int act_max,
                           int8_t *SQ_RESTRICT o0, int8_t *SQ_RESTRICT o1,
                           int32_t *SQ_RESTRICT gap, int to_gap)
{
    const int32_t m = mult[ch];
    const int32_t s = shift[ch];
    const int64_t rnd = sq__rq_rnd_s8(s);
    const int32_t v0 = sq__rq_s8(sq__s32_s8(a0), m, rnd, s - 32, out_zp,
                                 act_min, act_max);

    if (to_gap) {
        gap[ch] += v0;
    } else {
        o0[ch] = (int8_t)v0;
    }
    if (two) {
        const int32_t v1 = sq__rq_s8(sq__s32_s8(a1), m, rnd, s - 32, out_zp,
                                     act_min, act_max);
        if (to_gap) {
            gap[ch] += v1;
        } else {
            o1[ch] = (int8_t)v1;
        }
    }
}

#if SQ_S8_DSP
/*
 * sq__rq4r_s8 / sq__rq4_s8: the DSP requantisation of 4 accumulators with
 * per-lane mult / shift (all shifts in (32, 55]), zero point, clamp: SMMLA
 * with rz = (2 * out_zp + 1) * 2^(sh-1) in the high word (sh = shift - 32,
 * 1 <= sh <= 23: the low word of 2^(shift-1) is 0, so the high word of
 * acc * mult + 2^(shift-1) is SMMLA's truncated sum; out_zp * 2^sh added
 * to it comes out of the floor shift as exactly + out_zp, and |high word|
 * < 2^30 + 2^30 stays in int32), ASR sh, SSAT #8; then the 4 bytes packed
 * (3 BFI) in the order a0, a1, a2, a3 and clamped to [act_min, act_max]
 * bytewise (SSUB8 + SEL each side, only where the range is narrower than
 * int8; constant-folded in generated code). sq__rq4r_s8 takes the rz
 * constants (sq__rq_rz_s8), sq__rq4_s8 computes them.
 */
SQ_INLINE uint32_t sq__rq4r_s8(uint32_t a0, uint32_t a1, uint32_t a2,
                               uint32_t a3, int32_t m0, int32_t m1,
                               int32_t m2, int32_t m3, int32_t r0,
                               int32_t r1, int32_t r2, int32_t r3, int sh0,
                               int sh1, int sh2, int sh3, int act_min,
                               int act_max)
{
    const int32_t v0 = sq__ssat8_s8(sq__smmla_s8(sq__s32_s8(a0), m0, r0) >>
                                    sh0);
    const int32_t v1 = sq__ssat8_s8(sq__smmla_s8(sq__s32_s8(a1), m1, r1) >>
                                    sh1);
    const int32_t v2 = sq__ssat8_s8(sq__smmla_s8(sq__s32_s8(a2), m2, r2) >>
                                    sh2);
    const int32_t v3 = sq__ssat8_s8(sq__smmla_s8(sq__s32_s8(a3), m3, r3) >>
                                    sh3);
    uint32_t w = sq__pack4_s8(v0, v1, v2, v3);

    if (act_min > -128) {
        w = sq__max4_s8(w, ((uint32_t)act_min & 0xFFu) * 0x01010101u);
    }
    if (act_max < 127) {
        w = sq__min4_s8(w, ((uint32_t)act_max & 0xFFu) * 0x01010101u);
    }
    return w;
}

/* sq__rq_rz_s8: the DSP epilogue's rounding constant with the zero point
 * folded in, (2 * out_zp + 1) * 2^(sh-1), 1 <= sh <= 23 (fits in int32). */
SQ_INLINE int32_t sq__rq_rz_s8(int out_zp, int sh)
{
    return sq__s32_s8((uint32_t)(2 * out_zp + 1) << sh) >> 1;
}

SQ_INLINE uint32_t sq__rq4_s8(uint32_t a0, uint32_t a1, uint32_t a2,
                              uint32_t a3, int32_t m0, int32_t m1,
                              int32_t m2, int32_t m3, int sh0, int sh1,
                              int sh2, int sh3, int out_zp, int act_min,
                              int act_max)
{
    return sq__rq4r_s8(a0, a1, a2, a3, m0, m1, m2, m3,
                       sq__rq_rz_s8(out_zp, sh0), sq__rq_rz_s8(out_zp, sh1),
                       sq__rq_rz_s8(out_zp, sh2), sq__rq_rz_s8(out_zp, sh3),
                       sh0, sh1, sh2, sh3, act_min, act_max);
}

/*
 * The per-call epilogue table of the DSP path (on the stack, built once
 * per call when the fast epilogue applies): for each of the first
 * SQ_S8_EPI_PAIRS pairs of output channels (co = 2p, 2p + 1), 8 words
 *
 *     bias[co], bias[co+1], mult[co], mult[co+1], rz(co), rz(co+1),
 *     shift[co] - 32, shift[co+1] - 32
 *
 * (rz: sq__rq_rz_s8), so that the epilogue of a pixel pair loads its
 * constants with 4 LDRD instead of recomputing them. Channels past the
 * table (cout > 2 * SQ_S8_EPI_PAIRS) compute them on the fly.
 */
#ifndef SQ_S8_EPI_PAIRS
#define SQ_S8_EPI_PAIRS 32
#endif

SQ_INLINE int sq__epi_tab_s8(int32_t *SQ_RESTRICT tab,
                             const int32_t *SQ_RESTRICT bias,
                             const int32_t *SQ_RESTRICT mult,
                             const int32_t *SQ_RESTRICT shift, int out_zp,
                             int cout)
{
    const int np = SQ_MIN(cout >> 1, SQ_S8_EPI_PAIRS);
    int p;

    for (p = 0; p < np; ++p) {
        int32_t *SQ_RESTRICT t = tab + 8 * p;
        const int sh0 = shift[2 * p] - 32, sh1 = shift[2 * p + 1] - 32;
        t[0] = bias[2 * p];
        t[1] = bias[2 * p + 1];
        t[2] = mult[2 * p];
        t[3] = mult[2 * p + 1];
        t[4] = sq__rq_rz_s8(out_zp, sh0);
        t[5] = sq__rq_rz_s8(out_zp, sh1);
        t[6] = sh0;
        t[7] = sh1;
    }
    return np;
}
#endif

/*
 * sq__rq_fast_s8: 1 when the DSP epilogue applies to every channel of a
 * call (all shifts in (32, 55]: SMMLA's truncated high word then is exact
 * and the folded zero point cannot overflow), else 0 (and always 0 on the
 * portable path). Checked once per call.
 */
SQ_INLINE int sq__rq_fast_s8(const int32_t *SQ_RESTRICT shift, int cout)
{
#if SQ_S8_DSP
    int co;

    for (co = 0; co < cout; ++co) {
        if (shift[co] <= 32 || shift[co] > 55) {
            return 0;
        }
    }
    return 1;
#else
    (void)shift;
    (void)cout;
    return 0;
#endif
}

#if SQ_S8_DSP
/*
 * sq__st2x2_s8: the 4 codes of sq__rq4_s8 for 2 channels x 2 pixels (bytes
 * P0 co, P0 co+1, P1 co, P1 co+1): two halfwords to o0 + co, o1 + co, or
 * summed into gap[co], gap[co + 1].
 */
SQ_INLINE void sq__st2x2_s8(uint32_t w, int co, int8_t *SQ_RESTRICT o0,
                            int8_t *SQ_RESTRICT o1,
                            int32_t *SQ_RESTRICT gap, int to_gap)
{
    if (to_gap) {
        /* lanes (P0, P1) of co, then of co + 1 */
        const uint32_t ones = 0x00010001u;
        gap[co] = sq__s32_s8(sq__smlad_s8(sq__sxtb16(w), ones,
                                          (uint32_t)gap[co]));
        gap[co + 1] = sq__s32_s8(sq__smlad_s8(sq__sxtb16_ror8(w), ones,
                                              (uint32_t)gap[co + 1]));
    } else {
        const uint16_t h0 = (uint16_t)(w & 0xFFFFu);
        const uint16_t h1 = (uint16_t)(w >> 16);
        memcpy(o0 + co, &h0, sizeof h0);
        memcpy(o1 + co, &h1, sizeof h1);
    }
}
#endif

/*
 * sq__cols2_s8: all output channels of the two pixels in scratch x:
 * per channel pair, accumulators from the bias, sq__dot2x2_s8, requant.
 *   to_gap == 0: codes to o0[co] (P0) and o1[co] (P1)
 *   to_gap != 0: gap[co] += code of P0 + code of P1
 * An odd cout computes its last channel paired with a zero-weight one.
 * fast (sq__rq_fast_s8, DSP only): sq__rq4r_s8 over the 2 x 2 outputs
 * (bytes P0 co, P0 co+1, P1 co, P1 co+1), stored as two halfwords, the
 * constants of the first ntab channel pairs from the call's table tab
 * (sq__epi_tab_s8; running pointers for weights, table and outputs), the
 * rest computed per pair; else the generic scalar epilogue.
 */
SQ_INLINE void sq__cols2_s8(const int16_t *SQ_RESTRICT x, int K4, int cout,
                            const int8_t *SQ_RESTRICT w_packed,
                            const int32_t *SQ_RESTRICT bias,
                            const int32_t *SQ_RESTRICT mult,
                            const int32_t *SQ_RESTRICT shift,
                            int out_zp, int act_min, int act_max,
                            int8_t *SQ_RESTRICT o0, int8_t *SQ_RESTRICT o1,
                            int32_t *SQ_RESTRICT gap, int to_gap, int fast,
                            const int32_t *SQ_RESTRICT tab, int ntab)
{
    const int ng = K4 / 4;
    int co = 0;

#if SQ_S8_DSP
    if (fast) {
        const int32_t *SQ_RESTRICT t = tab;
        const int32_t *const tend = tab + 8 * ntab;
        const int8_t *SQ_RESTRICT wq = w_packed;
        int8_t *SQ_RESTRICT q0 = o0;
        int8_t *SQ_RESTRICT q1 = o1;
        int32_t *SQ_RESTRICT gq = gap;

        /* running pointers: weights, outputs (or gap), table */
        for (; t != tend; t += 8) {
            uint32_t c[4], w;

            c[0] = c[1] = (uint32_t)t[0];
            c[2] = c[3] = (uint32_t)t[1];
            wq = sq__dot2x2_s8(c, wq, x, ng);
            w = sq__rq4r_s8(c[0], c[2], c[1], c[3], t[2], t[3], t[2], t[3],
                            t[4], t[5], t[4], t[5], t[6], t[7], t[6], t[7],
                            act_min, act_max);
            if (to_gap) {
                sq__st2x2_s8(w, 0, 0, 0, gq, 1);
                gq += 2;
            } else {
                sq__st2x2_s8(w, 0, q0, q1, 0, 0);
                q0 += 2;
                q1 += 2;
            }
        }
        co = 2 * ntab;
        for (; co + 2 <= cout; co += 2) {
            uint32_t c[4], w;
            int sh0, sh1;
            int32_t m0, m1;

            c[0] = c[1] = (uint32_t)bias[co];
            c[2] = c[3] = (uint32_t)bias[co + 1];
            sq__dot2x2_s8(c, w_packed + co * K4, x, ng);
            /* loaded after the dot (its asm clobbers memory): no spills */
            sh0 = shift[co] - 32;
            sh1 = shift[co + 1] - 32;
            m0 = mult[co];
            m1 = mult[co + 1];
            w = sq__rq4_s8(c[0], c[2], c[1], c[3], m0, m1, m0, m1, sh0, sh1,
                           sh0, sh1, out_zp, act_min, act_max);
            sq__st2x2_s8(w, co, o0, o1, gap, to_gap);
        }
    }
#else
    (void)fast;
    (void)tab;
    (void)ntab;
#endif
    for (; co < cout; co += 2) {
        const int pair = co + 1 < cout;
        uint32_t c[4];

        c[0] = c[1] = (uint32_t)bias[co];
        c[2] = c[3] = pair ? (uint32_t)bias[co + 1] : 0u;
        sq__dot2x2_s8(c, w_packed + co * K4, x, ng);
        sq__epi1_s8(c[0], c[1], co, 1, mult, shift, out_zp, act_min,
                    act_max, o0, o1, gap, to_gap);
        if (pair) {
            sq__epi1_s8(c[2], c[3], co + 1, 1, mult, shift, out_zp, act_min,
                        act_max, o0, o1, gap, to_gap);
        }
    }
}

/*
 * sq__cols1_s8: all output channels of pixel P0 of scratch x alone (the
 * odd pixel of a run): no MAC is spent on P1. DSP with fast: 4 channels at
 * a time (sq__dot4x1_s8, sq__rq4r_s8 with the table's constants while they
 * last, else sq__rq4_s8; one word store); the rest (and the portable path)
 * one channel pair at a time (sq__dot2x1_s8).
 */
SQ_INLINE void sq__cols1_s8(const int16_t *SQ_RESTRICT x, int K4, int cout,
                            const int8_t *SQ_RESTRICT w_packed,
                            const int32_t *SQ_RESTRICT bias,
                            const int32_t *SQ_RESTRICT mult,
                            const int32_t *SQ_RESTRICT shift,
                            int out_zp, int act_min, int act_max,
                            int8_t *SQ_RESTRICT o0,
                            int32_t *SQ_RESTRICT gap, int to_gap, int fast,
                            const int32_t *SQ_RESTRICT tab, int ntab)
{
    const int ng = K4 / 4;
    int co = 0;

#if SQ_S8_DSP
    if (fast) {
        const int32_t *SQ_RESTRICT t = tab;
        for (; co + 4 <= 2 * ntab; co += 4, t += 16) {
            uint32_t c[4], w;
            int j;

            c[0] = (uint32_t)t[0];
            c[1] = (uint32_t)t[1];
            c[2] = (uint32_t)t[8];
            c[3] = (uint32_t)t[9];
            sq__dot4x1_s8(c, w_packed + co * K4, w_packed + (co + 2) * K4, x,
                          ng);
            w = sq__rq4r_s8(c[0], c[1], c[2], c[3], t[2], t[3], t[10], t[11],
                            t[4], t[5], t[12], t[13], t[6], t[7], t[14],
                            t[15], act_min, act_max);
            if (to_gap) {
                for (j = 0; j < 4; ++j) {
                    const uint32_t b = (w >> (8 * j)) & 0xFFu;
                    gap[co + j] += (int32_t)b - (int32_t)((b & 0x80u) << 1);
                }
            } else {
                memcpy(o0 + co, &w, sizeof w);
            }
        }
        for (; co + 4 <= cout; co += 4) {
            uint32_t c[4], w;
            int j;

            for (j = 0; j < 4; ++j) {
                c[j] = (uint32_t)bias[co + j];
            }
            sq__dot4x1_s8(c, w_packed + co * K4, w_packed + (co + 2) * K4, x,
                          ng);
            w = sq__rq4_s8(c[0], c[1], c[2], c[3], mult[co], mult[co + 1],
                           mult[co + 2], mult[co + 3], shift[co] - 32,
                           shift[co + 1] - 32, shift[co + 2] - 32,
                           shift[co + 3] - 32, out_zp, act_min, act_max);
            if (to_gap) {
                for (j = 0; j < 4; ++j) {
                    const uint32_t b = (w >> (8 * j)) & 0xFFu;
                    gap[co + j] += (int32_t)b - (int32_t)((b & 0x80u) << 1);
                }
            } else {
                memcpy(o0 + co, &w, sizeof w);
            }
        }
    }
#else
    (void)fast;
    (void)tab;
    (void)ntab;
#endif
    for (; co < cout; co += 2) {
        const int pair = co + 1 < cout;
        uint32_t c[2];

        c[0] = (uint32_t)bias[co];
        c[1] = pair ? (uint32_t)bias[co + 1] : 0u;
        sq__dot2x1_s8(c, w_packed + co * K4, x, ng);
        sq__epi1_s8(c[0], 0u, co, 0, mult, shift, out_zp, act_min, act_max,
                    o0, 0, gap, to_gap);
        if (pair) {
            sq__epi1_s8(c[1], 0u, co + 1, 0, mult, shift, out_zp, act_min,
                        act_max, o0, 0, gap, to_gap);
        }
    }
}

/*
 * sq__conv1x1_run_s8: 1x1 convolution of npx consecutive pixels (pixel i
 * at in + i * in_stride, out + i * out_stride), two at a time, an odd last
 * pixel alone. With to_gap != 0 the codes are summed into gap[0..cout)
 * (out unused).
 */
SQ_INLINE void sq__conv1x1_run_s8(const int8_t *SQ_RESTRICT in, int in_stride,
                                  int cin, int8_t *SQ_RESTRICT out,
                                  int out_stride, int cout,
                                  const int8_t *SQ_RESTRICT w_packed,
                                  const int32_t *SQ_RESTRICT bias,
                                  const int32_t *SQ_RESTRICT mult,
                                  const int32_t *SQ_RESTRICT shift,
                                  int out_zp, int act_min, int act_max,
                                  int32_t *SQ_RESTRICT gap, int to_gap,
                                  int fast, const int32_t *SQ_RESTRICT tab,
                                  int ntab, int npx,
                                  int16_t *SQ_RESTRICT scratch)
{
    const int K4 = (cin + 3) & ~3;
    int i;

    for (i = 0; i + 2 <= npx; i += 2) {
        const int8_t *SQ_RESTRICT x0 = in + i * in_stride;
        int8_t *SQ_RESTRICT o0 = to_gap ? out : out + i * out_stride;
        if ((cin & 3) == 0) {
            sq__i2c_pair_s8(scratch, x0, x0 + in_stride, cin >> 2);
        } else {
            sq__i2c_1x1_s8(scratch, 0, x0, cin);
            sq__i2c_1x1_s8(scratch, 1, x0 + in_stride, cin);
        }
        sq__cols2_s8(scratch, K4, cout, w_packed, bias, mult, shift, out_zp,
                     act_min, act_max, o0, to_gap ? o0 : o0 + out_stride,
                     gap, to_gap, fast, tab, ntab);
    }
    if (i < npx) {
        sq__i2c_1x1_s8(scratch, 0, in + i * in_stride, cin);
        sq__cols1_s8(scratch, K4, cout, w_packed, bias, mult, shift, out_zp,
                     act_min, act_max, to_gap ? out : out + i * out_stride,
                     gap, to_gap, fast, tab, ntab);
    }
}

/*
 * sq__conv1x1_rows_s8: rows [row0, row1) over rings; rows contiguous in
 * both rings are one pixel run (as sq__conv1x1_rows_f32).
 */
SQ_INLINE void sq__conv1x1_rows_s8(const int8_t *SQ_RESTRICT in, int in_w,
                                   int in_stride, int in_ring, int cin,
                                   int8_t *SQ_RESTRICT out, int out_stride,
                                   int out_ring, int cout,
                                   const int8_t *SQ_RESTRICT w_packed,
                                   const int32_t *SQ_RESTRICT bias,
                                   const int32_t *SQ_RESTRICT mult,
                                   const int32_t *SQ_RESTRICT shift,
                                   int out_zp, int act_min, int act_max,
                                   int32_t *SQ_RESTRICT gap, int to_gap,
                                   int row0, int row1,
                                   int16_t *SQ_RESTRICT scratch)
{
    const int fast = sq__rq_fast_s8(shift, cout);
    int y = row0;
#if SQ_S8_DSP
    int32_t tab[8 * SQ_S8_EPI_PAIRS];
    const int ntab = fast ? sq__epi_tab_s8(tab, bias, mult, shift, out_zp,
                                           cout)
                          : 0;
#else
    const int32_t *const tab = 0;
    const int ntab = 0;
#endif

    while (y < row1) {
        const int in_slot = y % in_ring;
        const int out_slot = y % out_ring;
        int8_t *SQ_RESTRICT dst;
        int rows = row1 - y;

        rows = SQ_MIN(rows, in_ring - in_slot);
        rows = SQ_MIN(rows, out_ring - out_slot);
        dst = to_gap ? out : out + out_slot * in_w * out_stride;
        sq__conv1x1_run_s8(in + in_slot * in_w * in_stride, in_stride, cin,
                           dst, out_stride, cout, w_packed, bias, mult, shift,
                           out_zp, act_min, act_max, gap, to_gap, fast,
                           tab, ntab, rows * in_w, scratch);
        y += rows;
    }
}

/*
 * sq__i2c_px_s8: im2col of output pixel p (0 or 1) of a general
 * convolution whose tap (0, 0) is at input (iy, ix), k in [K, K4) zeroed.
 * cin % 4 == 0: tap by tap, word-wise (in_zp words for padded taps).
 * Otherwise the k_w * cin codes of each kernel row are first staged as
 * bytes (one memcpy per kernel row when in_stride == cin and the row is
 * inside the map, else per tap; in_zp bytes for padding), then converted
 * word-wise (sq__i2c_words_s8).
 */
SQ_INLINE void sq__i2c_px_s8(int16_t *SQ_RESTRICT s, int p,
                             const int8_t *SQ_RESTRICT in, int in_h, int in_w,
                             int in_stride, int in_ring, int cin, int in_zp,
                             int k_h, int k_w, int iy, int ix)
{
    const int K = k_h * k_w * cin;
    const int K4 = (K + 3) & ~3;
    const int run = k_w * cin;
    int ky, kx;

    if ((cin & 3) == 0) {
        for (ky = 0; ky < k_h; ++ky) {
            const int y = iy + ky;
            const int8_t *SQ_RESTRICT row = 0;
            if (y >= 0 && y < in_h) {
                row = in + (y % in_ring) * in_w * in_stride;
            }
            for (kx = 0; kx < k_w; ++kx) {
                const int xx = ix + kx;
                const int8_t *SQ_RESTRICT src =
                    (row != 0 && xx >= 0 && xx < in_w) ? row + xx * in_stride
                                                       : 0;
                sq__i2c_tap_s8(s, p, (ky * k_w + kx) * cin, cin, src, in_zp);
            }
        }
        return;
    }
    {
        int8_t *SQ_RESTRICT st = sq__i2c_stage_s8(s, K4);
        int k;

        for (ky = 0; ky < k_h; ++ky) {
            const int y = iy + ky;
            int8_t *SQ_RESTRICT d = st + ky * run;
            const int8_t *SQ_RESTRICT row;
            if (y < 0 || y >= in_h) {
                memset(d, in_zp, (size_t)run);
                continue;
            }
            row = in + (y % in_ring) * in_w * in_stride;
            if (in_stride == cin && ix >= 0 && ix + k_w <= in_w) {
                memcpy(d, row + ix * cin, (size_t)run);
                continue;
            }
            for (kx = 0; kx < k_w; ++kx) {
                const int xx = ix + kx;
                if (xx >= 0 && xx < in_w) {
                    memcpy(d + kx * cin, row + xx * in_stride, (size_t)cin);
                } else {
                    memset(d + kx * cin, in_zp, (size_t)cin);
                }
            }
        }
        for (k = K; k < K4; ++k) {
            st[k] = 0;
        }
        sq__i2c_words_s8(s, p, st, K4 >> 2);
    }
}

/* ==========================================================================
 * Convolution
 * ========================================================================== */

/*
 * sq__conv_s8: general 2-D convolution (dilation 1, groups 1), int8,
 * output rows [row0, row1):
 *
 *   acc = bias[co] + sum_{ky,kx,ci} w[co][ky][kx][ci] *
 *                    q_in[r*s_h - pad_t + ky][x*s_w - pad_l + kx][ci]
 *   out[r][x][co] = clamp(requant(acc) + out_zp, act_min, act_max)
 *
 * with input positions outside the map reading as in_zp (real 0); bottom
 * and right padding are implied by in_h, in_w and out_w.
 *
 *   in        in_h x in_w x cin, pixel stride in_stride, ring of in_ring
 *   in_zp     input zero point (the value of padded taps)
 *   out       out_w x cout, pixel stride out_stride, ring of out_ring
 *   w_packed  see the top of the file; bias: corrected bias [cout]
 *   mult, shift  per output channel requantisation [cout]
 *   out_zp, act_min, act_max  output zero point and clamp range
 *   k_h, k_w, s_h, s_w, pad_t, pad_l  as sq_conv_f32
 *   scratch   SQ_S8_SCRATCH_BYTES(k_h, k_w, cin) bytes, 8-byte aligned
 *
 * The output pixels of rows [row0, row1) are taken two at a time in row
 * order (a pair may span two rows), both unrolled into scratch (together,
 * sq__i2c_pair_s8, when cin % 4 == 0 and both lie in one row with every
 * tap inside the map), then every channel pair is computed from there; an
 * odd last pixel is computed alone.
 */
SQ_INLINE void sq__conv_s8(const int8_t *SQ_RESTRICT in, int in_h, int in_w,
                           int in_stride, int in_ring, int cin, int in_zp,
                           int8_t *SQ_RESTRICT out, int out_w, int out_stride,
                           int out_ring, int cout,
                           const int8_t *SQ_RESTRICT w_packed,
                           const int32_t *SQ_RESTRICT bias,
                           const int32_t *SQ_RESTRICT mult,
                           const int32_t *SQ_RESTRICT shift,
                           int out_zp, int act_min, int act_max,
                           int k_h, int k_w, int s_h, int s_w,
                           int pad_t, int pad_l, int row0, int row1,
                           int16_t *SQ_RESTRICT scratch)
{
    const int K4 = (k_h * k_w * cin + 3) & ~3;
    const int fast = sq__rq_fast_s8(shift, cout);
    int r = row0, x = 0;
#if SQ_S8_DSP
    int32_t tab[8 * SQ_S8_EPI_PAIRS];
    const int ntab = fast ? sq__epi_tab_s8(tab, bias, mult, shift, out_zp,
                                           cout)
                          : 0;
#else
    const int32_t *const tab = 0;
    const int ntab = 0;
#endif

    while (r < row1) {
        int8_t *SQ_RESTRICT o0 =
            out + ((r % out_ring) * out_w + x) * out_stride;
        const int r1 = (x + 1 < out_w) ? r : r + 1;
        const int x1 = (x + 1 < out_w) ? x + 1 : 0;

        const int iy = r * s_h - pad_t, ix = x * s_w - pad_l;

        if (r1 == r && r1 < row1 && (cin & 3) == 0 && iy >= 0 &&
            iy + k_h <= in_h && ix >= 0 && ix + s_w + k_w <= in_w) {
            /* both pixels in one row, every tap inside the map: both
             * converted together, kernel row by kernel row (one run of
             * k_w * cin codes when in_stride == cin) */
            int ky, kx;
            for (ky = 0; ky < k_h; ++ky) {
                const int8_t *SQ_RESTRICT src =
                    in + (((iy + ky) % in_ring) * in_w + ix) * in_stride;
                int16_t *SQ_RESTRICT d = scratch + ky * k_w * cin * 2;
                if (in_stride == cin) {
                    sq__i2c_pair_s8(d, src, src + s_w * cin,
                                    (k_w * cin) >> 2);
                    continue;
                }
                for (kx = 0; kx < k_w; ++kx) {
                    sq__i2c_pair_s8(d + kx * cin * 2, src + kx * in_stride,
                                    src + (kx + s_w) * in_stride, cin >> 2);
                }
            }
        } else {
            sq__i2c_px_s8(scratch, 0, in, in_h, in_w, in_stride, in_ring,
                          cin, in_zp, k_h, k_w, iy, ix);
            if (r1 < row1) {
                sq__i2c_px_s8(scratch, 1, in, in_h, in_w, in_stride,
                              in_ring, cin, in_zp, k_h, k_w,
                              r1 * s_h - pad_t, x1 * s_w - pad_l);
            }
        }
        if (r1 < row1) {
            sq__cols2_s8(scratch, K4, cout, w_packed, bias, mult, shift,
                         out_zp, act_min, act_max, o0,
                         out + ((r1 % out_ring) * out_w + x1) * out_stride,
                         0, 0, fast, tab, ntab);
        } else {
            sq__cols1_s8(scratch, K4, cout, w_packed, bias, mult, shift,
                         out_zp, act_min, act_max, o0, 0, 0, fast, tab,
                         ntab);
        }
        /* next pair: two pixels on */
        r = r1;
        x = x1 + 1;
        if (x >= out_w) {
            x = 0;
            ++r;
        }
    }
}

/*
 * sq__conv1x1_s8: 1x1 convolution, stride 1, no padding, rows [row0, row1).
 *
 *   out[y][x][co] = clamp(requant(bias[co] + sum_ci w[co][ci] *
 *                   q_in[y][x][ci]) + out_zp, act_min, act_max)
 *
 * Arguments as sq_conv_s8 (width w shared by input and output; no in_zp,
 * no padding); scratch: SQ_S8_SCRATCH_BYTES(1, 1, cin) bytes. Rows
 * contiguous in both rings are one run of pixels, taken two at a time.
 */
SQ_INLINE void sq__conv1x1_s8(const int8_t *SQ_RESTRICT in, int w,
                              int in_stride, int in_ring, int cin,
                              int8_t *SQ_RESTRICT out, int out_stride,
                              int out_ring, int cout,
                              const int8_t *SQ_RESTRICT w_packed,
                              const int32_t *SQ_RESTRICT bias,
                              const int32_t *SQ_RESTRICT mult,
                              const int32_t *SQ_RESTRICT shift,
                              int out_zp, int act_min, int act_max,
                              int row0, int row1, int16_t *SQ_RESTRICT scratch)
{
    sq__conv1x1_rows_s8(in, w, in_stride, in_ring, cin, out, out_stride,
                        out_ring, cout, w_packed, bias, mult, shift, out_zp,
                        act_min, act_max, 0, 0, row0, row1, scratch);
}

/*
 * sq__conv1x1_gap_s8: 1x1 convolution + requantisation (+ clamp, e.g. ReLU)
 * summed over the pixels of rows [row0, row1) into int32 acc:
 *
 *   acc[co] += sum_{y, x} out_code[y][x][co]     (int8 codes, zp included)
 *
 * The convolution output is never stored. The caller zeroes acc[cout],
 * calls this for its row ranges, then sq_gap_finish_s8(acc, cout, H * W,
 * out). Arguments as sq_conv1x1_s8. Equals sq_conv1x1_s8 followed by
 * sq_gap_s8 bit for bit.
 */
SQ_INLINE void sq__conv1x1_gap_s8(const int8_t *SQ_RESTRICT in, int w,
                                  int in_stride, int in_ring, int cin,
                                  int32_t *SQ_RESTRICT acc, int cout,
                                  const int8_t *SQ_RESTRICT w_packed,
                                  const int32_t *SQ_RESTRICT bias,
                                  const int32_t *SQ_RESTRICT mult,
                                  const int32_t *SQ_RESTRICT shift,
                                  int out_zp, int act_min, int act_max,
                                  int row0, int row1,
                                  int16_t *SQ_RESTRICT scratch)
{
    sq__conv1x1_rows_s8(in, w, in_stride, in_ring, cin, 0, 0, in_ring, cout,
                        w_packed, bias, mult, shift, out_zp, act_min, act_max,
                        acc, 1, row0, row1, scratch);
}

/* ==========================================================================
 * Pooling
 * ========================================================================== */

/*
 * sq__maxpool_s8: max pooling, output rows [row0, row1); exact on int8 codes
 * (input and output share scale and zero point: no requantisation).
 * Arguments and semantics as sq_maxpool_f32 (padding never wins, windows
 * clipped; an empty window, impossible with PyTorch's size rule, gives 0).
 */
SQ_INLINE void sq__maxpool_s8(const int8_t *SQ_RESTRICT in, int in_h, int in_w,
                              int in_stride, int in_ring, int c,
                              int8_t *SQ_RESTRICT out, int out_w,
                              int out_stride, int out_ring,
                              int k_h, int k_w, int s_h, int s_w,
                              int pad_t, int pad_l, int row0, int row1)
{
    const int in_row = in_w * in_stride;
    int r;

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;
        const int y0 = SQ_MAX(iy, 0);
        const int y1 = SQ_MIN(iy + k_h, in_h);
        int8_t *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x;

        for (x = 0; x < out_w; ++x) {
            const int ix = x * s_w - pad_l;
            const int x0 = SQ_MAX(ix, 0);
            const int x1 = SQ_MIN(ix + k_w, in_w);
            int8_t *SQ_RESTRICT o = orow + x * out_stride;
            int ch = 0;

            if (y1 <= y0 || x1 <= x0) {
                for (ch = 0; ch < c; ++ch) {
                    o[ch] = 0;
                }
                continue;
            }
#if SQ_S8_DSP
            /* 4 channels per word: SSUB8 sets GE where v >= m, SEL picks. */
            for (; ch + 4 <= c; ch += 4) {
                uint32_t m = sq__ld32_s8(in + (y0 % in_ring) * in_row +
                                         x0 * in_stride + ch);
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const int8_t *SQ_RESTRICT p =
                        in + (yy % in_ring) * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        m = sq__max4_s8(sq__ld32_s8(p + xx * in_stride), m);
                    }
                }
                memcpy(o + ch, &m, sizeof m);
            }
#endif
            for (; ch < c; ++ch) {
                int m = -128;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const int8_t *SQ_RESTRICT p =
                        in + (yy % in_ring) * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const int v = p[xx * in_stride];
                        m = (v > m) ? v : m;
                    }
                }
                o[ch] = (int8_t)m;
            }
        }
    }
}

/*
 * sq__maxpool_fold_s8: streaming max pooling, one input row at a time, as
 * sq_maxpool_fold_f32: the row's horizontal window maxima are stored into
 * the output row acc when first != 0, max-combined with it otherwise.
 * Folding every input row of a window gives sq_maxpool_s8 exactly. DSP
 * path: 4 channels per word, the usual 3-wide window unrolled.
 */
SQ_INLINE void sq__maxpool_fold_s8(const int8_t *SQ_RESTRICT in, int in_w,
                                   int in_stride, int c,
                                   int8_t *SQ_RESTRICT acc, int out_w,
                                   int acc_stride, int k_w, int s_w,
                                   int pad_l, int first)
{
    int x;

    for (x = 0; x < out_w; ++x) {
        const int ix = x * s_w - pad_l;
        const int x0 = SQ_MAX(ix, 0);
        const int x1 = SQ_MIN(ix + k_w, in_w);
        int8_t *SQ_RESTRICT o = acc + x * acc_stride;
        const int8_t *SQ_RESTRICT p0 = in + x0 * in_stride;
        int ch = 0;

        if (x1 <= x0) {
            /* empty window (impossible with PyTorch's size rule): 0 */
            for (ch = 0; ch < c; ++ch) {
                o[ch] = (first || 0 > o[ch]) ? (int8_t)0 : o[ch];
            }
            continue;
        }
#if SQ_S8_DSP
        /* 4 channels per word: SSUB8 sets GE where v >= m, SEL picks. */
        if (x1 - x0 == 3) {
            /* the usual 3-wide window, unrolled */
            for (; ch + 4 <= c; ch += 4) {
                const int8_t *SQ_RESTRICT p = p0 + ch;
                uint32_t m = sq__max4_s8(sq__ld32_s8(p + in_stride),
                                         sq__ld32_s8(p));
                m = sq__max4_s8(sq__ld32_s8(p + 2 * in_stride), m);
                if (!first) {
                    m = sq__max4_s8(m, sq__ld32_s8(o + ch));
                }
                memcpy(o + ch, &m, sizeof m);
            }
        }
        for (; ch + 4 <= c; ch += 4) {
            const int8_t *SQ_RESTRICT p = p0 + ch;
            uint32_t m = sq__ld32_s8(p);
            int xx;
            for (xx = x0 + 1; xx < x1; ++xx) {
                p += in_stride;
                m = sq__max4_s8(sq__ld32_s8(p), m);
            }
            if (!first) {
                m = sq__max4_s8(m, sq__ld32_s8(o + ch));
            }
            memcpy(o + ch, &m, sizeof m);
        }
#endif
        for (; ch < c; ++ch) {
            const int8_t *SQ_RESTRICT p = p0 + ch;
            int m = p[0];
            int xx;
            for (xx = x0 + 1; xx < x1; ++xx) {
                p += in_stride;
                m = (*p > m) ? *p : m;
            }
            o[ch] = (first || m > o[ch]) ? (int8_t)m : o[ch];
        }
    }
}

/*
 * sq__gap_s8: global average pooling, accumulation: adds the int8 codes of
 * rows [row0, row1) to int32 acc[c] (zeroed by the caller first).
 */
SQ_INLINE void sq__gap_s8(const int8_t *SQ_RESTRICT in, int w, int in_stride,
                          int in_ring, int c, int32_t *SQ_RESTRICT acc,
                          int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const int8_t *SQ_RESTRICT row = in + (y % in_ring) * w * in_stride;
        for (x = 0; x < w; ++x) {
            for (ch = 0; ch < c; ++ch) {
                acc[ch] += row[x * in_stride + ch];
            }
        }
    }
}

/*
 * sq_gap_finish_s8: out[ch] = rounded acc[ch] / count, count = H * W > 0,
 * TFLite's average-pool rounding (half away from zero):
 *
 *   acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count
 *
 * Input and output share scale and zero point (the zero point passes
 * through the average unchanged), so no requantisation; the result is an
 * average of int8 codes and needs no clamp.
 */
SQ_INLINE void sq_gap_finish_s8(const int32_t *SQ_RESTRICT acc, int c,
                                int count, int8_t *SQ_RESTRICT out)
{
    int ch;

    for (ch = 0; ch < c; ++ch) {
        const int32_t a = acc[ch];
        const int32_t v = (a > 0) ? (a + count / 2) / count
                                  : (a - count / 2) / count;
        out[ch] = (int8_t)v;
    }
}

/* ==========================================================================
 * Data movement
 * ========================================================================== */

/*
 * sq__add_s8: element-wise sum of two int8 maps of n values (the bypass),
 * each rescaled to the output scale in one rounding (64-bit):
 *
 *   out[i] = clamp(((a[i] - a_zp) * a_mult + (b[i] - b_zp) * b_mult
 *                   + 2^(shift - 1)) >> shift + out_zp, act_min, act_max)
 *
 * with 0 <= a_mult, b_mult < 2^31 and 1 <= shift <= 62 (>> arithmetic).
 * a and b may be the same buffer; out must not overlap them. Not a hot
 * loop in SqueezeNet (one add per bypass), so portable C on every path.
 */
SQ_INLINE void sq__add_s8(const int8_t *a, int a_zp, int32_t a_mult,
                          const int8_t *b, int b_zp, int32_t b_mult,
                          int8_t *SQ_RESTRICT out, int n, int32_t shift,
                          int out_zp, int act_min, int act_max)
{
    const int64_t round = (int64_t)1 << (shift - 1);
    int i;

    for (i = 0; i < n; ++i) {
        const int64_t sum = (int64_t)(a[i] - a_zp) * a_mult +
                            (int64_t)(b[i] - b_zp) * b_mult + round;
        int64_t v = (sum >> shift) + out_zp;
        v = (v < act_min) ? act_min : v;
        v = (v > act_max) ? act_max : v;
        out[i] = (int8_t)v;
    }
}

/*
 * sq__copy_channels_s8: copy rows [row0, row1) of a w x c map into another
 * map of the same width (e.g. a channel slice of a concat buffer), as
 * sq_copy_channels_f32. Channels outside [0, c) of out are not touched.
 */
SQ_INLINE void sq__copy_channels_s8(const int8_t *SQ_RESTRICT in, int w,
                                    int in_stride, int in_ring, int c,
                                    int8_t *SQ_RESTRICT out, int out_stride,
                                    int out_ring, int row0, int row1)
{
    int y, x;

    for (y = row0; y < row1; ++y) {
        const int8_t *SQ_RESTRICT src = in + (y % in_ring) * w * in_stride;
        int8_t *SQ_RESTRICT dst = out + (y % out_ring) * w * out_stride;
        for (x = 0; x < w; ++x) {
            memcpy(dst + x * out_stride, src + x * in_stride, (size_t)c);
        }
    }
}


/* ==========================================================================
 * Quantisation of the model input, dequantisation of the output
 * ========================================================================== */

/*
 * sq_quantize_f32_s8: float -> int8 codes (TFLite Quantize):
 *
 *   t = roundf(in[i] / scale) + (float)zp    (roundf: half away from zero)
 *   out[i] = (int8_t)clamp(t, -128, 127);    NaN input -> zp
 *
 * scale > 0; +-inf and out-of-range values saturate.
 */
SQ_INLINE void sq_quantize_f32_s8(const float *SQ_RESTRICT in,
                                  int8_t *SQ_RESTRICT out, int n,
                                  float scale, int zp)
{
    int i;

    for (i = 0; i < n; ++i) {
        float t = roundf(in[i] / scale) + (float)zp;
        if (t != t) {
            t = (float)zp;
        }
        t = (t < -128.0f) ? -128.0f : t;
        t = (t > 127.0f) ? 127.0f : t;
        out[i] = (int8_t)t;
    }
}

/* sq_dequantize_s8_f32: out[i] = scale * (float)(in[i] - zp). */
SQ_INLINE void sq_dequantize_s8_f32(const int8_t *SQ_RESTRICT in,
                                    float *SQ_RESTRICT out, int n,
                                    float scale, int zp)
{
    int i;

    for (i = 0; i < n; ++i) {
        out[i] = scale * (float)(in[i] - zp);
    }
}

/* ==========================================================================
 * Public API: one parameter struct per call (see sq_common.h)
 *
 * Generated code passes a `static const` struct; these wrappers unpack it
 * into the kernels above (sq__*), which document the arithmetic. Every
 * call computes output rows [row0, row1); `scratch` is the int16 im2col
 * buffer of SQ_S8_SCRATCH_BYTES(win.k_h, win.k_w, in.c) bytes.
 * ========================================================================== */

/*
 * sq_conv_params_s8: one int8 convolution call.
 *
 *   in, out   maps (in.c = cin, out.c = cout, out.w the output width)
 *   win       kernel, strides, top/left padding (bottom/right implied)
 *   in_zp     input zero point
 *   out_zp, act_min, act_max   output zero point and clamp
 *   w         packed weights (Int8WeightPacker layout, top of this file)
 *   bias      [cout] int32, corrected for the input zero point
 *   mult, shift   [cout] requantisation (sq_requant_s8)
 */
typedef struct {
    sq_dims in;
    sq_dims out;
    sq_window win;
    int in_zp;
    int out_zp;
    int act_min;
    int act_max;
    const int8_t *w;
    const int32_t *bias;
    const int32_t *mult;
    const int32_t *shift;
} sq_conv_params_s8;

/* sq_add_params_s8: one bypass add (sq__add_s8). */
typedef struct {
    int a_zp;
    int32_t a_mult;
    int b_zp;
    int32_t b_mult;
    int32_t shift;
    int out_zp;
    int act_min;
    int act_max;
} sq_add_params_s8;

/*
 * sq_gap_params_s8: the mean of a global average from its int32 sums:
 * out[ch] = sq_requant_s8(acc[ch] - sum_zp, mult, shift, out_zp, -128, 127)
 * for ch < c (sum_zp = pixels * input zero point).
 */
typedef struct {
    int c;
    int32_t sum_zp;
    int32_t mult;
    int32_t shift;
    int out_zp;
} sq_gap_params_s8;

/* sq_conv_s8: general int8 convolution (sq__conv_s8). */
SQ_INLINE void sq_conv_s8(const sq_conv_params_s8 *p,
                          const int8_t *SQ_RESTRICT in,
                          int8_t *SQ_RESTRICT out, int row0, int row1,
                          int16_t *SQ_RESTRICT scratch)
{
    sq__conv_s8(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                p->in_zp, out, p->out.w, p->out.stride, p->out.ring, p->out.c,
                p->w, p->bias, p->mult, p->shift, p->out_zp, p->act_min,
                p->act_max, p->win.k_h, p->win.k_w, p->win.s_h, p->win.s_w,
                p->win.pad_t, p->win.pad_l, row0, row1, scratch);
}

/* sq_conv1x1_s8: 1x1 convolution, stride 1, no padding (sq__conv1x1_s8). */
SQ_INLINE void sq_conv1x1_s8(const sq_conv_params_s8 *p,
                             const int8_t *SQ_RESTRICT in,
                             int8_t *SQ_RESTRICT out, int row0, int row1,
                             int16_t *SQ_RESTRICT scratch)
{
    sq__conv1x1_s8(in, p->in.w, p->in.stride, p->in.ring, p->in.c, out,
                   p->out.stride, p->out.ring, p->out.c, p->w, p->bias,
                   p->mult, p->shift, p->out_zp, p->act_min, p->act_max,
                   row0, row1, scratch);
}

/*
 * sq_conv1x1_gap_s8: 1x1 convolution + clamp summed into acc[out.c]
 * (sq__conv1x1_gap_s8; p->out only gives cout).
 */
SQ_INLINE void sq_conv1x1_gap_s8(const sq_conv_params_s8 *p,
                                 const int8_t *SQ_RESTRICT in,
                                 int32_t *SQ_RESTRICT acc, int row0, int row1,
                                 int16_t *SQ_RESTRICT scratch)
{
    sq__conv1x1_gap_s8(in, p->in.w, p->in.stride, p->in.ring, p->in.c, acc,
                       p->out.c, p->w, p->bias, p->mult, p->shift, p->out_zp,
                       p->act_min, p->act_max, row0, row1, scratch);
}

/* sq_maxpool_s8: max pooling (sq__maxpool_s8; in.c channels). */
SQ_INLINE void sq_maxpool_s8(const sq_pool_params *p,
                             const int8_t *SQ_RESTRICT in,
                             int8_t *SQ_RESTRICT out, int row0, int row1)
{
    sq__maxpool_s8(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                   out, p->out.w, p->out.stride, p->out.ring, p->win.k_h,
                   p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                   p->win.pad_l, row0, row1);
}

/*
 * sq_maxpool_fold_s8: folds one input row `in` into the output row `acc`
 * (sq__maxpool_fold_s8; acc has p->out's width and pixel stride).
 */
SQ_INLINE void sq_maxpool_fold_s8(const sq_pool_params *p,
                                  const int8_t *SQ_RESTRICT in,
                                  int8_t *SQ_RESTRICT acc, int first)
{
    sq__maxpool_fold_s8(in, p->in.w, p->in.stride, p->in.c, acc, p->out.w,
                        p->out.stride, p->win.k_w, p->win.s_w, p->win.pad_l,
                        first);
}

/* sq_gap_s8: global average, accumulation step (sq__gap_s8). */
SQ_INLINE void sq_gap_s8(const sq_dims *in_dims, const int8_t *SQ_RESTRICT in,
                         int32_t *SQ_RESTRICT acc, int row0, int row1)
{
    sq__gap_s8(in, in_dims->w, in_dims->stride, in_dims->ring, in_dims->c,
               acc, row0, row1);
}

/* sq_gap_mean_s8: the requantised means of the sums acc (sq_gap_params_s8). */
SQ_INLINE void sq_gap_mean_s8(const sq_gap_params_s8 *p,
                              const int32_t *SQ_RESTRICT acc,
                              int8_t *SQ_RESTRICT out)
{
    int i;

    for (i = 0; i < p->c; ++i) {
        out[i] = sq_requant_s8(acc[i] - p->sum_zp, p->mult, p->shift,
                               p->out_zp, -128, 127);
    }
}

/* sq_add_s8: the bypass add (sq__add_s8); out must not overlap a or b. */
SQ_INLINE void sq_add_s8(const sq_add_params_s8 *p, const int8_t *a,
                         const int8_t *b, int8_t *SQ_RESTRICT out, int n)
{
    sq__add_s8(a, p->a_zp, p->a_mult, b, p->b_zp, p->b_mult, out, n,
               p->shift, p->out_zp, p->act_min, p->act_max);
}

/*
 * sq_relu_s8: x[i] = max(x[i], zp) for i < n, in place (ReLU on codes of
 * zero point zp).
 */
SQ_INLINE void sq_relu_s8(int8_t *SQ_RESTRICT x, int n, int zp)
{
    int i;

    for (i = 0; i < n; ++i) {
        x[i] = (x[i] < zp) ? (int8_t)zp : x[i];
    }
}

/*
 * sq_copy_channels_s8: copies in.c channels of rows [row0, row1) into a
 * map of the same width (sq__copy_channels_s8).
 */
SQ_INLINE void sq_copy_channels_s8(const sq_copy_params *p,
                                   const int8_t *SQ_RESTRICT in,
                                   int8_t *SQ_RESTRICT out, int row0, int row1)
{
    sq__copy_channels_s8(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                         out, p->out.stride, p->out.ring, row0, row1);
}

#endif /* SQ_KERNELS_S8_H */
"""#,
        "sq_model.h.in": #"""
{{BANNER}}
#ifndef {{GUARD}}
#define {{GUARD}}

#ifdef __cplusplus
extern "C" {
#endif

{{DEFINES}}

/*
 * Runs one inference.
 *   input:  {{PREFIX_UPPER}}_INPUT_COUNT floats, NHWC (height, width, channels), already normalised.
 *   output: {{PREFIX_UPPER}}_OUTPUT_COUNT floats.
 * Uses a static arena of {{PREFIX_UPPER}}_ARENA_BYTES bytes inside the generated code; not reentrant.
 * Returns 0 on success, -1 if a pointer is NULL.
 */
int {{PREFIX}}_run(const float *input, float *output);

/*
 * The same with a caller-provided arena of at least {{PREFIX_UPPER}}_ARENA_BYTES bytes,
 * aligned to {{PREFIX_UPPER}}_ARENA_ALIGN bytes (place it where you like: TCM, external RAM).
 * Returns 0 on success, -1 if a pointer is NULL, -2 if the arena is misaligned.
 */
int {{PREFIX}}_run_with_arena(const float *input, float *output, void *arena);

#ifdef __cplusplus
}
#endif

#endif /* {{GUARD}} */
"""#,
        "sq_model_s8.h.in": #"""
{{BANNER}}
#ifndef {{GUARD}}
#define {{GUARD}}

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

{{DEFINES}}

/*
 * Runs one inference of the int8 model.
 *   input:  {{PREFIX_UPPER}}_INPUT_COUNT int8 codes, NHWC (height, width, channels): the normalised
 *           image quantised with {{PREFIX_UPPER}}_INPUT_SCALE / {{PREFIX_UPPER}}_INPUT_ZERO_POINT.
 *   output: {{PREFIX_UPPER}}_OUTPUT_COUNT int8 codes; real = {{PREFIX_UPPER}}_OUTPUT_SCALE *
 *           (code - {{PREFIX_UPPER}}_OUTPUT_ZERO_POINT).
 * Uses a static arena of {{PREFIX_UPPER}}_ARENA_BYTES bytes inside the generated code; not reentrant.
 * Returns 0 on success, -1 if a pointer is NULL.
 */
int {{PREFIX}}_run(const int8_t *input, int8_t *output);

/*
 * The same with a caller-provided arena of at least {{PREFIX_UPPER}}_ARENA_BYTES bytes,
 * aligned to {{PREFIX_UPPER}}_ARENA_ALIGN bytes (place it where you like: TCM, external RAM).
 * Returns 0 on success, -1 if a pointer is NULL, -2 if the arena is misaligned.
 */
int {{PREFIX}}_run_with_arena(const int8_t *input, int8_t *output, void *arena);

/*
 * Convenience entry point ({{PREFIX}}_f32.c): quantises {{PREFIX_UPPER}}_INPUT_COUNT floats
 * (round half away from zero, clamped; NaN gives the zero point), runs {{PREFIX}}_run and
 * dequantises the output into {{PREFIX_UPPER}}_OUTPUT_COUNT floats. Keeps a static int8 copy of the
 * input ({{PREFIX_UPPER}}_INPUT_COUNT bytes). Returns as {{PREFIX}}_run.
 */
int {{PREFIX}}_run_f32(const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* {{GUARD}} */
"""#,
    ]
}

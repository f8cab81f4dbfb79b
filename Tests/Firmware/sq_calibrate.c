/*
 * sq_calibrate.c - measures the SysTick ticks -> instructions ratio.
 *
 * A replacement for sq_harness.c (same startup, linker script and flags,
 * no model): runs spin loops of exactly known length and prints, per loop,
 *   SQ_CALIBRATE <instructions> <ticks> <counted instructions>
 * where <counted instructions> is what sq_cycles_to_instructions makes of
 * the ticks. Run under -icount shift=0. The longest loop crosses several
 * 24-bit SysTick wraps, which checks the wrap accounting.
 */
#include <stdint.h>

#include "sq_cycles.h"
#include "sq_semihost.h"

/* Executes exactly 2 * iterations instructions (subs + bne per turn). */
static void sq_spin(uint32_t iterations)
{
    register uint32_t r __asm__("r0") = iterations;
    __asm__ volatile(
        "1:\n\t"
        "subs %0, %0, #1\n\t"
        "bne 1b\n\t"
        : "+r"(r)
        :
        : "cc");
}

static uint64_t sq_measure(uint32_t iterations)
{
    uint64_t start = sq_cycles_ticks();
    sq_spin(iterations);
    return sq_cycles_ticks() - start;
}

int main(void)
{
    static const uint32_t iterations[] = { 1000000u, 10000000u, 100000000u, 400000000u };
    unsigned i;
    sq_cycles_start();
    for (i = 0; i < sizeof iterations / sizeof iterations[0]; i++) {
        char line[96];
        char *end = line + sizeof line;
        uint64_t ticks = sq_measure(iterations[i]);
        char *p = sq_fmt_str(line, end, "SQ_CALIBRATE ");
        p = sq_fmt_u64(p, end, 2u * (uint64_t)iterations[i]);
        p = sq_fmt_str(p, end, " ");
        p = sq_fmt_u64(p, end, ticks);
        p = sq_fmt_str(p, end, " ");
        p = sq_fmt_u64(p, end, sq_cycles_to_instructions(ticks));
        (void)sq_fmt_str(p, end, "\n");
        sq_sh_write0(line);
    }
    return 0;
}

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

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

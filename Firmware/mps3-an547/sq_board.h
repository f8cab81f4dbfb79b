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

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

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

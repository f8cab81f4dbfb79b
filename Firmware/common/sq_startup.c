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

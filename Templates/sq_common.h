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

/*
 * sq_pad_params: constant padding of height and width. Output row y is
 * input row y - pad_t between pad_l columns of fill on the left and the
 * rest on the right, or all fill when y - pad_t is outside the input
 * (fp32: `value`, ONNX Pad's constant_value, 0 unless set; int8: the
 * code `fill`, the zero point's for 0).
 */
typedef struct {
    sq_dims in;
    sq_dims out;
    int pad_t, pad_l;
    int fill;
    float value;
} sq_pad_params;

#endif /* SQ_COMMON_H */

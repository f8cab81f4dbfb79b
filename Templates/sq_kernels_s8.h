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
 * 0 <= mult < 2^31 and 1 <= shift <= 62: the 64-bit sum cannot overflow
 * (|acc * mult| < 2^62, the rounding term <= 2^61). Convolutions have
 * 32 <= shift <= 62, so v fits in int32 (|v| <= 2^30); a global average's
 * mean (sq_gap_mean_s8) may have a shift below 32 (rescale factor 0.5 or
 * more, e.g. over 1 or 2 pixels), and the generator keeps its
 * |acc| * mult * 2^-shift below 2^30 instead.
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

    /* The group written out here, not through a helper: a helper's own
     * restrict parameters changed GCC's register allocation of the whole
     * inlined conv1 stage (+1.5% instructions on the layer schedule). */
    for (g = 0; g < ng; ++g) {
#if SQ_S8_DSP
        const uint32_t v = sq__ld32_s8(st + 4 * g);
        sq__st32_s8(d + 8 * g, sq__sxtb16(v));
        sq__st32_s8(d + 8 * g + 4, sq__sxtb16_ror8(v));
#else
        d[8 * g + 0] = st[4 * g + 0];
        d[8 * g + 1] = st[4 * g + 2];
        d[8 * g + 4] = st[4 * g + 1];
        d[8 * g + 5] = st[4 * g + 3];
#endif
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
                           const int8_t *SQ_RESTRICT shift,
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
                             const int8_t *SQ_RESTRICT shift, int out_zp,
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
SQ_INLINE int sq__rq_fast_s8(const int8_t *SQ_RESTRICT shift, int cout)
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
                            const int8_t *SQ_RESTRICT shift,
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
                            const int8_t *SQ_RESTRICT shift,
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
                                  const int8_t *SQ_RESTRICT shift,
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
                                   const int8_t *SQ_RESTRICT shift,
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
                           const int8_t *SQ_RESTRICT shift,
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
                              const int8_t *SQ_RESTRICT shift,
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
                                  const int8_t *SQ_RESTRICT shift,
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

/*
 * sq_flatten_nchw_s8: reorder a whole h x w x c NHWC map of codes (pixel
 * stride c) into the NCHW order ONNX's Flatten produces (codes keep their
 * scale and zero point):
 *
 *   out[ch * h * w + y * w + x] = in[(y * w + x) * c + ch]
 */
SQ_INLINE void sq_flatten_nchw_s8(const int8_t *SQ_RESTRICT in, int h, int w,
                                  int c, int8_t *SQ_RESTRICT out)
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
    const int8_t *shift;
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
 * for ch < c (sum_zp = pixels * input zero point). mult and shift encode
 * input scale / (pixels * output scale) for any pixel count: 1 <= shift
 * <= 62 (below 32 when the factor is 0.5 or more).
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

/*
 * sq_lut_params_s8: a 256-entry table over rows of a map: the output code
 * of input code q is table[q + 128] (clip, leaky ReLU, sigmoid; computed at
 * compile time from the input and output scales).
 */
typedef struct {
    sq_dims map;
    const int8_t *table;
} sq_lut_params_s8;

/*
 * sq_lut_rows_s8: the table on map.c channels of rows [row0, row1) at base
 * (rows modulo map.ring), in place: a convolution's epilogue right after the
 * call that wrote the rows, or a standalone node after a row copy.
 */
SQ_INLINE void sq_lut_rows_s8(const sq_lut_params_s8 *p, int8_t *base,
                              int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        int8_t *row = base + (y % p->map.ring) * p->map.w * p->map.stride;
        for (x = 0; x < p->map.w; ++x) {
            int8_t *px = row + x * p->map.stride;
            for (ch = 0; ch < p->map.c; ++ch) {
                px[ch] = p->table[px[ch] + 128];
            }
        }
    }
}

/*
 * sq_affine_params_s8: affine map on codes, one rounding:
 *
 *   out = clamp(((q - in_zp) * mult[i] + offset[i] + 2^(shift - 1)) >> shift
 *               + out_zp, -128, 127)
 *
 * with i the parameter index as in sq_affine_params_f32 (per channel, or
 * also per row and/or column: by_row, by_col).
 * |mult| < 2^31, |offset| < 2^57, 1 <= shift <= 62: no int64 overflow.
 */
typedef struct {
    sq_dims map;
    int in_zp;
    int out_zp;
    int shift;
    const int32_t *mult;
    const int64_t *offset;
    int by_row, by_col;
} sq_affine_params_s8;

/* sq_affine_rows_s8: the affine map on rows [row0, row1), in place. */
SQ_INLINE void sq_affine_rows_s8(const sq_affine_params_s8 *p, int8_t *base,
                                 int row0, int row1)
{
    const int64_t rnd = (int64_t)1 << (p->shift - 1);
    const int cols = p->by_col ? p->map.w : 1;
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        int8_t *row = base + (y % p->map.ring) * p->map.w * p->map.stride;
        for (x = 0; x < p->map.w; ++x) {
            int8_t *px = row + x * p->map.stride;
            const int k = ((p->by_row ? y : 0) * cols + (p->by_col ? x : 0)) * p->map.c;
            const int32_t *mult = p->mult + k;
            const int64_t *offset = p->offset + k;
            for (ch = 0; ch < p->map.c; ++ch) {
                const int64_t v = (int64_t)(px[ch] - p->in_zp) * mult[ch] +
                                  offset[ch] + rnd;
                int64_t r = (v >> p->shift) + p->out_zp;
                r = r < -128 ? -128 : r;
                r = r > 127 ? 127 : r;
                px[ch] = (int8_t)r;
            }
        }
    }
}

/* sq_pad_rows_s8: rows [row0, row1) of the padded map (sq_pad_params). */
SQ_INLINE void sq_pad_rows_s8(const sq_pad_params *p,
                              const int8_t *SQ_RESTRICT in,
                              int8_t *SQ_RESTRICT out, int row0, int row1)
{
    const int8_t fill = (int8_t)p->fill;
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const int sy = y - p->pad_t;
        int8_t *SQ_RESTRICT dst = out + (y % p->out.ring) * p->out.w * p->out.stride;
        const int8_t *SQ_RESTRICT src =
            (sy >= 0 && sy < p->in.h) ? in + (sy % p->in.ring) * p->in.w * p->in.stride : 0;
        for (x = 0; x < p->out.w; ++x) {
            const int sx = x - p->pad_l;
            for (ch = 0; ch < p->out.c; ++ch) {
                dst[x * p->out.stride + ch] =
                    (src != 0 && sx >= 0 && sx < p->in.w) ? src[sx * p->in.stride + ch] : fill;
            }
        }
    }
}

/* ==========================================================================
 * Grouped and depthwise convolution (ONNX `group` > 1)
 * ========================================================================== */

/*
 * sq_gconv_s8: int8 convolution with `groups` channel groups
 * (sq_conv_params_s8 with in.c = cin, out.c = cout, multiples of groups).
 * Output channel co reads the cin / groups input channels of its group
 * g = co / (cout / groups), from channel g * (cin / groups). Weights are
 * plain OHWI int8 [cout][k_h][k_w][cin / groups] (not paired), the bias is
 * corrected for the input zero point over those taps, so as for sq_conv_s8
 *
 *     acc[co] = bias[co] + sum_{ky,kx,ci} w[co][ky][kx][ci] * x_tap
 *
 * with x_tap = in_zp for a padded tap, then sq_requant_s8. No scratch.
 * Depthwise (cin == cout == groups) keeps the channel innermost: per output
 * pixel the int32 sums of SQ_GCONV_S8_BLOCK channels at a time on the stack.
 */
#ifndef SQ_GCONV_S8_BLOCK
#define SQ_GCONV_S8_BLOCK 32
#endif

SQ_INLINE void sq_gconv_s8(const sq_conv_params_s8 *p, int groups,
                           const int8_t *SQ_RESTRICT in,
                           int8_t *SQ_RESTRICT out, int row0, int row1)
{
    const int cin_g = p->in.c / groups;
    const int cout_g = p->out.c / groups;
    const int taps = p->win.k_h * p->win.k_w;
    const int K = taps * cin_g;
    const int32_t zp = p->in_zp;
    int oy, ox, co, ky, kx, ci;

    for (oy = row0; oy < row1; ++oy) {
        int8_t *orow = out + (oy % p->out.ring) * p->out.w * p->out.stride;
        const int iy0 = oy * p->win.s_h - p->win.pad_t;
        for (ox = 0; ox < p->out.w; ++ox) {
            int8_t *o = orow + ox * p->out.stride;
            const int ix0 = ox * p->win.s_w - p->win.pad_l;
            if (cin_g == 1 && cout_g == 1) {
                int c0;
                for (c0 = 0; c0 < p->out.c; c0 += SQ_GCONV_S8_BLOCK) {
                    int32_t acc[SQ_GCONV_S8_BLOCK];
                    const int n = SQ_MIN(SQ_GCONV_S8_BLOCK, p->out.c - c0);
                    for (co = 0; co < n; ++co) {
                        acc[co] = p->bias[c0 + co];
                    }
                    for (ky = 0; ky < p->win.k_h; ++ky) {
                        const int iy = iy0 + ky;
                        const int row_in = iy >= 0 && iy < p->in.h;
                        const int8_t *irow = row_in ? in + (iy % p->in.ring) *
                                                              p->in.w * p->in.stride
                                                    : in;
                        for (kx = 0; kx < p->win.k_w; ++kx) {
                            const int ix = ix0 + kx;
                            const int8_t *w = p->w + c0 * taps + ky * p->win.k_w + kx;
                            if (row_in && ix >= 0 && ix < p->in.w) {
                                const int8_t *x = irow + ix * p->in.stride + c0;
                                for (co = 0; co < n; ++co) {
                                    acc[co] += (int32_t)x[co] * (int32_t)w[co * taps];
                                }
                            } else {
                                for (co = 0; co < n; ++co) {
                                    acc[co] += zp * (int32_t)w[co * taps];
                                }
                            }
                        }
                    }
                    for (co = 0; co < n; ++co) {
                        o[c0 + co] = sq_requant_s8(acc[co], p->mult[c0 + co],
                                                   p->shift[c0 + co], p->out_zp,
                                                   p->act_min, p->act_max);
                    }
                }
                continue;
            }
            for (co = 0; co < p->out.c; ++co) {
                const int8_t *wc = p->w + co * K;
                const int c0 = (co / cout_g) * cin_g;
                int32_t acc = p->bias[co];
                for (ky = 0; ky < p->win.k_h; ++ky) {
                    const int iy = iy0 + ky;
                    for (kx = 0; kx < p->win.k_w; ++kx) {
                        const int ix = ix0 + kx;
                        const int8_t *w = wc + (ky * p->win.k_w + kx) * cin_g;
                        if (iy >= 0 && iy < p->in.h && ix >= 0 && ix < p->in.w) {
                            const int8_t *x = in + ((iy % p->in.ring) * p->in.w + ix) *
                                                       p->in.stride + c0;
                            for (ci = 0; ci < cin_g; ++ci) {
                                acc += (int32_t)x[ci] * (int32_t)w[ci];
                            }
                        } else {
                            for (ci = 0; ci < cin_g; ++ci) {
                                acc += zp * (int32_t)w[ci];
                            }
                        }
                    }
                }
                o[co] = sq_requant_s8(acc, p->mult[co], p->shift[co], p->out_zp,
                                      p->act_min, p->act_max);
            }
        }
    }
}

/* ==========================================================================
 * Average pooling (int8)
 * ========================================================================== */

/*
 * sq_avgpool_s8: average pooling on int8 codes, output rows [row0, row1);
 * input and output share scale and zero point zp. Window, padding, ceil
 * mode and divisor n as sq__avgpool_f32 (padded positions are real 0, the
 * code zp). Per output:
 *
 *     v   = sum over the real window positions of (q - zp)
 *     out = clamp(zp + round(v / n), -128, 127)
 *
 * round: half away from zero in integers, (v + n/2) / n for v >= 0 and
 * -((-v + n/2) / n) below (C division truncates). A window with no real
 * position or n == 0 gives zp (real 0). |v| <= 255 * k_h * k_w.
 */
SQ_INLINE void sq_avgpool_s8(const sq_pool_params *p, int zp,
                             const int8_t *SQ_RESTRICT in,
                             int8_t *SQ_RESTRICT out, int row0, int row1)
{
    const int in_row = p->in.w * p->in.stride;
    int r;

    for (r = row0; r < row1; ++r) {
        const int iy = r * p->win.s_h - p->win.pad_t;
        const int y0 = SQ_MAX(iy, 0);
        const int y1 = SQ_MIN(iy + p->win.k_h, p->in.h);
        const int ny_pad = SQ_MIN(iy + p->win.k_h, p->in.h + p->win.pad_b) -
                           SQ_MAX(iy, -p->win.pad_t);
        int8_t *SQ_RESTRICT orow = out + (r % p->out.ring) * p->out.w * p->out.stride;
        int x;

        for (x = 0; x < p->out.w; ++x) {
            const int ix = x * p->win.s_w - p->win.pad_l;
            const int x0 = SQ_MAX(ix, 0);
            const int x1 = SQ_MIN(ix + p->win.k_w, p->in.w);
            const int nx_pad = SQ_MIN(ix + p->win.k_w, p->in.w + p->win.pad_r) -
                               SQ_MAX(ix, -p->win.pad_l);
            const int n_real = SQ_MAX(y1 - y0, 0) * SQ_MAX(x1 - x0, 0);
            const int32_t n = p->count_include_pad
                                  ? SQ_MAX(ny_pad, 0) * SQ_MAX(nx_pad, 0)
                                  : n_real;
            int8_t *SQ_RESTRICT o = orow + x * p->out.stride;
            int ch;

            for (ch = 0; ch < p->in.c; ++ch) {
                int32_t v = 0, q;
                int y, xx;
                if (n_real == 0 || n == 0) {
                    o[ch] = (int8_t)zp;
                    continue;
                }
                for (y = y0; y < y1; ++y) {
                    const int8_t *row = in + (y % p->in.ring) * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        v += (int32_t)row[xx * p->in.stride] - zp;
                    }
                }
                q = v >= 0 ? (v + n / 2) / n : -((-v + n / 2) / n);
                q += zp;
                o[ch] = (int8_t)SQ_MIN(SQ_MAX(q, -128), 127);
            }
        }
    }
}

/* ==========================================================================
 * Softmax (int8)
 * ========================================================================== */

/*
 * sq_softmax_params_s8: an int8 softmax over `width` codes (width < 65536).
 * table[d] = round(2^16 * exp(-in_scale * d)), d = 0..255, computed by the
 * generator (SoftmaxQuantization).
 */
typedef struct {
    int width;
    uint32_t table[256];
} sq_softmax_params_s8;

/*
 * sq_softmax_s8: out = min(round(256 * table[m - q] / sum) - 128, 127),
 * m the row's max code, sum = sum of table[m - q] over the row (uint32),
 * round half up in 64 bits. Output scale 1/256, zero point -128.
 */
SQ_INLINE void sq_softmax_s8(const sq_softmax_params_s8 *p,
                             const int8_t *SQ_RESTRICT in,
                             int8_t *SQ_RESTRICT out)
{
    int i, m = -128;
    uint32_t sum = 0;
    uint64_t den;

    for (i = 0; i < p->width; ++i) {
        m = SQ_MAX(m, (int)in[i]);
    }
    for (i = 0; i < p->width; ++i) {
        sum += p->table[m - in[i]];
    }
    den = 2u * (uint64_t)sum;
    for (i = 0; i < p->width; ++i) {
        const uint64_t num = (uint64_t)p->table[m - in[i]] * 512u + sum;
        const int32_t v = (int32_t)(num / den) - 128;
        out[i] = (int8_t)SQ_MIN(v, 127);
    }
}

#endif /* SQ_KERNELS_S8_H */

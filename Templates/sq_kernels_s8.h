/*
 * sq_kernels_s8.h - int8 kernels for squeezec-generated SqueezeNet models.
 *
 * Portable C99 plus an optional Cortex-M DSP path (Armv7E-M / Armv8-M with
 * the DSP extension: SXTB16 + SMLAD), selected by __ARM_FEATURE_DSP unless
 * SQ_S8_NO_DSP is defined. All arithmetic is integer: both paths give
 * bit-identical results. No malloc, no stdio, no VLAs, no recursion.
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
 * Quantisation (TFLite / CMSIS-NN int8 scheme, bit exact)
 * ---------------------------------------------------------------------------
 *   real = scale * (q - zp)
 * Activations: int8 per tensor, zero point in_zp / out_zp.
 * Weights: int8, symmetric per output channel (zero point 0).
 * Bias: int32 per output channel, scale in_scale * w_scale[co].
 *
 * Zero-point folding (done by the generator): the kernels take the
 * CORRECTED bias
 *
 *     bias'[co] = bias[co] - in_zp * sum_{ky,kx,ci} w[co][ky][kx][ci]
 *
 * (sum over ALL taps of the kernel), so the inner loops are pure
 * int8 x int8 -> int32 dot products over the raw input codes:
 *
 *     acc[co] = bias'[co] + sum_{taps} w * q_in
 *
 * Padding: a padded input position means real value 0, i.e. code in_zp.
 * Because bias' already subtracts in_zp * w for every tap, a padded tap
 * must contribute + in_zp * w (its code) for the fold to cancel. The
 * kernel does exactly that: sq_conv_s8 takes in_zp and, for each tap that
 * falls in the padding, adds in_zp * sum_ci w[co][ky][kx][ci] (the weight
 * sums are computed from the packed weights on the fly, only for border
 * pixels / padded rows). The result is identical to convolving an input
 * explicitly padded with in_zp. (The alternative, not folding padded taps
 * in the generator, is impossible: the bias is per channel, not per pixel.)
 * 1x1 kernels have no padding and take no in_zp.
 *
 * Accumulators are int32: |bias'| + k_h * k_w * cin * 128 * 128 must fit
 * (true for cin * k_h * k_w < 2^17 with a sane bias).
 *
 * Requantisation per output channel co (TFLite MultiplyByQuantizedMultiplier):
 *
 *     v   = sq_requant_s32(acc, multiplier[co], shift[co])
 *         = RDBPOT(SRDHM(acc << max(shift, 0), multiplier), max(-shift, 0))
 *     out = clamp(v + out_zp, act_min, act_max)
 *
 * multiplier is Q31 (in [2^30, 2^31) for a normalised scale, any int32 is
 * accepted), shift is a power-of-two exponent: > 0 left, <= 0 right.
 * ReLU is act_min = max(out_zp, -128); no activation is act_min = -128,
 * act_max = 127. See sq_srdhm_s32 / sq_rdbpot_s32 for the exact formulas.
 * Assumes >> of a negative int32 is arithmetic (GCC, clang, armcc, IAR).
 *
 * ---------------------------------------------------------------------------
 * Packed convolution weights (produced by the generator)
 * ---------------------------------------------------------------------------
 * G = ceil(cin / 4) groups of 4 input channels. Blocks of 4 output channels:
 *
 *     w_packed[ceil(cout / 4)][k_h][k_w][G][4 (co % 4)][4 (ci % 4)]
 *
 * i.e. OHWI weight w[co][ky][kx][ci] is at byte
 *
 *     ((((co / 4) * k_h + ky) * k_w + kx) * G + ci / 4) * 16
 *                                    + (co % 4) * 4 + ci % 4
 *
 * Every 32-bit word holds 4 consecutive input channels of ONE output
 * channel, so the DSP loop loads it with one LDR and splits it with
 * SXTB16 / SXTB16 ROR #8 into the (ci, ci+2) and (ci+1, ci+3) halfword
 * pairs that SMLAD multiplies with the identically split input word.
 * Padding is zero: input channels >= cin of the last group and output
 * channels >= cout of the last block. Total size
 * ceil(cout/4) * k_h * k_w * G * 16 bytes; align the array to 4 bytes.
 * A 1x1 convolution is the case k_h = k_w = 1: [ceil(cout/4)][G][4][4].
 * Output channels >= cout are never written.
 *
 * Input words are loaded with memcpy (LDR, unaligned access allowed on
 * Armv7-M), so pixel strides need not be multiples of 4.
 */
#ifndef SQ_KERNELS_S8_H
#define SQ_KERNELS_S8_H

#include <stdint.h>
#include <string.h>
#include "sq_common.h"

#if defined(__ARM_FEATURE_DSP) && !defined(SQ_S8_NO_DSP)
#define SQ_S8_DSP 1
#else
#define SQ_S8_DSP 0
#endif

/* ==========================================================================
 * Requantisation helpers (TFLite / gemmlowp reference arithmetic)
 * ========================================================================== */

/*
 * sq_srdhm_s32: SaturatingRoundingDoublingHighMul(a, b).
 *
 *   if a == b == INT32_MIN: INT32_MAX
 *   else: ab = (int64)a * b;
 *         nudge = ab >= 0 ? 2^30 : 1 - 2^30;
 *         (int32)((ab + nudge) / 2^31)      (C division: truncates to 0)
 */
SQ_INLINE int32_t sq_srdhm_s32(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;

    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = (ab >= 0) ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/*
 * sq_rdbpot_s32: RoundingDivideByPOT(x, e), 0 <= e <= 31: x / 2^e rounded
 * to nearest, ties away from zero (gemmlowp):
 *
 *   mask = 2^e - 1; rem = x & mask;
 *   threshold = (mask >> 1) + (x < 0 ? 1 : 0);
 *   (x >> e) + (rem > threshold ? 1 : 0)       (>> arithmetic)
 */
SQ_INLINE int32_t sq_rdbpot_s32(int32_t x, int e)
{
    const int32_t mask = (int32_t)(((uint32_t)1 << e) - 1u);
    const int32_t rem = x & mask;
    const int32_t threshold = (mask >> 1) + ((x < 0) ? 1 : 0);

    return (x >> e) + ((rem > threshold) ? 1 : 0);
}

/*
 * sq_requant_s32: MultiplyByQuantizedMultiplier(acc, multiplier, shift):
 *
 *   RDBPOT(SRDHM(acc * 2^max(shift,0), multiplier), max(-shift,0))
 *
 * The left shift wraps modulo 2^32 (TFLite leaves overflow undefined; the
 * generator keeps |acc| * 2^shift < 2^31, shift <= 0 in practice).
 */
SQ_INLINE int32_t sq_requant_s32(int32_t acc, int32_t multiplier, int shift)
{
    const int left = (shift > 0) ? shift : 0;
    const int right = (shift > 0) ? 0 : -shift;
    const int32_t x = (int32_t)((uint32_t)acc << left);

    return sq_rdbpot_s32(sq_srdhm_s32(x, multiplier), right);
}

/*
 * sq_requant_out_s8: int8 output code of accumulator acc:
 *   clamp(sq_requant_s32(acc, multiplier, shift) + out_zp, act_min, act_max)
 */
SQ_INLINE int8_t sq_requant_out_s8(int32_t acc, int32_t multiplier, int shift,
                                   int out_zp, int act_min, int act_max)
{
    int32_t v = sq_requant_s32(acc, multiplier, shift) + out_zp;

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

#if SQ_S8_DSP
/* SXTB16: sign-extend bytes 0 and 2 to halfwords. */
SQ_INLINE uint32_t sq__sxtb16(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x));
    return r;
}

/* SXTB16 ROR #8: sign-extend bytes 1 and 3 to halfwords. */
SQ_INLINE uint32_t sq__sxtb16_ror8(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}

/* SMLAD: acc + lo(a) * lo(b) + hi(a) * hi(b) (signed halfwords). */
SQ_INLINE int32_t sq__smlad(uint32_t a, uint32_t b, int32_t acc)
{
    int32_t r;
    __asm__("smlad %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
    return r;
}
#endif

/*
 * sq__mac4_s8: 4 output channels x npx (1 or 2) pixels over the input channels of
 * one tap.
 *
 *   acc[p * 4 + j] += sum_{ci < cin} wt[(ci / 4) * 16 + j * 4 + ci % 4] * x_p[ci]
 *
 * wt is one tap of a packed block ([G][4][4]); pixel 1 is read at x1
 * (npx == 2 only; npx == 1 uses x0 and acc[0..3] only).
 * Full groups of 4 input channels, then the cin % 4 tail scalar-wise.
 */
SQ_INLINE void sq__mac4_s8(int32_t *SQ_RESTRICT acc, int npx,
                           const int8_t *SQ_RESTRICT wt,
                           const int8_t *SQ_RESTRICT x0,
                           const int8_t *SQ_RESTRICT x1, int cin)
{
    int32_t a00 = acc[0], a01 = acc[1], a02 = acc[2], a03 = acc[3];
    int32_t a10 = acc[4], a11 = acc[5], a12 = acc[6], a13 = acc[7];
    const int ng = cin / 4;
    int g, t;

#if SQ_S8_DSP
    if (npx == 2) {
        for (g = 0; g < ng; ++g) {
            const uint32_t xa = sq__ld32_s8(x0 + 4 * g);
            const uint32_t xb = sq__ld32_s8(x1 + 4 * g);
            const uint32_t xa02 = sq__sxtb16(xa), xa13 = sq__sxtb16_ror8(xa);
            const uint32_t xb02 = sq__sxtb16(xb), xb13 = sq__sxtb16_ror8(xb);
            const int8_t *SQ_RESTRICT w = wt + 16 * g;
            uint32_t wv, w02, w13;

            wv = sq__ld32_s8(w);
            w02 = sq__sxtb16(wv); w13 = sq__sxtb16_ror8(wv);
            a00 = sq__smlad(w02, xa02, a00); a00 = sq__smlad(w13, xa13, a00);
            a10 = sq__smlad(w02, xb02, a10); a10 = sq__smlad(w13, xb13, a10);
            wv = sq__ld32_s8(w + 4);
            w02 = sq__sxtb16(wv); w13 = sq__sxtb16_ror8(wv);
            a01 = sq__smlad(w02, xa02, a01); a01 = sq__smlad(w13, xa13, a01);
            a11 = sq__smlad(w02, xb02, a11); a11 = sq__smlad(w13, xb13, a11);
            wv = sq__ld32_s8(w + 8);
            w02 = sq__sxtb16(wv); w13 = sq__sxtb16_ror8(wv);
            a02 = sq__smlad(w02, xa02, a02); a02 = sq__smlad(w13, xa13, a02);
            a12 = sq__smlad(w02, xb02, a12); a12 = sq__smlad(w13, xb13, a12);
            wv = sq__ld32_s8(w + 12);
            w02 = sq__sxtb16(wv); w13 = sq__sxtb16_ror8(wv);
            a03 = sq__smlad(w02, xa02, a03); a03 = sq__smlad(w13, xa13, a03);
            a13 = sq__smlad(w02, xb02, a13); a13 = sq__smlad(w13, xb13, a13);
        }
    } else {
        for (g = 0; g < ng; ++g) {
            const uint32_t xa = sq__ld32_s8(x0 + 4 * g);
            const uint32_t xa02 = sq__sxtb16(xa), xa13 = sq__sxtb16_ror8(xa);
            const int8_t *SQ_RESTRICT w = wt + 16 * g;
            uint32_t wv;

            wv = sq__ld32_s8(w);
            a00 = sq__smlad(sq__sxtb16(wv), xa02, a00);
            a00 = sq__smlad(sq__sxtb16_ror8(wv), xa13, a00);
            wv = sq__ld32_s8(w + 4);
            a01 = sq__smlad(sq__sxtb16(wv), xa02, a01);
            a01 = sq__smlad(sq__sxtb16_ror8(wv), xa13, a01);
            wv = sq__ld32_s8(w + 8);
            a02 = sq__smlad(sq__sxtb16(wv), xa02, a02);
            a02 = sq__smlad(sq__sxtb16_ror8(wv), xa13, a02);
            wv = sq__ld32_s8(w + 12);
            a03 = sq__smlad(sq__sxtb16(wv), xa02, a03);
            a03 = sq__smlad(sq__sxtb16_ror8(wv), xa13, a03);
        }
    }
#else
    for (g = 0; g < ng; ++g) {
        const int8_t *SQ_RESTRICT w = wt + 16 * g;
        const int8_t *SQ_RESTRICT xa = x0 + 4 * g;
        for (t = 0; t < 4; ++t) {
            const int32_t v = xa[t];
            a00 += (int32_t)w[t] * v;
            a01 += (int32_t)w[4 + t] * v;
            a02 += (int32_t)w[8 + t] * v;
            a03 += (int32_t)w[12 + t] * v;
        }
        if (npx == 2) {
            const int8_t *SQ_RESTRICT xb = x1 + 4 * g;
            for (t = 0; t < 4; ++t) {
                const int32_t v = xb[t];
                a10 += (int32_t)w[t] * v;
                a11 += (int32_t)w[4 + t] * v;
                a12 += (int32_t)w[8 + t] * v;
                a13 += (int32_t)w[12 + t] * v;
            }
        }
    }
#endif
    /* Tail input channels (cin % 4), scalar on both paths. */
    for (t = 0; t < cin - 4 * ng; ++t) {
        const int8_t *SQ_RESTRICT w = wt + 16 * ng + t;
        const int32_t v = x0[4 * ng + t];
        a00 += (int32_t)w[0] * v;
        a01 += (int32_t)w[4] * v;
        a02 += (int32_t)w[8] * v;
        a03 += (int32_t)w[12] * v;
        if (npx == 2) {
            const int32_t u = x1[4 * ng + t];
            a10 += (int32_t)w[0] * u;
            a11 += (int32_t)w[4] * u;
            a12 += (int32_t)w[8] * u;
            a13 += (int32_t)w[12] * u;
        }
    }
    acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
    acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
}

/*
 * sq__pad_tap_s8: a tap in the padding (input code in_zp) for npx pixels:
 *   acc[p * 4 + j] += in_zp * sum_{ci} wt[(ci / 4) * 16 + j * 4 + ci % 4]
 * (padded input channels of the packed tap are zero and may be summed).
 */
SQ_INLINE void sq__pad_tap_s8(int32_t *SQ_RESTRICT acc, int npx,
                              const int8_t *SQ_RESTRICT wt, int cin,
                              int in_zp)
{
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const int n = ((cin + 3) / 4) * 16;
    int i;

    for (i = 0; i < n; i += 16) {
        int t;
        for (t = 0; t < 4; ++t) {
            s0 += wt[i + t];
            s1 += wt[i + 4 + t];
            s2 += wt[i + 8 + t];
            s3 += wt[i + 12 + t];
        }
    }
    acc[0] += in_zp * s0; acc[1] += in_zp * s1;
    acc[2] += in_zp * s2; acc[3] += in_zp * s3;
    if (npx == 2) {
        acc[4] += in_zp * s0; acc[5] += in_zp * s1;
        acc[6] += in_zp * s2; acc[7] += in_zp * s3;
    }
}

/* sq__acc_init_s8: acc[p * 4 + j] = bias[co + j] (0 if NULL or j >= nco). */
SQ_INLINE void sq__acc_init_s8(int32_t *SQ_RESTRICT acc,
                               const int32_t *SQ_RESTRICT bias, int co,
                               int nco)
{
    int32_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;

    if (bias != 0) {
        b0 = bias[co];
        b1 = (nco > 1) ? bias[co + 1] : 0;
        b2 = (nco > 2) ? bias[co + 2] : 0;
        b3 = (nco > 3) ? bias[co + 3] : 0;
    }
    acc[0] = b0; acc[1] = b1; acc[2] = b2; acc[3] = b3;
    acc[4] = b0; acc[5] = b1; acc[6] = b2; acc[7] = b3;
}

/*
 * sq__acc_out_s8: epilogue for pixels p < npx, channels j < nco:
 *   to_gap == 0: o[p * out_stride + j] = requantised acc[p * 4 + j]
 *   to_gap != 0: gap[j] += requantised acc[p * 4 + j] (pixel order)
 * Requantisation with multiplier[co + j], shift[co + j].
 */
SQ_INLINE void sq__acc_out_s8(const int32_t *SQ_RESTRICT acc, int npx,
                              int8_t *SQ_RESTRICT o, int out_stride,
                              int32_t *SQ_RESTRICT gap, int to_gap,
                              const int32_t *SQ_RESTRICT mult,
                              const int32_t *SQ_RESTRICT shift, int co,
                              int nco, int out_zp, int act_min, int act_max)
{
    int p, j;

    for (p = 0; p < npx; ++p) {
        for (j = 0; j < nco; ++j) {
            const int8_t v = sq_requant_out_s8(acc[p * 4 + j], mult[co + j],
                                               (int)shift[co + j], out_zp,
                                               act_min, act_max);
            if (to_gap) {
                gap[j] += v;
            } else {
                o[p * out_stride + j] = v;
            }
        }
    }
}

/*
 * sq__conv1x1_run_s8: 1x1 convolution of npx consecutive pixels (pixel p
 * at in + p * in_stride, out + p * out_stride), 2 pixels x 4 output
 * channels per block, then the odd pixel; channel tail block last. With
 * to_gap != 0 the results are summed into gap[0..cout) instead (out unused).
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
                                  int npx)
{
    const int blk = ((cin + 3) / 4) * 16;   /* bytes per channel block */
    int p = 0;
    int co;

    while (p < npx) {
        const int n = (p + 2 <= npx) ? 2 : 1;
        const int8_t *SQ_RESTRICT x = in + p * in_stride;
        int8_t *SQ_RESTRICT o = to_gap ? out : out + p * out_stride;
        for (co = 0; co < cout; co += 4) {
            const int nco = SQ_MIN(4, cout - co);
            int32_t acc[8];
            sq__acc_init_s8(acc, bias, co, nco);
            if (n == 2) {
                sq__mac4_s8(acc, 2, w_packed + (co / 4) * blk, x,
                            x + in_stride, cin);
            } else {
                sq__mac4_s8(acc, 1, w_packed + (co / 4) * blk, x, x, cin);
            }
            sq__acc_out_s8(acc, n, to_gap ? o : o + co, out_stride,
                           to_gap ? gap + co : gap, to_gap, mult, shift, co,
                           nco, out_zp, act_min, act_max);
        }
        p += n;
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
                                   int row0, int row1)
{
    int y = row0;

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
                           out_zp, act_min, act_max, gap, to_gap,
                           rows * in_w);
        y += rows;
    }
}

/*
 * sq__conv_block_s8: general convolution, npx output pixels (1, or 2 when
 * every kernel column of both is inside the input) x channels
 * [co, co + nco). iy, ix: input row / column of tap (0, 0) of pixel 0;
 * pixel 1 is px_step input bytes further. Taps in the padding add
 * in_zp * sum(w) (see the top of the file).
 */
SQ_INLINE void sq__conv_block_s8(const int8_t *SQ_RESTRICT in, int in_h,
                                 int in_w, int in_row, int in_ring, int iy,
                                 int ix, int in_stride, int px_step, int cin,
                                 int in_zp, int k_h, int k_w,
                                 int8_t *SQ_RESTRICT o, int out_stride,
                                 const int8_t *SQ_RESTRICT w_packed,
                                 const int32_t *SQ_RESTRICT bias,
                                 const int32_t *SQ_RESTRICT mult,
                                 const int32_t *SQ_RESTRICT shift,
                                 int out_zp, int act_min, int act_max,
                                 int npx, int co, int nco)
{
    const int tap = ((cin + 3) / 4) * 16;   /* bytes per tap of a block */
    const int8_t *SQ_RESTRICT wb = w_packed + (co / 4) * k_h * k_w * tap;
    int32_t acc[8];
    int ky, kx;

    sq__acc_init_s8(acc, bias, co, nco);
    for (ky = 0; ky < k_h; ++ky) {
        const int y = iy + ky;
        const int8_t *SQ_RESTRICT row;
        if (y < 0 || y >= in_h) {
            for (kx = 0; kx < k_w; ++kx) {
                sq__pad_tap_s8(acc, npx, wb + (ky * k_w + kx) * tap, cin,
                               in_zp);
            }
            continue;
        }
        row = in + (y % in_ring) * in_row;
        for (kx = 0; kx < k_w; ++kx) {
            const int8_t *SQ_RESTRICT wt = wb + (ky * k_w + kx) * tap;
            const int xx = ix + kx;
            if (npx == 2) {
                const int8_t *SQ_RESTRICT x = row + xx * in_stride;
                sq__mac4_s8(acc, 2, wt, x, x + px_step, cin);
            } else if (xx < 0 || xx >= in_w) {
                sq__pad_tap_s8(acc, 1, wt, cin, in_zp);
            } else {
                const int8_t *SQ_RESTRICT x = row + xx * in_stride;
                sq__mac4_s8(acc, 1, wt, x, x, cin);
            }
        }
    }
    sq__acc_out_s8(acc, npx, o + co, out_stride, 0, 0, mult, shift, co, nco,
                   out_zp, act_min, act_max);
}

/* ==========================================================================
 * Convolution
 * ========================================================================== */

/*
 * sq_conv_s8: general 2-D convolution (dilation 1, groups 1), int8,
 * output rows [row0, row1).
 *
 *   acc = bias'[co] + sum_{ky,kx,ci} w[co][ky][kx][ci] *
 *                     q_in[r*s_h - pad_t + ky][x*s_w - pad_l + kx][ci]
 *   out[r][x][co] = clamp(requant(acc) + out_zp, act_min, act_max)
 *
 * with input positions outside the map reading as in_zp (real 0).
 *
 *   in        in_h x in_w x cin, pixel stride in_stride, ring of in_ring
 *   in_zp     input zero point (only used for padded taps)
 *   out       out_w x cout, pixel stride out_stride, ring of out_ring
 *   w_packed  see the top of the file; bias: corrected bias' [cout] or NULL
 *   mult, shift  per output channel requantisation [cout]
 *   out_zp, act_min, act_max  output zero point and clamp range
 *   k_h, k_w, s_h, s_w, pad_t, pad_l  as sq_conv_f32
 *
 * Pixels whose kernel columns are all inside the input are computed two at
 * a time; the others one at a time with per-tap checks.
 */
SQ_INLINE void sq_conv_s8(const int8_t *SQ_RESTRICT in, int in_h, int in_w,
                          int in_stride, int in_ring, int cin, int in_zp,
                          int8_t *SQ_RESTRICT out, int out_w, int out_stride,
                          int out_ring, int cout,
                          const int8_t *SQ_RESTRICT w_packed,
                          const int32_t *SQ_RESTRICT bias,
                          const int32_t *SQ_RESTRICT mult,
                          const int32_t *SQ_RESTRICT shift,
                          int out_zp, int act_min, int act_max,
                          int k_h, int k_w, int s_h, int s_w,
                          int pad_t, int pad_l, int row0, int row1)
{
    const int in_row = in_w * in_stride;
    const int px_step = s_w * in_stride;
    int r;

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;
        int8_t *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x = 0;

        while (x < out_w) {
            const int ix = x * s_w - pad_l;
            /* Both x and x + 1 horizontally inside the input? */
            const int pair = (x + 1 < out_w) && ix >= 0 &&
                             ix + s_w + k_w <= in_w;
            const int npx = pair ? 2 : 1;
            int co;
            for (co = 0; co < cout; co += 4) {
                const int nco = SQ_MIN(4, cout - co);
                if (pair) {
                    sq__conv_block_s8(in, in_h, in_w, in_row, in_ring, iy,
                                      ix, in_stride, px_step, cin, in_zp,
                                      k_h, k_w, orow + x * out_stride,
                                      out_stride, w_packed, bias, mult,
                                      shift, out_zp, act_min, act_max, 2, co,
                                      nco);
                } else {
                    sq__conv_block_s8(in, in_h, in_w, in_row, in_ring, iy,
                                      ix, in_stride, px_step, cin, in_zp,
                                      k_h, k_w, orow + x * out_stride,
                                      out_stride, w_packed, bias, mult,
                                      shift, out_zp, act_min, act_max, 1, co,
                                      nco);
                }
            }
            x += npx;
        }
    }
}

/*
 * sq_conv1x1_s8: 1x1 convolution, stride 1, no padding, rows [row0, row1).
 *
 *   out[y][x][co] = clamp(requant(bias'[co] + sum_ci w[co][ci] *
 *                   q_in[y][x][ci]) + out_zp, act_min, act_max)
 *
 * Arguments as sq_conv_s8 (width w shared by input and output); no in_zp
 * (no padding). Rows contiguous in both rings are one run of pixels, 2
 * pixels x 4 output channels per register block.
 */
SQ_INLINE void sq_conv1x1_s8(const int8_t *SQ_RESTRICT in, int w,
                             int in_stride, int in_ring, int cin,
                             int8_t *SQ_RESTRICT out, int out_stride,
                             int out_ring, int cout,
                             const int8_t *SQ_RESTRICT w_packed,
                             const int32_t *SQ_RESTRICT bias,
                             const int32_t *SQ_RESTRICT mult,
                             const int32_t *SQ_RESTRICT shift,
                             int out_zp, int act_min, int act_max,
                             int row0, int row1)
{
    sq__conv1x1_rows_s8(in, w, in_stride, in_ring, cin, out, out_stride,
                        out_ring, cout, w_packed, bias, mult, shift, out_zp,
                        act_min, act_max, 0, 0, row0, row1);
}

/*
 * sq_conv1x1_relu_gap_s8: 1x1 convolution + requantisation (+ ReLU via
 * act_min) summed over the pixels of rows [row0, row1) into int32 acc:
 *
 *   acc[co] += sum_{y, x} out_code[y][x][co]     (int8 codes, zp included)
 *
 * The convolution output is never stored. The caller zeroes acc[cout],
 * calls this for its row ranges, then sq_gap_finish_s8(acc, cout, H * W,
 * out). Arguments as sq_conv1x1_s8. Equals sq_conv1x1_s8 followed by
 * sq_gap_s8 bit for bit.
 */
SQ_INLINE void sq_conv1x1_relu_gap_s8(const int8_t *SQ_RESTRICT in, int w,
                                      int in_stride, int in_ring, int cin,
                                      int32_t *SQ_RESTRICT acc, int cout,
                                      const int8_t *SQ_RESTRICT w_packed,
                                      const int32_t *SQ_RESTRICT bias,
                                      const int32_t *SQ_RESTRICT mult,
                                      const int32_t *SQ_RESTRICT shift,
                                      int out_zp, int act_min, int act_max,
                                      int row0, int row1)
{
    sq__conv1x1_rows_s8(in, w, in_stride, in_ring, cin, 0, 0, in_ring, cout,
                        w_packed, bias, mult, shift, out_zp, act_min, act_max,
                        acc, 1, row0, row1);
}

/* ==========================================================================
 * Pooling
 * ========================================================================== */

/*
 * sq_maxpool_s8: max pooling, output rows [row0, row1); exact on int8 codes
 * (input and output share scale and zero point: no requantisation).
 * Arguments and semantics as sq_maxpool_f32 (padding never wins, windows
 * clipped; an empty window, impossible with PyTorch's size rule, gives 0).
 */
SQ_INLINE void sq_maxpool_s8(const int8_t *SQ_RESTRICT in, int in_h, int in_w,
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
            int ch;

            if (y1 <= y0 || x1 <= x0) {
                for (ch = 0; ch < c; ++ch) {
                    o[ch] = 0;
                }
                continue;
            }
            for (ch = 0; ch < c; ++ch) {
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
 * sq_maxpool_fold_s8: streaming max pooling, one input row at a time, as
 * sq_maxpool_fold_f32: the row's horizontal window maxima are stored into
 * the output row acc when first != 0, max-combined with it otherwise.
 * Folding every input row of a window gives sq_maxpool_s8 exactly.
 */
SQ_INLINE void sq_maxpool_fold_s8(const int8_t *SQ_RESTRICT in, int in_w,
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
        int ch;

        for (ch = 0; ch < c; ++ch) {
            int m;
            int xx;
            if (x1 <= x0) {
                m = 0;
            } else {
                m = in[x0 * in_stride + ch];
                for (xx = x0 + 1; xx < x1; ++xx) {
                    const int v = in[xx * in_stride + ch];
                    m = (v > m) ? v : m;
                }
            }
            o[ch] = (first || m > o[ch]) ? (int8_t)m : o[ch];
        }
    }
}

/*
 * sq_gap_s8: global average pooling, accumulation: adds the int8 codes of
 * rows [row0, row1) to int32 acc[c] (zeroed by the caller first).
 */
SQ_INLINE void sq_gap_s8(const int8_t *SQ_RESTRICT in, int w, int in_stride,
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
 * sq_copy_channels_s8: copy rows [row0, row1) of a w x c map into another
 * map of the same width (e.g. a channel slice of a concat buffer), as
 * sq_copy_channels_f32. Channels outside [0, c) of out are not touched.
 */
SQ_INLINE void sq_copy_channels_s8(const int8_t *SQ_RESTRICT in, int w,
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

#endif /* SQ_KERNELS_S8_H */

/*
 * sq_kernels_f32.h - fp32 kernels for squeezec-generated SqueezeNet models.
 *
 * Portable C99: no malloc, no stdio, no VLAs, no recursion. Every kernel is
 * a header function marked SQ_INLINE (forced inline when GCC/clang
 * optimise), so each call site in the generated model, whose arguments are
 * literal constants, is compiled into its own specialised copy.
 *
 * ---------------------------------------------------------------------------
 * Conventions shared by all kernels
 * ---------------------------------------------------------------------------
 * Activations: NHWC, batch 1, float.
 *
 * Row rings: a feature map of height H, width W is stored either whole or as
 * a ring of `ring` rows. Element (row y, column x, channel c) lives at
 *
 *     base[((y % ring) * W + x) * stride + c]
 *
 * ring == H means the map is stored whole. `stride` is the number of floats
 * between consecutive pixels and may exceed the channel count: to read or
 * write a channel slice of a wider map (for example one half of a Fire
 * module's concat buffer), pass `base + channel_offset` and the full pixel
 * stride. A kernel never touches channels outside [0, C) of a pixel.
 *
 * Row ranges: spatial kernels compute output rows [row0, row1). Convolution
 * output row r reads input rows r*s_h - pad_t .. r*s_h - pad_t + k_h - 1,
 * clipped to [0, in_h), and no others, so a ring of k_h input rows is
 * enough to stream a layer one output row at a time. Rows outside
 * [0, in_h) are zero padding for convolutions and are skipped by pooling.
 * A call's output rows must fit in the output ring at the same time
 * (row1 - row0 <= out_ring), and its input rows in the input ring.
 *
 * Packed convolution weights (produced by the generator): blocks of 4
 * output channels,
 *
 *     w_packed[ceil(cout / 4)][k_h][k_w][cin][4]     (co % 4 innermost)
 *
 * i.e. OHWI weight w[co][ky][kx][ci] is at
 *     w_packed[((((co / 4) * k_h + ky) * k_w + kx) * cin + ci) * 4 + co % 4],
 * the last block zero-padded when cout % 4 != 0. Bias is [cout] or NULL.
 * Output channels >= cout are never written.
 *
 * Sizes are `int`. Input and output buffers of one call must not overlap
 * unless a kernel says otherwise (pointers are declared restrict).
 */
#ifndef SQ_KERNELS_F32_H
#define SQ_KERNELS_F32_H

#include <math.h>
#include "sq_common.h"

/* ==========================================================================
 * Internal building blocks (names start with sq__; not part of the API)
 * ========================================================================== */

/*
 * sq__mac4x4_f32: 4 output channels x 4 pixels register block.
 *
 *   acc[p * 4 + j] += sum_{i < n} w[i * 4 + j] * x[p * xstep + i]
 *
 * for pixels p = 0..3 and channels j = 0..3. `w` walks a packed weight
 * block (4 contiguous weights per input element), `x` the input elements
 * of pixel 0; pixel p starts xstep floats further. The 16 accumulators
 * live in locals for the whole loop (16 + 4 + 4 registers: fits the 32
 * single-precision registers of the Cortex-M4F).
 */
SQ_INLINE void sq__mac4x4_f32(float *SQ_RESTRICT acc,
                              const float *SQ_RESTRICT w,
                              const float *SQ_RESTRICT x, int xstep, int n)
{
    const float *SQ_RESTRICT x0 = x;
    const float *SQ_RESTRICT x1 = x + xstep;
    const float *SQ_RESTRICT x2 = x + 2 * xstep;
    const float *SQ_RESTRICT x3 = x + 3 * xstep;
    float a00 = acc[0],  a01 = acc[1],  a02 = acc[2],  a03 = acc[3];
    float a10 = acc[4],  a11 = acc[5],  a12 = acc[6],  a13 = acc[7];
    float a20 = acc[8],  a21 = acc[9],  a22 = acc[10], a23 = acc[11];
    float a30 = acc[12], a31 = acc[13], a32 = acc[14], a33 = acc[15];
    int i;

    for (i = 0; i < n; ++i) {
        const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
        const float v0 = x0[i], v1 = x1[i], v2 = x2[i], v3 = x3[i];
        w += 4;
        a00 = SQ_FMA(w0, v0, a00); a01 = SQ_FMA(w1, v0, a01);
        a02 = SQ_FMA(w2, v0, a02); a03 = SQ_FMA(w3, v0, a03);
        a10 = SQ_FMA(w0, v1, a10); a11 = SQ_FMA(w1, v1, a11);
        a12 = SQ_FMA(w2, v1, a12); a13 = SQ_FMA(w3, v1, a13);
        a20 = SQ_FMA(w0, v2, a20); a21 = SQ_FMA(w1, v2, a21);
        a22 = SQ_FMA(w2, v2, a22); a23 = SQ_FMA(w3, v2, a23);
        a30 = SQ_FMA(w0, v3, a30); a31 = SQ_FMA(w1, v3, a31);
        a32 = SQ_FMA(w2, v3, a32); a33 = SQ_FMA(w3, v3, a33);
    }

    acc[0]  = a00; acc[1]  = a01; acc[2]  = a02; acc[3]  = a03;
    acc[4]  = a10; acc[5]  = a11; acc[6]  = a12; acc[7]  = a13;
    acc[8]  = a20; acc[9]  = a21; acc[10] = a22; acc[11] = a23;
    acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
}

/*
 * sq__mac4x1_f32: 4 output channels x 1 pixel (tails and borders).
 *
 *   acc[j] += sum_{i < n} w[i * 4 + j] * x[i],   j = 0..3
 */
SQ_INLINE void sq__mac4x1_f32(float *SQ_RESTRICT acc,
                              const float *SQ_RESTRICT w,
                              const float *SQ_RESTRICT x, int n)
{
    float a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int i;

    for (i = 0; i < n; ++i) {
        const float v = x[i];
        a0 = SQ_FMA(w[0], v, a0);
        a1 = SQ_FMA(w[1], v, a1);
        a2 = SQ_FMA(w[2], v, a2);
        a3 = SQ_FMA(w[3], v, a3);
        w += 4;
    }

    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/*
 * sq__acc_init_f32: set acc[p * 4 + j] (p < npx, npx = 1 or 4, j < 4) to
 * the bias of output channel co + j, or 0 when bias is NULL or j >= nco
 * (the zero-padded channels of a tail block, whose bias is not read).
 * Straight-line code with constant indices, so that after inlining the
 * compiler keeps acc[] in registers.
 */
SQ_INLINE void sq__acc_init_f32(float *SQ_RESTRICT acc, int npx,
                                const float *SQ_RESTRICT bias, int co, int nco)
{
    float b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f;

    if (bias != 0) {
        if (nco == 4) {
            b0 = bias[co]; b1 = bias[co + 1];
            b2 = bias[co + 2]; b3 = bias[co + 3];
        } else {
            b0 = bias[co];
            b1 = (nco > 1) ? bias[co + 1] : 0.0f;
            b2 = (nco > 2) ? bias[co + 2] : 0.0f;
        }
    }
    acc[0] = b0; acc[1] = b1; acc[2] = b2; acc[3] = b3;
    if (npx == 4) {
        acc[4] = b0;  acc[5] = b1;  acc[6] = b2;  acc[7] = b3;
        acc[8] = b0;  acc[9] = b1;  acc[10] = b2; acc[11] = b3;
        acc[12] = b0; acc[13] = b1; acc[14] = b2; acc[15] = b3;
    }
}

/* sq__relu_f32: max(0, v); NaN passes through. */
SQ_INLINE float sq__relu_f32(float v)
{
    return (v < 0.0f) ? 0.0f : v;
}

/*
 * sq__store4_f32: write the 4 channel values a[0..3] of one pixel to
 * o[0..nco) (ReLU applied when relu != 0). Channels >= nco are not written.
 */
SQ_INLINE void sq__store4_f32(float *SQ_RESTRICT o, const float *SQ_RESTRICT a,
                              int nco, int relu)
{
    float v0 = a[0], v1 = a[1], v2 = a[2], v3 = a[3];

    if (relu) {
        v0 = sq__relu_f32(v0); v1 = sq__relu_f32(v1);
        v2 = sq__relu_f32(v2); v3 = sq__relu_f32(v3);
    }
    if (nco == 4) {
        o[0] = v0; o[1] = v1; o[2] = v2; o[3] = v3;
    } else {
        o[0] = v0;
        if (nco > 1) {
            o[1] = v1;
        }
        if (nco > 2) {
            o[2] = v2;
        }
    }
}

/*
 * sq__acc_store_f32: epilogue. For pixel p < npx (1 or 4), writes channels
 * j < nco of acc[p * 4 + j] (ReLU applied when relu != 0) to
 * out[p * out_step + j]. Channels j >= nco are not written.
 */
SQ_INLINE void sq__acc_store_f32(const float *SQ_RESTRICT acc, int npx,
                                 float *SQ_RESTRICT out, int out_step,
                                 int nco, int relu)
{
    sq__store4_f32(out, acc, nco, relu);
    if (npx == 4) {
        sq__store4_f32(out + out_step, acc + 4, nco, relu);
        sq__store4_f32(out + 2 * out_step, acc + 8, nco, relu);
        sq__store4_f32(out + 3 * out_step, acc + 12, nco, relu);
    }
}

/*
 * sq__gap4_f32: add the ReLU of the 4 channel values a[0..3] of one pixel
 * to sum[0..nco).
 */
SQ_INLINE void sq__gap4_f32(float *SQ_RESTRICT sum, const float *SQ_RESTRICT a,
                            int nco)
{
    sum[0] += sq__relu_f32(a[0]);
    if (nco > 1) {
        sum[1] += sq__relu_f32(a[1]);
    }
    if (nco > 2) {
        sum[2] += sq__relu_f32(a[2]);
    }
    if (nco > 3) {
        sum[3] += sq__relu_f32(a[3]);
    }
}

/*
 * sq__acc_gap_f32: epilogue of the fused conv + ReLU + global-average-pool.
 * Adds ReLU(acc[p * 4 + j]) to sum[j] for j < nco, pixel by pixel in
 * order p = 0, 1, ... (the same summation order as sq_gap_f32, so the fused
 * and the unfused paths give identical sums).
 */
SQ_INLINE void sq__acc_gap_f32(const float *SQ_RESTRICT acc, int npx,
                               float *SQ_RESTRICT sum, int nco)
{
    sq__gap4_f32(sum, acc, nco);
    if (npx == 4) {
        sq__gap4_f32(sum, acc + 4, nco);
        sq__gap4_f32(sum, acc + 8, nco);
        sq__gap4_f32(sum, acc + 12, nco);
    }
}

/*
 * sq__conv1x1_block_f32: one register block of a 1x1 convolution: npx
 * pixels (1 or 4, read at x + p * in_stride) x output channels
 * [co, co + nco) (nco <= 4; weight block co / 4). Bias, dot products over
 * cin, then either ReLU-optional store to o + p * out_stride (to_gap == 0)
 * or ReLU-and-sum into gap[co..co + nco) (to_gap != 0).
 */
SQ_INLINE void sq__conv1x1_block_f32(const float *SQ_RESTRICT x, int in_stride,
                                     int cin, float *SQ_RESTRICT o,
                                     int out_stride,
                                     const float *SQ_RESTRICT w_packed,
                                     const float *SQ_RESTRICT bias, int relu,
                                     float *SQ_RESTRICT gap, int to_gap, int npx, int co,
                                     int nco)
{
    float acc[16];

    sq__acc_init_f32(acc, npx, bias, co, nco);
    if (npx == 4) {
        sq__mac4x4_f32(acc, w_packed + co * cin, x, in_stride, cin);
    } else {
        sq__mac4x1_f32(acc, w_packed + co * cin, x, cin);
    }
    if (to_gap) {
        sq__acc_gap_f32(acc, npx, gap + co, nco);
    } else {
        sq__acc_store_f32(acc, npx, o + co, out_stride, nco, relu);
    }
}

/*
 * sq__conv1x1_run_f32: 1x1 convolution of npx consecutive pixels.
 * Pixel p is read at in + p * in_stride and written at
 * out + p * out_stride (or, when to_gap != 0, its ReLU is added to
 * gap[0..cout) instead and out, which may then be NULL, is not used).
 * Blocks of 4 pixels x 4 output channels, then single pixels x 4 output
 * channels; full channel blocks first, then the tail block (cout % 4).
 */
SQ_INLINE void sq__conv1x1_run_f32(const float *SQ_RESTRICT in, int in_stride,
                                   int cin, float *SQ_RESTRICT out,
                                   int out_stride, int cout,
                                   const float *SQ_RESTRICT w_packed,
                                   const float *SQ_RESTRICT bias, int relu,
                                   float *SQ_RESTRICT gap, int to_gap, int npx)
{
    /* The pixel pointers advance by their strides (no p * stride products:
     * gcc's loop analysis cannot always bound npx and would warn that the
     * product may overflow); out is NULL on the gap path and never moved. */
    const float *SQ_RESTRICT x = in;
    float *SQ_RESTRICT o = out;
    int p = 0;
    int co;

    for (; p + 4 <= npx; p += 4) {
        for (co = 0; co + 4 <= cout; co += 4) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 4, co, 4);
        }
        if (co < cout) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 4, co, cout - co);
        }
        x += 4 * in_stride;
        if (!to_gap) {
            o += 4 * out_stride;
        }
    }
    for (; p < npx; ++p) {
        for (co = 0; co + 4 <= cout; co += 4) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 1, co, 4);
        }
        if (co < cout) {
            sq__conv1x1_block_f32(x, in_stride, cin, o, out_stride, w_packed,
                                  bias, relu, gap, to_gap, 1, co, cout - co);
        }
        x += in_stride;
        if (!to_gap) {
            o += out_stride;
        }
    }
}

/*
 * sq__conv1x1_rows_f32: rows [row0, row1) of a 1x1 stride-1 convolution
 * over rings. Consecutive rows that do not wrap in either ring are
 * contiguous pixel runs, so they are processed as one run (a whole map is
 * a single run of h * w pixels, which keeps 4-pixel blocks full).
 */
SQ_INLINE void sq__conv1x1_rows_f32(const float *SQ_RESTRICT in, int in_w,
                                    int in_stride, int in_ring, int cin,
                                    float *SQ_RESTRICT out, int out_stride,
                                    int out_ring, int cout,
                                    const float *SQ_RESTRICT w_packed,
                                    const float *SQ_RESTRICT bias, int relu,
                                    float *SQ_RESTRICT gap, int to_gap, int row0, int row1)
{
    int y = row0;

    while (y < row1) {
        const int in_slot = y % in_ring;
        const int out_slot = y % out_ring;
        float *SQ_RESTRICT dst;
        int rows = row1 - y;

        rows = SQ_MIN(rows, in_ring - in_slot);
        rows = SQ_MIN(rows, out_ring - out_slot);
        /* out is NULL on the gap path: no arithmetic on it there. */
        dst = to_gap ? out : out + out_slot * in_w * out_stride;
        sq__conv1x1_run_f32(in + in_slot * in_w * in_stride, in_stride, cin,
                            dst, out_stride, cout, w_packed, bias, relu, gap,
                            to_gap, rows * in_w);
        y += rows;
    }
}

/*
 * sq__conv_taps_f32: accumulate the taps of one output pixel (npx == 1)
 * or of 4 output pixels px_step input floats apart (npx == 4) for one
 * 4-channel weight block `wb` ([k_h][k_w][cin][4]).
 *
 * Kernel rows ky in [ky0, ky0 + nky) are all inside the input; the first
 * of them is stored in ring slot `slot`. Kernel columns kx in [kx0, kx1)
 * are all inside the input for every pixel; `ix` is the input column of
 * kx = 0 for pixel 0. When in_stride == cin (`merged`), the columns kx0..kx1
 * of one kernel row are contiguous in both input and weights and are done
 * as a single run of (kx1 - kx0) * cin elements.
 */
SQ_INLINE void sq__conv_taps_f32(float *SQ_RESTRICT acc, int npx,
                                 const float *SQ_RESTRICT wb,
                                 const float *SQ_RESTRICT in, int in_row,
                                 int in_ring, int slot, int ky0, int nky,
                                 int ix, int kx0, int kx1, int in_stride,
                                 int px_step, int cin, int k_w)
{
    const int merged = (in_stride == cin);
    int ky, kx;

    for (ky = ky0; ky < ky0 + nky; ++ky) {
        const float *SQ_RESTRICT row = in + slot * in_row;
        const float *SQ_RESTRICT wk = wb + ky * k_w * cin * 4;
        if (merged) {
            const float *SQ_RESTRICT x = row + (ix + kx0) * in_stride;
            const float *SQ_RESTRICT wx = wk + kx0 * cin * 4;
            const int n = (kx1 - kx0) * cin;
            if (npx == 4) {
                sq__mac4x4_f32(acc, wx, x, px_step, n);
            } else {
                sq__mac4x1_f32(acc, wx, x, n);
            }
        } else {
            for (kx = kx0; kx < kx1; ++kx) {
                const float *SQ_RESTRICT x = row + (ix + kx) * in_stride;
                const float *SQ_RESTRICT wx = wk + kx * cin * 4;
                if (npx == 4) {
                    sq__mac4x4_f32(acc, wx, x, px_step, cin);
                } else {
                    sq__mac4x1_f32(acc, wx, x, cin);
                }
            }
        }
        if (++slot == in_ring) {
            slot = 0;
        }
    }
}

/*
 * sq__conv_block_f32: one register block of the general convolution:
 * npx output pixels (1 or 4, consecutive along x, the first at input column
 * ix for kx = 0) x output channels [co, co + nco), written to
 * o + p * out_stride + co. Kernel rows/columns as for sq__conv_taps_f32;
 * nky <= 0 or kx1 <= kx0 (all taps in the padding) gives the bias.
 */
SQ_INLINE void sq__conv_block_f32(const float *SQ_RESTRICT in, int in_row,
                                  int in_ring, int slot, int ky0, int nky,
                                  int ix, int kx0, int kx1, int in_stride,
                                  int px_step, int cin, int k_h, int k_w,
                                  float *SQ_RESTRICT o, int out_stride,
                                  const float *SQ_RESTRICT w_packed,
                                  const float *SQ_RESTRICT bias, int relu,
                                  int npx, int co, int nco)
{
    float acc[16];

    sq__acc_init_f32(acc, npx, bias, co, nco);
    if (kx1 > kx0) {
        sq__conv_taps_f32(acc, npx, w_packed + co * k_h * k_w * cin, in,
                          in_row, in_ring, slot, ky0, nky, ix, kx0, kx1,
                          in_stride, px_step, cin, k_w);
    }
    sq__acc_store_f32(acc, npx, o + co, out_stride, nco, relu);
}

/*
 * sq__conv_pixels_f32: all output channels of npx (1 or 4) output pixels:
 * full 4-channel blocks, then the tail block when cout % 4 != 0.
 */
SQ_INLINE void sq__conv_pixels_f32(const float *SQ_RESTRICT in, int in_row,
                                   int in_ring, int slot, int ky0, int nky,
                                   int ix, int kx0, int kx1, int in_stride,
                                   int px_step, int cin, int k_h, int k_w,
                                   float *SQ_RESTRICT o, int out_stride,
                                   int cout, const float *SQ_RESTRICT w_packed,
                                   const float *SQ_RESTRICT bias, int relu,
                                   int npx)
{
    int co;

    for (co = 0; co + 4 <= cout; co += 4) {
        sq__conv_block_f32(in, in_row, in_ring, slot, ky0, nky, ix, kx0, kx1,
                           in_stride, px_step, cin, k_h, k_w, o, out_stride,
                           w_packed, bias, relu, npx, co, 4);
    }
    if (co < cout) {
        sq__conv_block_f32(in, in_row, in_ring, slot, ky0, nky, ix, kx0, kx1,
                           in_stride, px_step, cin, k_h, k_w, o, out_stride,
                           w_packed, bias, relu, npx, co, cout - co);
    }
}

/* ==========================================================================
 * Convolution
 * ========================================================================== */

/*
 * sq__conv_f32: general 2-D convolution (dilation 1, groups 1) + bias
 * (+ ReLU), output rows [row0, row1).
 *
 *   out[r][x][co] = bias[co] + sum_{ky, kx, ci}
 *                   w[co][ky][kx][ci] * in[r*s_h - pad_t + ky][x*s_w - pad_l + kx][ci]
 *
 * with input positions outside [0, in_h) x [0, in_w) reading as 0, then
 * max(0, .) if relu != 0.
 *
 *   in        input map, in_h x in_w x cin, pixel stride in_stride
 *             (>= cin), ring of in_ring rows (in_ring == in_h: whole map)
 *   out       output map, out_w columns x cout channels, pixel stride
 *             out_stride (>= cout), ring of out_ring rows
 *   w_packed  [ceil(cout/4)][k_h][k_w][cin][4], see the top of this file
 *   bias      [cout] or NULL
 *   k_h, k_w  kernel size; s_h, s_w strides; pad_t, pad_l top/left padding
 *             (bottom/right padding is implied by in_h/in_w and the output
 *             size: positions past the input read as 0). Every padding must
 *             be smaller than the kernel (squeezec checks this), so fewer
 *             than k_w output pixels per row touch the left or right border.
 *   relu      0 or 1
 *   row0,row1 output rows to compute, [row0, row1)
 *
 * Output pixels whose receptive field is horizontally inside the input are
 * computed 4 pixels x 4 output channels at a time without bounds checks
 * (kernel rows are clipped once per output row); border pixels clip their
 * kernel columns per pixel.
 */
SQ_INLINE void sq__conv_f32(const float *SQ_RESTRICT in, int in_h, int in_w,
                            int in_stride, int in_ring, int cin,
                            float *SQ_RESTRICT out, int out_w, int out_stride,
                            int out_ring, int cout,
                            const float *SQ_RESTRICT w_packed,
                            const float *SQ_RESTRICT bias,
                            int k_h, int k_w, int s_h, int s_w,
                            int pad_t, int pad_l, int relu, int row0, int row1)
{
    const int in_row = in_w * in_stride;    /* floats per stored input row */
    const int px_step = s_w * in_stride;    /* input floats between outputs */
    int x_lo, x_hi, r;

    /* Interior columns [x_lo, x_hi): x*s_w - pad_l >= 0 and
     * x*s_w - pad_l + k_w <= in_w. */
    x_lo = (pad_l + s_w - 1) / s_w;
    x_hi = (in_w + pad_l - k_w >= 0) ? (in_w + pad_l - k_w) / s_w + 1 : 0;
    x_lo = SQ_MIN(x_lo, out_w);
    x_hi = SQ_MIN(x_hi, out_w);
    x_hi = SQ_MAX(x_hi, x_lo);

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;        /* input row of ky = 0 */
        const int ky0 = SQ_MAX(0, -iy);
        const int ky1 = SQ_MIN(k_h, in_h - iy);
        const int nky = ky1 - ky0;             /* <= 0: row all padding */
        const int slot = (nky > 0) ? (iy + ky0) % in_ring : 0;
        float *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x = 0;
        int t;

        /* The border and tail loops are counted with a small constant bound
         * (each has fewer than k_w or 4 pixels): GCC's loop analysis cannot
         * bound them otherwise and warns (-Waggressive-loop-optimizations). */

        /* Left border: kernel columns clipped per pixel. */
        for (t = 0; x < x_lo && t < k_w; ++x, ++t) {
            const int ix = x * s_w - pad_l;
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky, ix,
                                SQ_MAX(0, -ix), SQ_MIN(k_w, in_w - ix),
                                in_stride, px_step, cin, k_h, k_w,
                                orow + x * out_stride, out_stride, cout,
                                w_packed, bias, relu, 1);
        }
        /* Interior: 4 pixels x 4 channels, no per-tap checks. */
        for (; x + 4 <= x_hi; x += 4) {
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky,
                                x * s_w - pad_l, 0, k_w, in_stride, px_step,
                                cin, k_h, k_w, orow + x * out_stride,
                                out_stride, cout, w_packed, bias, relu, 4);
        }
        /* Interior tail: 1 pixel x 4 channels, at most 3 pixels. */
        for (t = 0; x < x_hi && t < 3; ++x, ++t) {
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky,
                                x * s_w - pad_l, 0, k_w, in_stride, px_step,
                                cin, k_h, k_w, orow + x * out_stride,
                                out_stride, cout, w_packed, bias, relu, 1);
        }
        /* Right border: windows that run past the input, fewer than k_w. */
        for (t = 0; x < out_w && t < k_w; ++x, ++t) {
            const int ix = x * s_w - pad_l;
            sq__conv_pixels_f32(in, in_row, in_ring, slot, ky0, nky, ix,
                                SQ_MAX(0, -ix), SQ_MIN(k_w, in_w - ix),
                                in_stride, px_step, cin, k_h, k_w,
                                orow + x * out_stride, out_stride, cout,
                                w_packed, bias, relu, 1);
        }
    }
}

/*
 * sq__conv1x1_f32: 1x1 convolution, stride 1, no padding, + bias (+ ReLU),
 * rows [row0, row1). Input and output have the same width `w`.
 *
 *   out[y][x][co] = bias[co] + sum_ci w[co][ci] * in[y][x][ci]
 *
 *   in        input, w columns x cin channels, pixel stride in_stride,
 *             ring of in_ring rows
 *   out       output, w columns x cout channels, pixel stride out_stride,
 *             ring of out_ring rows
 *   w_packed  [ceil(cout/4)][cin][4] (the general layout with k = 1)
 *   bias      [cout] or NULL; relu 0 or 1
 *
 * No bounds checks. Rows that are contiguous in both rings are processed
 * as one run of pixels, 4 pixels x 4 output channels at a time.
 */
SQ_INLINE void sq__conv1x1_f32(const float *SQ_RESTRICT in, int w,
                               int in_stride, int in_ring, int cin,
                               float *SQ_RESTRICT out, int out_stride,
                               int out_ring, int cout,
                               const float *SQ_RESTRICT w_packed,
                               const float *SQ_RESTRICT bias, int relu,
                               int row0, int row1)
{
    sq__conv1x1_rows_f32(in, w, in_stride, in_ring, cin, out, out_stride,
                         out_ring, cout, w_packed, bias, relu, 0, 0, row0,
                         row1);
}

/*
 * sq__conv1x1_relu_gap_f32: 1x1 convolution (stride 1, no padding) + bias +
 * ReLU, summed over pixels into acc, for rows [row0, row1):
 *
 *   acc[co] += sum_{y in [row0,row1), x} max(0, bias[co] + sum_ci w[co][ci] * in[y][x][ci])
 *
 * The convolution output is never stored. The caller zeroes acc[cout],
 * calls this for its row ranges, then sq_gap_finish_f32(acc, cout,
 * 1.0f / (H * W)). Arguments as sq_conv1x1_f32; acc must not overlap the
 * other buffers.
 */
SQ_INLINE void sq__conv1x1_relu_gap_f32(const float *SQ_RESTRICT in, int w,
                                        int in_stride, int in_ring, int cin,
                                        float *SQ_RESTRICT acc, int cout,
                                        const float *SQ_RESTRICT w_packed,
                                        const float *SQ_RESTRICT bias,
                                        int row0, int row1)
{
    /* On the gap path (to_gap = 1, a constant, so the store path folds
     * away: deciding on acc != NULL left GCC a store through NULL to warn
     * about) the shared code never uses its output pointer; the input ring
     * doubles as the output ring so runs are split only where it wraps. */
    sq__conv1x1_rows_f32(in, w, in_stride, in_ring, cin, 0, 0, in_ring,
                         cout, w_packed, bias, 1, acc, 1, row0, row1);
}

/* ==========================================================================
 * Pooling
 * ========================================================================== */

/*
 * sq__maxpool_f32: max pooling, output rows [row0, row1).
 *
 *   out[r][x][ch] = max over the window rows r*s_h - pad_t + [0, k_h),
 *                   columns x*s_w - pad_l + [0, k_w), clipped to the input
 *
 * Padded positions are ignored (never win), and windows that run past the
 * end of the input (ceil mode) are clipped. A window with no input element
 * at all (impossible with PyTorch's output-size rule) yields 0.
 *
 *   in   in_h x in_w x c, pixel stride in_stride, ring of in_ring rows
 *   out  out_w x c, pixel stride out_stride, ring of out_ring rows
 *   k_h, k_w window; s_h, s_w strides; pad_t, pad_l top/left padding
 */
SQ_INLINE void sq__maxpool_f32(const float *SQ_RESTRICT in, int in_h, int in_w,
                               int in_stride, int in_ring, int c,
                               float *SQ_RESTRICT out, int out_w,
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
        const int slot0 = (y1 > y0) ? y0 % in_ring : 0;
        float *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x;

        for (x = 0; x < out_w; ++x) {
            const int ix = x * s_w - pad_l;
            const int x0 = SQ_MAX(ix, 0);
            const int x1 = SQ_MIN(ix + k_w, in_w);
            float *SQ_RESTRICT o = orow + x * out_stride;
            int ch = 0;

            if (y1 <= y0 || x1 <= x0) {
                for (ch = 0; ch < c; ++ch) {
                    o[ch] = 0.0f;
                }
                continue;
            }
            /* 4 channels at a time; the first window element seeds the
             * maxima and is compared again harmlessly. */
            for (; ch + 4 <= c; ch += 4) {
                const float *SQ_RESTRICT first = in + slot0 * in_row +
                                                 x0 * in_stride + ch;
                float m0 = first[0], m1 = first[1];
                float m2 = first[2], m3 = first[3];
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const float *SQ_RESTRICT q = p + xx * in_stride;
                        m0 = (q[0] > m0) ? q[0] : m0;
                        m1 = (q[1] > m1) ? q[1] : m1;
                        m2 = (q[2] > m2) ? q[2] : m2;
                        m3 = (q[3] > m3) ? q[3] : m3;
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = m0; o[ch + 1] = m1; o[ch + 2] = m2; o[ch + 3] = m3;
            }
            for (; ch < c; ++ch) {
                float m = in[slot0 * in_row + x0 * in_stride + ch];
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const float v = p[xx * in_stride];
                        m = (v > m) ? v : m;
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = m;
            }
        }
    }
}

/*
 * sq__maxpool_fold_f32: streams max pooling one input row at a time. The
 * row's horizontal windows (columns x*s_w - pad_l + [0, k_w), clipped to
 * [0, in_w)) are max-reduced into one output row `acc`: stored when
 * first != 0 (the row opens the window of that output row), max-combined
 * with what acc holds otherwise. Fold every input row of a window, in
 * order, into its output row(s) and the result equals sq_maxpool_f32,
 * bit for bit (the first maximal element in row-major order wins).
 *
 *   in   one input row: in_w x c, pixel stride in_stride
 *   acc  one output row: out_w x c, pixel stride acc_stride
 *   k_w, s_w, pad_l  horizontal window, stride and left padding
 */
SQ_INLINE void sq__maxpool_fold_f32(const float *SQ_RESTRICT in, int in_w,
                                    int in_stride, int c,
                                    float *SQ_RESTRICT acc, int out_w,
                                    int acc_stride, int k_w, int s_w,
                                    int pad_l, int first)
{
    int x;

    for (x = 0; x < out_w; ++x) {
        const int ix = x * s_w - pad_l;
        const int x0 = SQ_MAX(ix, 0);
        const int x1 = SQ_MIN(ix + k_w, in_w);
        float *SQ_RESTRICT o = acc + x * acc_stride;
        int ch;

        for (ch = 0; ch < c; ++ch) {
            float m;
            int xx;
            if (x1 <= x0) {
                m = 0.0f;
            } else {
                m = in[x0 * in_stride + ch];
                for (xx = x0 + 1; xx < x1; ++xx) {
                    const float v = in[xx * in_stride + ch];
                    m = (v > m) ? v : m;
                }
            }
            o[ch] = (first || m > o[ch]) ? m : o[ch];
        }
    }
}

/*
 * sq__avgpool_f32: average pooling, output rows [row0, row1).
 *
 *   out[r][x][ch] = (sum of the input elements in the window) / divisor
 *
 * The window is rows r*s_h - pad_t + [0, k_h), columns x*s_w - pad_l +
 * [0, k_w); padded positions contribute 0 and positions past the padded
 * extent (ceil mode) are dropped. The divisor is
 *   count_include_pad == 1: the number of window positions inside the
 *       padded extent [-pad_t, in_h + pad_b) x [-pad_l, in_w + pad_r)
 *       (PyTorch semantics);
 *   count_include_pad == 0: the number of real input elements in the window.
 * A window with divisor 0 yields 0.
 *
 *   in   in_h x in_w x c, pixel stride in_stride, ring of in_ring rows
 *   out  out_w x c, pixel stride out_stride, ring of out_ring rows
 *   pad_t, pad_l, pad_b, pad_r: padding on each side
 */
SQ_INLINE void sq__avgpool_f32(const float *SQ_RESTRICT in, int in_h, int in_w,
                               int in_stride, int in_ring, int c,
                               float *SQ_RESTRICT out, int out_w,
                               int out_stride, int out_ring,
                               int k_h, int k_w, int s_h, int s_w,
                               int pad_t, int pad_l, int pad_b, int pad_r,
                               int count_include_pad, int row0, int row1)
{
    const int in_row = in_w * in_stride;
    int r;

    for (r = row0; r < row1; ++r) {
        const int iy = r * s_h - pad_t;
        const int y0 = SQ_MAX(iy, 0);
        const int y1 = SQ_MIN(iy + k_h, in_h);
        const int ny_pad = SQ_MIN(iy + k_h, in_h + pad_b) - SQ_MAX(iy, -pad_t);
        const int slot0 = (y1 > y0) ? y0 % in_ring : 0;
        float *SQ_RESTRICT orow = out + (r % out_ring) * out_w * out_stride;
        int x;

        for (x = 0; x < out_w; ++x) {
            const int ix = x * s_w - pad_l;
            const int x0 = SQ_MAX(ix, 0);
            const int x1 = SQ_MIN(ix + k_w, in_w);
            const int nx_pad = SQ_MIN(ix + k_w, in_w + pad_r) -
                               SQ_MAX(ix, -pad_l);
            const int n_real = SQ_MAX(y1 - y0, 0) * SQ_MAX(x1 - x0, 0);
            const int n_div = count_include_pad
                                  ? SQ_MAX(ny_pad, 0) * SQ_MAX(nx_pad, 0)
                                  : n_real;
            float *SQ_RESTRICT o = orow + x * out_stride;
            float scale;
            int ch = 0;

            if (n_real == 0 || n_div == 0) {
                for (ch = 0; ch < c; ++ch) {
                    o[ch] = 0.0f;
                }
                continue;
            }
            scale = 1.0f / (float)n_div;
            for (; ch + 4 <= c; ch += 4) {
                float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        const float *SQ_RESTRICT q = p + xx * in_stride;
                        s0 += q[0]; s1 += q[1]; s2 += q[2]; s3 += q[3];
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = s0 * scale;
                o[ch + 1] = s1 * scale;
                o[ch + 2] = s2 * scale;
                o[ch + 3] = s3 * scale;
            }
            for (; ch < c; ++ch) {
                float s = 0.0f;
                int slot = slot0;
                int yy, xx;
                for (yy = y0; yy < y1; ++yy) {
                    const float *SQ_RESTRICT p = in + slot * in_row + ch;
                    for (xx = x0; xx < x1; ++xx) {
                        s += p[xx * in_stride];
                    }
                    if (++slot == in_ring) {
                        slot = 0;
                    }
                }
                o[ch] = s * scale;
            }
        }
    }
}

/*
 * sq__gap_f32: global average pooling, accumulation step. Adds every pixel
 * of rows [row0, row1) to acc:
 *
 *   acc[ch] += sum_{y in [row0,row1), x < w} in[y][x][ch]
 *
 * Pixels are added in row-major order. The caller zeroes acc[c] first and
 * finishes with sq_gap_finish_f32(acc, c, 1.0f / (H * W)).
 *
 *   in  w x c, pixel stride in_stride, ring of in_ring rows
 */
SQ_INLINE void sq__gap_f32(const float *SQ_RESTRICT in, int w, int in_stride,
                           int in_ring, int c, float *SQ_RESTRICT acc,
                           int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const float *SQ_RESTRICT row = in + (y % in_ring) * w * in_stride;
        for (x = 0; x < w; ++x) {
            const float *SQ_RESTRICT p = row + x * in_stride;
            for (ch = 0; ch < c; ++ch) {
                acc[ch] += p[ch];
            }
        }
    }
}

/*
 * sq_gap_finish_f32: acc[ch] *= scale for ch < c (scale = 1 / (H * W)).
 * Finishes sq_gap_f32 and sq_conv1x1_relu_gap_f32.
 */
SQ_INLINE void sq_gap_finish_f32(float *SQ_RESTRICT acc, int c, float scale)
{
    int ch;

    for (ch = 0; ch < c; ++ch) {
        acc[ch] *= scale;
    }
}

/* ==========================================================================
 * Element-wise and data movement
 * ========================================================================== */

/* sq_relu_f32: x[i] = max(0, x[i]) for i < n, in place. */
SQ_INLINE void sq_relu_f32(float *SQ_RESTRICT x, int n)
{
    int i;

    for (i = 0; i < n; ++i) {
        x[i] = (x[i] < 0.0f) ? 0.0f : x[i];
    }
}

/*
 * sq_add_f32: out[i] = a[i] + b[i] for i < n (contiguous buffers).
 * out may alias a or b exactly (in-place add); partial overlap is not
 * allowed.
 */
SQ_INLINE void sq_add_f32(const float *a, const float *b, float *out, int n)
{
    int i;

    for (i = 0; i < n; ++i) {
        out[i] = a[i] + b[i];
    }
}

/*
 * sq__copy_channels_f32: copy rows [row0, row1) of a w x c map into another
 * map of the same width, e.g. into a channel slice of a concat buffer:
 *
 *   out[y][x][ch] = in[y][x][ch],   ch < c
 *
 *   in   pixel stride in_stride, ring of in_ring rows
 *   out  pixel stride out_stride (pass out + channel_offset for a slice),
 *        ring of out_ring rows; other channels of out are not touched
 */
SQ_INLINE void sq__copy_channels_f32(const float *SQ_RESTRICT in, int w,
                                     int in_stride, int in_ring, int c,
                                     float *SQ_RESTRICT out, int out_stride,
                                     int out_ring, int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const float *SQ_RESTRICT src = in + (y % in_ring) * w * in_stride;
        float *SQ_RESTRICT dst = out + (y % out_ring) * w * out_stride;
        for (x = 0; x < w; ++x) {
            for (ch = 0; ch < c; ++ch) {
                dst[x * out_stride + ch] = src[x * in_stride + ch];
            }
        }
    }
}

/*
 * sq_softmax_f32: out[i] = exp(x[i] - max) / sum_j exp(x[j] - max), i < n
 * (numerically stable). out may alias x exactly. n >= 1.
 */
SQ_INLINE void sq_softmax_f32(const float *x, float *out, int n)
{
    float max = x[0];
    float sum = 0.0f;
    float inv;
    int i;

    for (i = 1; i < n; ++i) {
        max = (x[i] > max) ? x[i] : max;
    }
    for (i = 0; i < n; ++i) {
        const float e = expf(x[i] - max);
        out[i] = e;
        sum += e;
    }
    inv = 1.0f / sum;
    for (i = 0; i < n; ++i) {
        out[i] *= inv;
    }
}

/*
 * sq_flatten_nchw_f32: reorder a whole h x w x c NHWC map (contiguous, pixel
 * stride c) into the NCHW order PyTorch's flatten produces:
 *
 *   out[ch * h * w + y * w + x] = in[(y * w + x) * c + ch]
 */
SQ_INLINE void sq_flatten_nchw_f32(const float *SQ_RESTRICT in, int h, int w,
                                   int c, float *SQ_RESTRICT out)
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
 * Public API: one parameter struct per call (see sq_common.h)
 *
 * Generated code passes a `static const` struct; these wrappers unpack it
 * into the kernels above (sq__*), which document the arithmetic. Every
 * call computes output rows [row0, row1).
 * ========================================================================== */

/*
 * sq_conv_params_f32: one convolution call.
 *
 *   in        input map (in.c = cin)
 *   out       output map (out.c = cout, out.w the output width; out.h is
 *             only descriptive)
 *   win       kernel, strides, top/left padding (bottom/right implied)
 *   relu      0 or 1
 *   w         packed weights [ceil(cout/4)][k_h][k_w][cin][4]
 *   bias      [cout] or NULL
 */
typedef struct {
    sq_dims in;
    sq_dims out;
    sq_window win;
    int relu;
    const float *w;
    const float *bias;
} sq_conv_params_f32;

/* sq_conv_f32: general convolution (sq__conv_f32). */
SQ_INLINE void sq_conv_f32(const sq_conv_params_f32 *p,
                           const float *SQ_RESTRICT in,
                           float *SQ_RESTRICT out, int row0, int row1)
{
    sq__conv_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                 out, p->out.w, p->out.stride, p->out.ring, p->out.c, p->w,
                 p->bias, p->win.k_h, p->win.k_w, p->win.s_h, p->win.s_w,
                 p->win.pad_t, p->win.pad_l, p->relu, row0, row1);
}

/* sq_conv1x1_f32: 1x1 convolution, stride 1, no padding (sq__conv1x1_f32). */
SQ_INLINE void sq_conv1x1_f32(const sq_conv_params_f32 *p,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1)
{
    sq__conv1x1_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c, out,
                    p->out.stride, p->out.ring, p->out.c, p->w, p->bias,
                    p->relu, row0, row1);
}

/*
 * sq_conv1x1_relu_gap_f32: 1x1 convolution + ReLU summed into acc[out.c]
 * (sq__conv1x1_relu_gap_f32; p->out only gives cout).
 */
SQ_INLINE void sq_conv1x1_relu_gap_f32(const sq_conv_params_f32 *p,
                                       const float *SQ_RESTRICT in,
                                       float *SQ_RESTRICT acc, int row0,
                                       int row1)
{
    sq__conv1x1_relu_gap_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                             acc, p->out.c, p->w, p->bias, row0, row1);
}

/* sq_maxpool_f32: max pooling (sq__maxpool_f32; in.c channels). */
SQ_INLINE void sq_maxpool_f32(const sq_pool_params *p,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1)
{
    sq__maxpool_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                    out, p->out.w, p->out.stride, p->out.ring, p->win.k_h,
                    p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                    p->win.pad_l, row0, row1);
}

/*
 * sq_maxpool_fold_f32: folds one input row `in` into the output row `acc`
 * (sq__maxpool_fold_f32; acc has p->out's width and pixel stride).
 */
SQ_INLINE void sq_maxpool_fold_f32(const sq_pool_params *p,
                                   const float *SQ_RESTRICT in,
                                   float *SQ_RESTRICT acc, int first)
{
    sq__maxpool_fold_f32(in, p->in.w, p->in.stride, p->in.c, acc, p->out.w,
                         p->out.stride, p->win.k_w, p->win.s_w, p->win.pad_l,
                         first);
}

/* sq_avgpool_f32: average pooling (sq__avgpool_f32; in.c channels). */
SQ_INLINE void sq_avgpool_f32(const sq_pool_params *p,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1)
{
    sq__avgpool_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                    out, p->out.w, p->out.stride, p->out.ring, p->win.k_h,
                    p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                    p->win.pad_l, p->win.pad_b, p->win.pad_r,
                    p->count_include_pad, row0, row1);
}

/* sq_gap_f32: global average, accumulation step (sq__gap_f32). */
SQ_INLINE void sq_gap_f32(const sq_dims *in_dims, const float *SQ_RESTRICT in,
                          float *SQ_RESTRICT acc, int row0, int row1)
{
    sq__gap_f32(in, in_dims->w, in_dims->stride, in_dims->ring, in_dims->c,
                acc, row0, row1);
}

/*
 * sq_copy_channels_f32: copies in.c channels of rows [row0, row1) into a
 * map of the same width (sq__copy_channels_f32).
 */
SQ_INLINE void sq_copy_channels_f32(const sq_copy_params *p,
                                    const float *SQ_RESTRICT in,
                                    float *SQ_RESTRICT out, int row0, int row1)
{
    sq__copy_channels_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                          out, p->out.stride, p->out.ring, row0, row1);
}

/*
 * sq_act_params_f32: an element-wise activation over rows of a map, in place.
 *   kind   1: clip to [lo, hi]; 2: leaky ReLU (v < 0: v * alpha);
 *          3: sigmoid 1 / (1 + expf(-v))
 */
typedef struct {
    sq_dims map;
    int kind;
    float lo, hi;
    float alpha;
} sq_act_params_f32;

/*
 * sq_act_rows_f32: the activation of p->kind on map.c channels of rows
 * [row0, row1) of the map at base (rows modulo map.ring), in place. One
 * row at a time, so it streams: a convolution's epilogue right after the
 * call that wrote the rows, or a standalone node after a row copy.
 */
SQ_INLINE void sq_act_rows_f32(const sq_act_params_f32 *p, float *base,
                               int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        float *row = base + (y % p->map.ring) * p->map.w * p->map.stride;
        for (x = 0; x < p->map.w; ++x) {
            float *px = row + x * p->map.stride;
            for (ch = 0; ch < p->map.c; ++ch) {
                float v = px[ch];
                if (p->kind == 1) {
                    if (v < p->lo) {
                        v = p->lo;
                    }
                    if (v > p->hi) {
                        v = p->hi;
                    }
                } else if (p->kind == 2) {
                    v = v < 0.0f ? v * p->alpha : v;
                } else {
                    v = 1.0f / (1.0f + expf(-v));
                }
                px[ch] = v;
            }
        }
    }
}

/*
 * sq_affine_params_f32: y = x * scale[i] + shift[i] over rows of a map, i
 * the parameter index of the value: per channel (by_row = by_col = 0,
 * i = c), or also per row and/or column (an ONNX constant broadcast over
 * the map: i = ((by_row ? y : 0) * (by_col ? w : 1) + (by_col ? x : 0)) * c + ch).
 */
typedef struct {
    sq_dims map;
    const float *scale;
    const float *shift;
    int by_row, by_col;
} sq_affine_params_f32;

/* sq_affine_rows_f32: the affine map on rows [row0, row1), in place. */
SQ_INLINE void sq_affine_rows_f32(const sq_affine_params_f32 *p, float *base,
                                  int row0, int row1)
{
    const int cols = p->by_col ? p->map.w : 1;
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        float *row = base + (y % p->map.ring) * p->map.w * p->map.stride;
        for (x = 0; x < p->map.w; ++x) {
            float *px = row + x * p->map.stride;
            const int k = ((p->by_row ? y : 0) * cols + (p->by_col ? x : 0)) * p->map.c;
            const float *scale = p->scale + k;
            const float *shift = p->shift + k;
            for (ch = 0; ch < p->map.c; ++ch) {
                px[ch] = px[ch] * scale[ch] + shift[ch];
            }
        }
    }
}

/* sq_pad_rows_f32: rows [row0, row1) of the padded map (sq_pad_params:
 * fill `value`, 0 for a zero pad). */
SQ_INLINE void sq_pad_rows_f32(const sq_pad_params *p,
                               const float *SQ_RESTRICT in,
                               float *SQ_RESTRICT out, int row0, int row1)
{
    int y, x, ch;

    for (y = row0; y < row1; ++y) {
        const int sy = y - p->pad_t;
        float *SQ_RESTRICT dst = out + (y % p->out.ring) * p->out.w * p->out.stride;
        const float *SQ_RESTRICT src =
            (sy >= 0 && sy < p->in.h) ? in + (sy % p->in.ring) * p->in.w * p->in.stride : 0;
        for (x = 0; x < p->out.w; ++x) {
            const int sx = x - p->pad_l;
            for (ch = 0; ch < p->out.c; ++ch) {
                dst[x * p->out.stride + ch] =
                    (src != 0 && sx >= 0 && sx < p->in.w) ? src[sx * p->in.stride + ch] : p->value;
            }
        }
    }
}

/* ==========================================================================
 * Grouped and depthwise convolution (ONNX `group` > 1)
 * ========================================================================== */

/*
 * sq_gconv_f32: convolution with `groups` channel groups (sq_conv_params_f32
 * with in.c = cin, out.c = cout, both multiples of groups). Output channel
 * co reads the cin / groups input channels of its group g = co / (cout /
 * groups), starting at channel g * (cin / groups). Weights are plain OHWI
 * [cout][k_h][k_w][cin / groups] (not blocked), bias [cout] or NULL.
 * Summation order per output: bias, then ky, kx, ci ascending, padded taps
 * skipped (as the Swift reference). Depthwise (cin == cout == groups) runs
 * a path with the window clipped once per output pixel.
 */
SQ_INLINE void sq_gconv_f32(const sq_conv_params_f32 *p, int groups,
                            const float *SQ_RESTRICT in,
                            float *SQ_RESTRICT out, int row0, int row1)
{
    const int cin_g = p->in.c / groups;
    const int cout_g = p->out.c / groups;
    const int taps = p->win.k_h * p->win.k_w;
    const int K = taps * cin_g;
    int oy, ox, co, ky, kx, ci;

    for (oy = row0; oy < row1; ++oy) {
        float *orow = out + (oy % p->out.ring) * p->out.w * p->out.stride;
        const int iy0 = oy * p->win.s_h - p->win.pad_t;
        const int ky0 = iy0 < 0 ? -iy0 : 0;
        const int ky1 = SQ_MIN(p->win.k_h, p->in.h - iy0);
        for (ox = 0; ox < p->out.w; ++ox) {
            float *o = orow + ox * p->out.stride;
            const int ix0 = ox * p->win.s_w - p->win.pad_l;
            const int kx0 = ix0 < 0 ? -ix0 : 0;
            const int kx1 = SQ_MIN(p->win.k_w, p->in.w - ix0);
            if (cin_g == 1 && cout_g == 1) {
                /* Depthwise: channel innermost, contiguous in and out. */
                for (co = 0; co < p->out.c; ++co) {
                    o[co] = p->bias ? p->bias[co] : 0.0f;
                }
                for (ky = ky0; ky < ky1; ++ky) {
                    const float *irow = in + ((iy0 + ky) % p->in.ring) *
                                                 p->in.w * p->in.stride;
                    for (kx = kx0; kx < kx1; ++kx) {
                        const float *x = irow + (ix0 + kx) * p->in.stride;
                        const float *w = p->w + ky * p->win.k_w + kx;
                        for (co = 0; co < p->out.c; ++co) {
                            o[co] += x[co] * w[co * taps];
                        }
                    }
                }
                if (p->relu) {
                    for (co = 0; co < p->out.c; ++co) {
                        o[co] = o[co] > 0.0f ? o[co] : 0.0f;
                    }
                }
                continue;
            }
            for (co = 0; co < p->out.c; ++co) {
                const float *wc = p->w + co * K;
                const int c0 = (co / cout_g) * cin_g;
                float acc = p->bias ? p->bias[co] : 0.0f;
                for (ky = ky0; ky < ky1; ++ky) {
                    const float *irow = in + ((iy0 + ky) % p->in.ring) *
                                                 p->in.w * p->in.stride;
                    for (kx = kx0; kx < kx1; ++kx) {
                        const float *x = irow + (ix0 + kx) * p->in.stride + c0;
                        const float *w = wc + (ky * p->win.k_w + kx) * cin_g;
                        for (ci = 0; ci < cin_g; ++ci) {
                            acc += x[ci] * w[ci];
                        }
                    }
                }
                if (p->relu) {
                    acc = acc > 0.0f ? acc : 0.0f;
                }
                o[co] = acc;
            }
        }
    }
}

#endif /* SQ_KERNELS_F32_H */

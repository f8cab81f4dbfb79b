/*
 * test_params.h - the kernel tests' bridge to the parameter-struct API:
 * each t_<kernel> takes the kernel's arguments one by one (as the tests
 * and benchmarks were written), fills the parameter struct the generated
 * code would pass (sq_common.h, sq_kernels_*.h), and calls the kernel
 * with it. Include after sq_kernels_f32.h and/or sq_kernels_s8.h.
 * SQ_INLINE: unused helpers do not warn, and at -O2 the local struct
 * folds away like a generated `static const` one.
 */
#ifndef SQ_TEST_PARAMS_H
#define SQ_TEST_PARAMS_H

#include "sq_common.h"

SQ_INLINE sq_dims t_dims(int h, int w, int c, int stride, int ring)
{
    sq_dims d;
    d.h = h;
    d.w = w;
    d.c = c;
    d.stride = stride;
    d.ring = ring;
    return d;
}

SQ_INLINE sq_window t_window(int k_h, int k_w, int s_h, int s_w, int pad_t,
                             int pad_l, int pad_b, int pad_r)
{
    sq_window v;
    v.k_h = k_h;
    v.k_w = k_w;
    v.s_h = s_h;
    v.s_w = s_w;
    v.pad_t = pad_t;
    v.pad_l = pad_l;
    v.pad_b = pad_b;
    v.pad_r = pad_r;
    return v;
}

SQ_INLINE sq_pool_params t_pool(int in_h, int in_w, int in_stride,
                                int in_ring, int c, int out_w, int out_stride,
                                int out_ring, int k_h, int k_w, int s_h,
                                int s_w, int pad_t, int pad_l)
{
    sq_pool_params p;
    p.in = t_dims(in_h, in_w, c, in_stride, in_ring);
    p.out = t_dims(out_ring, out_w, c, out_stride, out_ring);
    p.win = t_window(k_h, k_w, s_h, s_w, pad_t, pad_l, 0, 0);
    p.count_include_pad = 0;
    return p;
}

SQ_INLINE sq_copy_params t_copy(int w, int in_stride, int in_ring, int c,
                                int out_stride, int out_ring)
{
    sq_copy_params p;
    p.in = t_dims(in_ring, w, c, in_stride, in_ring);
    p.out = t_dims(out_ring, w, c, out_stride, out_ring);
    return p;
}

#ifdef SQ_KERNELS_F32_H

SQ_INLINE sq_conv_params_f32 t_conv_params_f32(
    int in_h, int in_w, int in_stride, int in_ring, int cin, int out_w,
    int out_stride, int out_ring, int cout, const float *w_packed,
    const float *bias, int k_h, int k_w, int s_h, int s_w, int pad_t,
    int pad_l, int relu)
{
    sq_conv_params_f32 p;
    p.in = t_dims(in_h, in_w, cin, in_stride, in_ring);
    p.out = t_dims(out_ring, out_w, cout, out_stride, out_ring);
    p.win = t_window(k_h, k_w, s_h, s_w, pad_t, pad_l, 0, 0);
    p.relu = relu;
    p.w = w_packed;
    p.bias = bias;
    return p;
}

SQ_INLINE void t_conv_f32(const float *in, int in_h, int in_w, int in_stride,
                          int in_ring, int cin, float *out, int out_w,
                          int out_stride, int out_ring, int cout,
                          const float *w_packed, const float *bias, int k_h,
                          int k_w, int s_h, int s_w, int pad_t, int pad_l,
                          int relu, int row0, int row1)
{
    const sq_conv_params_f32 p = t_conv_params_f32(
        in_h, in_w, in_stride, in_ring, cin, out_w, out_stride, out_ring,
        cout, w_packed, bias, k_h, k_w, s_h, s_w, pad_t, pad_l, relu);
    sq_conv_f32(&p, in, out, row0, row1);
}

SQ_INLINE void t_conv1x1_f32(const float *in, int w, int in_stride,
                             int in_ring, int cin, float *out, int out_stride,
                             int out_ring, int cout, const float *w_packed,
                             const float *bias, int relu, int row0, int row1)
{
    const sq_conv_params_f32 p = t_conv_params_f32(
        in_ring, w, in_stride, in_ring, cin, w, out_stride, out_ring, cout,
        w_packed, bias, 1, 1, 1, 1, 0, 0, relu);
    sq_conv1x1_f32(&p, in, out, row0, row1);
}

SQ_INLINE void t_conv1x1_relu_gap_f32(const float *in, int w, int in_stride,
                                      int in_ring, int cin, float *acc,
                                      int cout, const float *w_packed,
                                      const float *bias, int row0, int row1)
{
    const sq_conv_params_f32 p = t_conv_params_f32(
        in_ring, w, in_stride, in_ring, cin, w, cout, in_ring, cout,
        w_packed, bias, 1, 1, 1, 1, 0, 0, 1);
    sq_conv1x1_relu_gap_f32(&p, in, acc, row0, row1);
}

SQ_INLINE void t_maxpool_f32(const float *in, int in_h, int in_w,
                             int in_stride, int in_ring, int c, float *out,
                             int out_w, int out_stride, int out_ring, int k_h,
                             int k_w, int s_h, int s_w, int pad_t, int pad_l,
                             int row0, int row1)
{
    const sq_pool_params p = t_pool(in_h, in_w, in_stride, in_ring, c, out_w,
                                    out_stride, out_ring, k_h, k_w, s_h, s_w,
                                    pad_t, pad_l);
    sq_maxpool_f32(&p, in, out, row0, row1);
}

SQ_INLINE void t_maxpool_fold_f32(const float *in, int in_w, int in_stride,
                                  int c, float *acc, int out_w,
                                  int acc_stride, int k_w, int s_w, int pad_l,
                                  int first)
{
    const sq_pool_params p = t_pool(1, in_w, in_stride, 1, c, out_w,
                                    acc_stride, 1, 1, k_w, 1, s_w, 0, pad_l);
    sq_maxpool_fold_f32(&p, in, acc, first);
}

SQ_INLINE void t_avgpool_f32(const float *in, int in_h, int in_w,
                             int in_stride, int in_ring, int c, float *out,
                             int out_w, int out_stride, int out_ring, int k_h,
                             int k_w, int s_h, int s_w, int pad_t, int pad_l,
                             int pad_b, int pad_r, int count_include_pad,
                             int row0, int row1)
{
    sq_pool_params p = t_pool(in_h, in_w, in_stride, in_ring, c, out_w,
                              out_stride, out_ring, k_h, k_w, s_h, s_w, pad_t,
                              pad_l);
    p.win.pad_b = pad_b;
    p.win.pad_r = pad_r;
    p.count_include_pad = count_include_pad;
    sq_avgpool_f32(&p, in, out, row0, row1);
}

SQ_INLINE void t_gap_f32(const float *in, int w, int in_stride, int in_ring,
                         int c, float *acc, int row0, int row1)
{
    const sq_dims d = t_dims(in_ring, w, c, in_stride, in_ring);
    sq_gap_f32(&d, in, acc, row0, row1);
}

SQ_INLINE void t_copy_channels_f32(const float *in, int w, int in_stride,
                                   int in_ring, int c, float *out,
                                   int out_stride, int out_ring, int row0,
                                   int row1)
{
    const sq_copy_params p = t_copy(w, in_stride, in_ring, c, out_stride,
                                    out_ring);
    sq_copy_channels_f32(&p, in, out, row0, row1);
}

#endif /* SQ_KERNELS_F32_H */

#ifdef SQ_KERNELS_S8_H

SQ_INLINE sq_conv_params_s8 t_conv_params_s8(
    int in_h, int in_w, int in_stride, int in_ring, int cin, int in_zp,
    int out_w, int out_stride, int out_ring, int cout,
    const int8_t *w_packed, const int32_t *bias, const int32_t *mult,
    const int8_t *shift, int out_zp, int act_min, int act_max, int k_h,
    int k_w, int s_h, int s_w, int pad_t, int pad_l)
{
    sq_conv_params_s8 p;
    p.in = t_dims(in_h, in_w, cin, in_stride, in_ring);
    p.out = t_dims(out_ring, out_w, cout, out_stride, out_ring);
    p.win = t_window(k_h, k_w, s_h, s_w, pad_t, pad_l, 0, 0);
    p.in_zp = in_zp;
    p.out_zp = out_zp;
    p.act_min = act_min;
    p.act_max = act_max;
    p.w = w_packed;
    p.bias = bias;
    p.mult = mult;
    p.shift = shift;
    return p;
}

SQ_INLINE void t_conv_s8(const int8_t *in, int in_h, int in_w, int in_stride,
                         int in_ring, int cin, int in_zp, int8_t *out,
                         int out_w, int out_stride, int out_ring, int cout,
                         const int8_t *w_packed, const int32_t *bias,
                         const int32_t *mult, const int8_t *shift,
                         int out_zp, int act_min, int act_max, int k_h,
                         int k_w, int s_h, int s_w, int pad_t, int pad_l,
                         int row0, int row1, int16_t *scratch)
{
    const sq_conv_params_s8 p = t_conv_params_s8(
        in_h, in_w, in_stride, in_ring, cin, in_zp, out_w, out_stride,
        out_ring, cout, w_packed, bias, mult, shift, out_zp, act_min, act_max,
        k_h, k_w, s_h, s_w, pad_t, pad_l);
    sq_conv_s8(&p, in, out, row0, row1, scratch);
}

SQ_INLINE void t_conv1x1_s8(const int8_t *in, int w, int in_stride,
                            int in_ring, int cin, int8_t *out, int out_stride,
                            int out_ring, int cout, const int8_t *w_packed,
                            const int32_t *bias, const int32_t *mult,
                            const int8_t *shift, int out_zp, int act_min,
                            int act_max, int row0, int row1,
                            int16_t *scratch)
{
    const sq_conv_params_s8 p = t_conv_params_s8(
        in_ring, w, in_stride, in_ring, cin, 0, w, out_stride, out_ring, cout,
        w_packed, bias, mult, shift, out_zp, act_min, act_max, 1, 1, 1, 1, 0,
        0);
    sq_conv1x1_s8(&p, in, out, row0, row1, scratch);
}

SQ_INLINE void t_conv1x1_gap_s8(const int8_t *in, int w, int in_stride,
                                int in_ring, int cin, int32_t *acc, int cout,
                                const int8_t *w_packed, const int32_t *bias,
                                const int32_t *mult, const int8_t *shift,
                                int out_zp, int act_min, int act_max,
                                int row0, int row1, int16_t *scratch)
{
    const sq_conv_params_s8 p = t_conv_params_s8(
        in_ring, w, in_stride, in_ring, cin, 0, w, cout, in_ring, cout,
        w_packed, bias, mult, shift, out_zp, act_min, act_max, 1, 1, 1, 1, 0,
        0);
    sq_conv1x1_gap_s8(&p, in, acc, row0, row1, scratch);
}

SQ_INLINE void t_maxpool_s8(const int8_t *in, int in_h, int in_w,
                            int in_stride, int in_ring, int c, int8_t *out,
                            int out_w, int out_stride, int out_ring, int k_h,
                            int k_w, int s_h, int s_w, int pad_t, int pad_l,
                            int row0, int row1)
{
    const sq_pool_params p = t_pool(in_h, in_w, in_stride, in_ring, c, out_w,
                                    out_stride, out_ring, k_h, k_w, s_h, s_w,
                                    pad_t, pad_l);
    sq_maxpool_s8(&p, in, out, row0, row1);
}

SQ_INLINE void t_maxpool_fold_s8(const int8_t *in, int in_w, int in_stride,
                                 int c, int8_t *acc, int out_w,
                                 int acc_stride, int k_w, int s_w, int pad_l,
                                 int first)
{
    const sq_pool_params p = t_pool(1, in_w, in_stride, 1, c, out_w,
                                    acc_stride, 1, 1, k_w, 1, s_w, 0, pad_l);
    sq_maxpool_fold_s8(&p, in, acc, first);
}

SQ_INLINE void t_gap_s8(const int8_t *in, int w, int in_stride, int in_ring,
                        int c, int32_t *acc, int row0, int row1)
{
    const sq_dims d = t_dims(in_ring, w, c, in_stride, in_ring);
    sq_gap_s8(&d, in, acc, row0, row1);
}

SQ_INLINE void t_copy_channels_s8(const int8_t *in, int w, int in_stride,
                                  int in_ring, int c, int8_t *out,
                                  int out_stride, int out_ring, int row0,
                                  int row1)
{
    const sq_copy_params p = t_copy(w, in_stride, in_ring, c, out_stride,
                                    out_ring);
    sq_copy_channels_s8(&p, in, out, row0, row1);
}

SQ_INLINE void t_add_s8(const int8_t *a, int a_zp, int32_t a_mult,
                        const int8_t *b, int b_zp, int32_t b_mult,
                        int8_t *out, int n, int32_t shift, int out_zp,
                        int act_min, int act_max)
{
    sq_add_params_s8 p;
    p.a_zp = a_zp;
    p.a_mult = a_mult;
    p.b_zp = b_zp;
    p.b_mult = b_mult;
    p.shift = shift;
    p.out_zp = out_zp;
    p.act_min = act_min;
    p.act_max = act_max;
    sq_add_s8(&p, a, b, out, n);
}

#endif /* SQ_KERNELS_S8_H */

#endif /* SQ_TEST_PARAMS_H */

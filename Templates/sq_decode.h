/*
 * sq_decode.h - compressed convolution weights for squeezec-generated
 * models: the formats, their decoders and the convolution kernels that
 * decode a block of output channels into scratch and run the dense kernel
 * of sq_kernels_s8.h / sq_kernels_f32.h over it (docs/compression.md).
 *
 * Plain C99, no malloc, no recursion. Included after the kernels header
 * by generated models that store at least one layer compressed.
 *
 * ---------------------------------------------------------------------------
 * Formats
 * ---------------------------------------------------------------------------
 * A compressed layer is the dense kernels' packed weight array (int8:
 * pairs of output channels, fp32: blocks of four; "elements" below) cut
 * into blocks of `block` output channels, `block_len` elements each (the
 * last block may be shorter; `len` elements in all), stored as:
 *
 *   SQ_CW_CODEBOOK         idx: one `bits`-bit index (2..8) per element,
 *                          packed LSB first, into table[2^bits]
 *   SQ_CW_SPARSE           mask: one bit per element, LSB first (1: stored,
 *                          0: the element is zero); values: the stored
 *                          elements in order; first[b]: stored elements
 *                          before block b
 *   SQ_CW_SPARSE_CODEBOOK  as SQ_CW_SPARSE, the stored elements as
 *                          `bits`-bit indices into table
 *
 * Padding elements of the packed layouts (int8: taps k >= K and a missing
 * odd channel; fp32: channels >= cout of the last block of four) hold any
 * table value in SQ_CW_CODEBOOK: the kernels multiply taps k >= K by a zero
 * im2col entry and never store channels >= cout.
 *
 * Index arrays of SQ_CW_SPARSE_CODEBOOK carry 4 bytes of zero padding (a
 * decoder loads 32 bits at a time).
 *
 * sq_cw_prepare_<s8|f32>(cw, wdec) builds the per-layer table of the work
 * area (below); sq_decode_<s8|f32>(cw, b, wdec) then writes the elements of
 * block b at byte cw->data of wdec and returns their number.
 *
 * ---------------------------------------------------------------------------
 * Convolutions
 * ---------------------------------------------------------------------------
 * sq_conv_cw_<s8|f32>, sq_conv1x1_cw_<..>, sq_conv1x1_gap_cw_s8 and
 * sq_conv1x1_relu_gap_cw_f32 take the dense call's parameter struct (its
 * `w` unused) and the layer's sq_cw_<..>, and for each block of output
 * channels decode it into `wdec` (the work area, then block_len elements
 * from byte `data`; 8-byte aligned, from the arena plan) and run the dense kernel on that channel slice, for the
 * same rows. Every output channel is computed exactly as by the dense call:
 * outputs are bit-identical.
 */
#ifndef SQ_DECODE_H
#define SQ_DECODE_H

#include <string.h>

#include "sq_common.h"

#define SQ_CW_CODEBOOK 1
#define SQ_CW_SPARSE 2
#define SQ_CW_SPARSE_CODEBOOK 3

/*
 * SQ_DECODER: storage class of the decoders: one shared out-of-line copy
 * per translation unit (`unused`: a model uses only one precision's).
 */
#if defined(__GNUC__) || defined(__clang__)
#define SQ_DECODER static __attribute__((noinline, unused))
#else
#define SQ_DECODER static
#endif

/* sq_cw_s8: one compressed int8 layer (see the top of the file). */
typedef struct {
    int format;             /* SQ_CW_* */
    int bits;               /* index width 2..8 (codebook formats) */
    int block;              /* output channels per block (even) */
    int block_len;          /* elements per block: block * K4 */
    int len;                /* elements in all */
    int pairs;              /* 4-bit codebooks: byte offset of the pair table */
    int data;               /* byte offset of the decoded block in wdec */
    const int8_t *table;    /* codebook formats: 2^bits values */
    const uint8_t *idx;     /* codebook formats: packed indices */
    const uint8_t *mask;    /* sparse formats: one bit per element */
    const int8_t *values;   /* SQ_CW_SPARSE: the stored values */
    const uint32_t *first;  /* sparse formats: entries before each block */
} sq_cw_s8;

/* sq_cw_f32: one compressed fp32 layer (block: a multiple of 4). */
typedef struct {
    int format;
    int bits;
    int block;
    int block_len;          /* block * k_h * k_w * cin */
    int len;
    int pairs;              /* unused (int8 only) */
    int data;
    const float *table;
    const uint8_t *idx;
    const uint8_t *mask;
    const float *values;
    const uint32_t *first;
} sq_cw_f32;

/* ==========================================================================
 * Bit reader (internal)
 * ========================================================================== */

/* sq__bits: LSB-first reader of 1..8-bit fields from a byte array. */
typedef struct {
    const uint8_t *p;
    uint32_t acc;
    int have;
} sq__bits;

/* sq__bits_at: a reader at bit offset `bit` of `base`; reads no byte before use. */
SQ_INLINE void sq__bits_at(sq__bits *r, const uint8_t *base, uint32_t bit)
{
    r->p = base + (bit >> 3);
    r->acc = 0;
    r->have = 0;
    if ((bit & 7u) != 0) {
        r->acc = (uint32_t)(*r->p++) >> (bit & 7u);
        r->have = 8 - (int)(bit & 7u);
    }
}

/* sq__bits_get: the next n bits (1 <= n <= 8); reads a byte only when needed. */
SQ_INLINE uint32_t sq__bits_get(sq__bits *r, int n)
{
    uint32_t v;

    if (r->have < n) {
        r->acc |= (uint32_t)(*r->p++) << r->have;
        r->have += 8;
    }
    v = r->acc & ((1u << n) - 1u);
    r->acc >>= n;
    r->have -= n;
    return v;
}

/* sq__ctz8: index of the lowest set bit of m (m != 0, m < 256). */
SQ_INLINE int sq__ctz8(uint32_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz(m);
#else
    int j = 0;
    while ((m & 1u) == 0u) {
        m >>= 1;
        ++j;
    }
    return j;
#endif
}

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SQ_LITTLE_ENDIAN 1
#else
#define SQ_LITTLE_ENDIAN 0
#endif

/* sq__le32: a 32-bit word loaded with memcpy, as little-endian bytes. */
SQ_INLINE uint32_t sq__le32(uint32_t w)
{
#if SQ_LITTLE_ENDIAN
    return w;
#else
    unsigned char b[4];
    memcpy(b, &w, 4);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
           ((uint32_t)b[3] << 24);
#endif
}

/*
 * The work area at the start of the decode scratch `wdec`, ahead of the
 * decoded block (at byte `data` of every layer of a model):
 *   [0, 1024)       uint32_t positions[256] when a layer is sparse: the set
 *                   bits of a mask byte, lowest first, 3 bits each, their
 *                   count in bits 24..27; built once per inference by
 *                   sq_cw_positions (the run function calls it)
 *   [pairs, +512)   uint16_t pairs[256] (int8 4-bit codebooks): the codes of
 *                   the two indices of a byte, low nibble in the low byte;
 *                   built per convolution call by sq_cw_prepare_s8
 */
/* sq__cw_positions: the position table of the work area. */
SQ_INLINE void sq__cw_positions(uint32_t *SQ_RESTRICT pos)
{
    uint32_t m;

    pos[0] = 0;
    for (m = 1; m < 256; ++m) {
        const uint32_t rest = pos[m & (m - 1u)];
        pos[m] = (((rest & 0xFFFFFFu) << 3) | (uint32_t)sq__ctz8(m)) +
                 (((rest >> 24) + 1u) << 24);
    }
}

/*
 * SQ__DEC_PUT: stores the next stored entry (index in the low bits of w) at
 * the next set-bit position of pos, and advances both.
 */
#define SQ__DEC_PUT(d, pos, table, w, imask, bits)                          \
    do {                                                                   \
        (d)[(pos) & 7u] = (table)[(w) & (imask)];                          \
        (w) >>= (bits);                                                    \
        (pos) >>= 3;                                                       \
    } while (0)

/* sq_cw_positions: builds the position table at the start of wdec. */
SQ_INLINE void sq_cw_positions(void *SQ_RESTRICT wdec)
{
    sq__cw_positions((uint32_t *)wdec);
}

/* The two decoders, one per element type (sq_decode_body.h). */
#define SQ__DEC_T int8_t
#define SQ__DEC_CW sq_cw_s8
#define SQ__DEC_NAME sq_decode_s8
#define SQ__DEC_PREPARE sq_cw_prepare_s8
#define SQ__DEC_GROUPS sq__cw_groups_s8
#define SQ__DEC_PAIRS 1
#include "sq_decode_body.h"
#undef SQ__DEC_T
#undef SQ__DEC_CW
#undef SQ__DEC_NAME
#undef SQ__DEC_PREPARE
#undef SQ__DEC_GROUPS
#undef SQ__DEC_PAIRS

#define SQ__DEC_T float
#define SQ__DEC_CW sq_cw_f32
#define SQ__DEC_NAME sq_decode_f32
#define SQ__DEC_PREPARE sq_cw_prepare_f32
#define SQ__DEC_GROUPS sq__cw_groups_f32
#define SQ__DEC_PAIRS 0
#include "sq_decode_body.h"
#undef SQ__DEC_T
#undef SQ__DEC_CW
#undef SQ__DEC_NAME
#undef SQ__DEC_PREPARE
#undef SQ__DEC_GROUPS
#undef SQ__DEC_PAIRS

/* ==========================================================================
 * int8 convolutions over decoded blocks (needs sq_kernels_s8.h first)
 * ========================================================================== */
#ifdef SQ_KERNELS_S8_H

/* sq_conv_cw_s8: sq_conv_s8 with compressed weights. */
SQ_INLINE void sq_conv_cw_s8(const sq_conv_params_s8 *p, const sq_cw_s8 *cw,
                             const int8_t *SQ_RESTRICT in,
                             int8_t *SQ_RESTRICT out, int row0, int row1,
                             int16_t *SQ_RESTRICT scratch,
                             void *SQ_RESTRICT wdec)
{
    int8_t *SQ_RESTRICT w =
        (int8_t *)(void *)((uint8_t *)wdec + cw->data);
    int b = 0, co;

    sq_cw_prepare_s8(cw, wdec);
    for (co = 0; co < p->out.c; co += cw->block, ++b) {
        const int nc = SQ_MIN(cw->block, p->out.c - co);
        sq_decode_s8(cw, b, wdec);
        sq__conv_s8(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                    p->in_zp, out + co, p->out.w, p->out.stride, p->out.ring,
                    nc, w, p->bias + co, p->mult + co, p->shift + co,
                    p->out_zp, p->act_min, p->act_max, p->win.k_h,
                    p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                    p->win.pad_l, row0, row1, scratch);
    }
}

/* sq_conv1x1_cw_s8: sq_conv1x1_s8 with compressed weights. */
SQ_INLINE void sq_conv1x1_cw_s8(const sq_conv_params_s8 *p,
                                const sq_cw_s8 *cw,
                                const int8_t *SQ_RESTRICT in,
                                int8_t *SQ_RESTRICT out, int row0, int row1,
                                int16_t *SQ_RESTRICT scratch,
                                void *SQ_RESTRICT wdec)
{
    int8_t *SQ_RESTRICT w =
        (int8_t *)(void *)((uint8_t *)wdec + cw->data);
    int b = 0, co;

    sq_cw_prepare_s8(cw, wdec);
    for (co = 0; co < p->out.c; co += cw->block, ++b) {
        const int nc = SQ_MIN(cw->block, p->out.c - co);
        sq_decode_s8(cw, b, wdec);
        sq__conv1x1_s8(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                       out + co, p->out.stride, p->out.ring, nc, w,
                       p->bias + co, p->mult + co, p->shift + co, p->out_zp,
                       p->act_min, p->act_max, row0, row1, scratch);
    }
}

/* sq_conv1x1_gap_cw_s8: sq_conv1x1_gap_s8 with compressed weights. */
SQ_INLINE void sq_conv1x1_gap_cw_s8(const sq_conv_params_s8 *p,
                                    const sq_cw_s8 *cw,
                                    const int8_t *SQ_RESTRICT in,
                                    int32_t *SQ_RESTRICT acc, int row0,
                                    int row1, int16_t *SQ_RESTRICT scratch,
                                    void *SQ_RESTRICT wdec)
{
    int8_t *SQ_RESTRICT w =
        (int8_t *)(void *)((uint8_t *)wdec + cw->data);
    int b = 0, co;

    sq_cw_prepare_s8(cw, wdec);
    for (co = 0; co < p->out.c; co += cw->block, ++b) {
        const int nc = SQ_MIN(cw->block, p->out.c - co);
        sq_decode_s8(cw, b, wdec);
        sq__conv1x1_gap_s8(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                           acc + co, nc, w, p->bias + co, p->mult + co,
                           p->shift + co, p->out_zp, p->act_min, p->act_max,
                           row0, row1, scratch);
    }
}

#endif /* SQ_KERNELS_S8_H */

/* ==========================================================================
 * fp32 convolutions over decoded blocks (needs sq_kernels_f32.h first)
 * ========================================================================== */
#ifdef SQ_KERNELS_F32_H

/* sq_conv_cw_f32: sq_conv_f32 with compressed weights. */
SQ_INLINE void sq_conv_cw_f32(const sq_conv_params_f32 *p,
                              const sq_cw_f32 *cw,
                              const float *SQ_RESTRICT in,
                              float *SQ_RESTRICT out, int row0, int row1,
                              void *SQ_RESTRICT wdec)
{
    float *SQ_RESTRICT w =
        (float *)(void *)((uint8_t *)wdec + cw->data);
    int b = 0, co;

    sq_cw_prepare_f32(cw, wdec);
    for (co = 0; co < p->out.c; co += cw->block, ++b) {
        const int nc = SQ_MIN(cw->block, p->out.c - co);
        sq_decode_f32(cw, b, wdec);
        sq__conv_f32(in, p->in.h, p->in.w, p->in.stride, p->in.ring, p->in.c,
                     out + co, p->out.w, p->out.stride, p->out.ring, nc, w,
                     p->bias != NULL ? p->bias + co : NULL, p->win.k_h,
                     p->win.k_w, p->win.s_h, p->win.s_w, p->win.pad_t,
                     p->win.pad_l, p->relu, row0, row1);
    }
}

/* sq_conv1x1_cw_f32: sq_conv1x1_f32 with compressed weights. */
SQ_INLINE void sq_conv1x1_cw_f32(const sq_conv_params_f32 *p,
                                 const sq_cw_f32 *cw,
                                 const float *SQ_RESTRICT in,
                                 float *SQ_RESTRICT out, int row0, int row1,
                                 void *SQ_RESTRICT wdec)
{
    float *SQ_RESTRICT w =
        (float *)(void *)((uint8_t *)wdec + cw->data);
    int b = 0, co;

    sq_cw_prepare_f32(cw, wdec);
    for (co = 0; co < p->out.c; co += cw->block, ++b) {
        const int nc = SQ_MIN(cw->block, p->out.c - co);
        sq_decode_f32(cw, b, wdec);
        sq__conv1x1_f32(in, p->in.w, p->in.stride, p->in.ring, p->in.c,
                        out + co, p->out.stride, p->out.ring, nc, w,
                        p->bias != NULL ? p->bias + co : NULL, p->relu, row0,
                        row1);
    }
}

/* sq_conv1x1_relu_gap_cw_f32: sq_conv1x1_relu_gap_f32 with compressed weights. */
SQ_INLINE void sq_conv1x1_relu_gap_cw_f32(const sq_conv_params_f32 *p,
                                          const sq_cw_f32 *cw,
                                          const float *SQ_RESTRICT in,
                                          float *SQ_RESTRICT acc, int row0,
                                          int row1, void *SQ_RESTRICT wdec)
{
    float *SQ_RESTRICT w =
        (float *)(void *)((uint8_t *)wdec + cw->data);
    int b = 0, co;

    sq_cw_prepare_f32(cw, wdec);
    for (co = 0; co < p->out.c; co += cw->block, ++b) {
        const int nc = SQ_MIN(cw->block, p->out.c - co);
        sq_decode_f32(cw, b, wdec);
        sq__conv1x1_relu_gap_f32(in, p->in.w, p->in.stride, p->in.ring,
                                 p->in.c, acc + co, nc, w,
                                 p->bias != NULL ? p->bias + co : NULL, row0,
                                 row1);
    }
}

#endif /* SQ_KERNELS_F32_H */

#endif /* SQ_DECODE_H */

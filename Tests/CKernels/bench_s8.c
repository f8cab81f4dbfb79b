/*
 * bench_s8.c - instruction counts of the int8 kernels (sq_kernels_s8.h) on
 * every convolution shape of SqueezeNet 1.1 at 224x224, under QEMU
 * mps2-an386 with -icount shift=0 (Firmware/common/sq_cycles.c counts
 * instructions through SysTick, resolution 40 instructions).
 *
 * Each layer is measured twice, with literal constant sizes as in generated
 * code:
 *   BENCH  whole-layer calls: one call over the whole map (rows [0, H));
 *   ROWS   the default row-streaming schedule: one call per output row
 *          (rows [r, r + 1)), 3x3 inputs in rings of k_h rows, outputs in
 *          rings of 2 rows; the max pools folded row by row with
 *          sq_maxpool_fold_s8 (conv1: every pre-pool row computed into a
 *          one-row buffer, then folded, as the stage does).
 * Prints one line per layer and schedule:
 *
 *   BENCH|ROWS <name> <count> <MACs> <instructions>
 *
 * (count: how many times the layer occurs in the network), then SQ_DONE 0.
 * Built and tabulated by bench_s8.sh (DSP and -DSQ_S8_NO_DSP builds).
 */
#include <stdint.h>

#include "sq_cycles.h"
#include "sq_kernels_s8.h"
#include "test_params.h"
#include "sq_semihost.h"

#define BIG (111 * 111 * 64)

static int8_t g_in[BIG] SQ_ALIGN(16);
static int8_t g_out[BIG] SQ_ALIGN(16);
static int8_t g_w[500 * 512 * 2] SQ_ALIGN(16);
static int32_t g_bias[1000], g_mult[1000], g_acc[1000];
static int8_t g_shift[1000];
static int16_t g_scratch[SQ_S8_SCRATCH_BYTES(3, 3, 64) / 2] SQ_ALIGN(16);
static int8_t g_avg[1000];
static int8_t g_pool[2 * 55 * 64] SQ_ALIGN(16); /* pooled rows, ring 2 */

static uint32_t g_rng = 12345u;

static uint32_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    return g_rng;
}

static void line(const char *tag, const char *name, int count, uint64_t macs,
                 uint64_t ins)
{
    char text[128];
    char *p = text, *end = text + sizeof text;
    p = sq_fmt_str(p, end, tag);
    p = sq_fmt_str(p, end, " ");
    p = sq_fmt_str(p, end, name);
    p = sq_fmt_str(p, end, " ");
    p = sq_fmt_u64(p, end, (uint64_t)count);
    p = sq_fmt_str(p, end, " ");
    p = sq_fmt_u64(p, end, macs);
    p = sq_fmt_str(p, end, " ");
    p = sq_fmt_u64(p, end, ins);
    (void)sq_fmt_str(p, end, "\n");
    sq_sh_write0(text);
}

static uint64_t g_t0;

static void start(void)
{
    g_t0 = sq_cycles_ticks();
}

static uint64_t stop(void)
{
    return sq_cycles_to_instructions(sq_cycles_ticks() - g_t0);
}

/* Every layer in its own non-inlined function: one specialised copy. */
#define NOINLINE __attribute__((noinline))

/* 3x3 (or k x k) convolution, input H x W x CIN, output stride OS. */
#define CONV(fn, H, W, CIN, COUT, K, S, P, OH, OW, OS)                       \
    static NOINLINE void fn(void)                                            \
    {                                                                        \
        t_conv_s8(g_in, H, W, CIN, H, CIN, -3, g_out, OW, OS, OH, COUT,     \
                   g_w, g_bias, g_mult, g_shift, -7, -7, 127, K, K, S, S,    \
                   P, P, 0, OH, g_scratch);                                  \
    }
#define CONV1(fn, H, W, CIN, COUT, OS)                                       \
    static NOINLINE void fn(void)                                            \
    {                                                                        \
        t_conv1x1_s8(g_in, W, CIN, H, CIN, g_out, OS, H, COUT, g_w, g_bias, \
                      g_mult, g_shift, -7, -7, 127, 0, H, g_scratch);        \
    }

CONV(conv1, 224, 224, 3, 64, 3, 2, 0, 111, 111, 64)
CONV1(sq64_16, 55, 55, 64, 16, 16)
CONV1(sq128_16, 55, 55, 128, 16, 16)
CONV1(e1_16_64, 55, 55, 16, 64, 128)
CONV(e3_16_64, 55, 55, 16, 64, 3, 1, 1, 55, 55, 128)
CONV1(sq128_32, 27, 27, 128, 32, 32)
CONV1(sq256_32, 27, 27, 256, 32, 32)
CONV1(e1_32_128, 27, 27, 32, 128, 256)
CONV(e3_32_128, 27, 27, 32, 128, 3, 1, 1, 27, 27, 256)
CONV1(sq256_48, 13, 13, 256, 48, 48)
CONV1(sq384_48, 13, 13, 384, 48, 48)
CONV1(e1_48_192, 13, 13, 48, 192, 384)
CONV(e3_48_192, 13, 13, 48, 192, 3, 1, 1, 13, 13, 384)
CONV1(sq384_64, 13, 13, 384, 64, 64)
CONV1(sq512_64, 13, 13, 512, 64, 64)
CONV1(e1_64_256, 13, 13, 64, 256, 512)
CONV(e3_64_256, 13, 13, 64, 256, 3, 1, 1, 13, 13, 512)

static NOINLINE void conv10_gap(void)
{
    int i;
    for (i = 0; i < 1000; ++i) {
        g_acc[i] = 0;
    }
    t_conv1x1_gap_s8(g_in, 13, 512, 13, 512, g_acc, 1000, g_w, g_bias,
                      g_mult, g_shift, -7, -7, 127, 0, 13, g_scratch);
    sq_gap_finish_s8(g_acc, 1000, 169, g_avg);
}

#define POOL(fn, H, C, OH)                                                   \
    static NOINLINE void fn(void)                                            \
    {                                                                        \
        t_maxpool_s8(g_in, H, H, C, H, C, g_out, OH, C, OH, 3, 3, 2, 2, 0,  \
                      0, 0, OH);                                             \
    }
POOL(pool1, 111, 64, 55)
POOL(pool3, 55, 128, 27)
POOL(pool5, 27, 256, 13)

/* ---- Row streaming: one output row per call ---- */

/* k x k convolution, input ring of K rows, output ring of 2 rows. */
#define CONVR(fn, H, W, CIN, COUT, K, S, P, OH, OW, OS)                      \
    static NOINLINE void fn(void)                                            \
    {                                                                        \
        int r;                                                               \
        for (r = 0; r < OH; ++r) {                                           \
            t_conv_s8(g_in, H, W, CIN, K, CIN, -3, g_out, OW, OS, 2, COUT,  \
                       g_w, g_bias, g_mult, g_shift, -7, -7, 127, K, K, S,   \
                       S, P, P, r, r + 1, g_scratch);                        \
        }                                                                    \
    }
/* 1x1 convolution, rings of 2 rows. */
#define CONV1R(fn, H, W, CIN, COUT, OS)                                      \
    static NOINLINE void fn(void)                                            \
    {                                                                        \
        int r;                                                               \
        for (r = 0; r < H; ++r) {                                            \
            t_conv1x1_s8(g_in, W, CIN, 2, CIN, g_out, OS, 2, COUT, g_w,     \
                          g_bias, g_mult, g_shift, -7, -7, 127, r, r + 1,    \
                          g_scratch);                                        \
        }                                                                    \
    }

/* Folds pre-pool row y (IW x C at src) into the pooled rows of a 3x3/2
 * max pool (no padding) whose window holds it, as the stream stage does. */
#define FOLD_ROW(src, y, IW, C, OW, OH)                                      \
    do {                                                                     \
        int q = (y) - 2;                                                     \
        q = (q <= 0) ? 0 : (q + 1) / 2;                                      \
        for (; q <= SQ_MIN((y) / 2, (OH) - 1); ++q) {                        \
            t_maxpool_fold_s8(src, IW, C, C, g_pool + (q % 2) * (OW) * (C), \
                               OW, C, 3, 2, 0, (y) == SQ_MAX(q * 2, 0));     \
        }                                                                    \
    } while (0)

/* conv1 + pool1: every pre-pool row into a one-row buffer, then folded. */
static NOINLINE void conv1_pool_rows(void)
{
    int y;
    for (y = 0; y < 111; ++y) {
        t_conv_s8(g_in, 224, 224, 3, 224, 3, -3, g_out, 111, 64, 1, 64, g_w,
                   g_bias, g_mult, g_shift, -7, -7, 127, 3, 3, 2, 2, 0, 0, y,
                   y + 1, g_scratch);
        FOLD_ROW(g_out, y, 111, 64, 55, 55);
    }
}

/* A pool fused into the preceding fire: the fold of every pre-pool row. */
#define FOLDR(fn, IH, C, OH)                                                 \
    static NOINLINE void fn(void)                                            \
    {                                                                        \
        int y;                                                               \
        for (y = 0; y < IH; ++y) {                                           \
            FOLD_ROW(g_in + (y % 2) * (IH) * (C), y, IH, C, OH, OH);         \
        }                                                                    \
    }
FOLDR(pool3_fold, 55, 128, 27)
FOLDR(pool5_fold, 27, 256, 13)

CONV1R(sq64_16_r, 55, 55, 64, 16, 16)
CONV1R(sq128_16_r, 55, 55, 128, 16, 16)
CONV1R(e1_16_64_r, 55, 55, 16, 64, 128)
CONVR(e3_16_64_r, 55, 55, 16, 64, 3, 1, 1, 55, 55, 128)
CONV1R(sq128_32_r, 27, 27, 128, 32, 32)
CONV1R(sq256_32_r, 27, 27, 256, 32, 32)
CONV1R(e1_32_128_r, 27, 27, 32, 128, 256)
CONVR(e3_32_128_r, 27, 27, 32, 128, 3, 1, 1, 27, 27, 256)
CONV1R(sq256_48_r, 13, 13, 256, 48, 48)
CONV1R(sq384_48_r, 13, 13, 384, 48, 48)
CONV1R(e1_48_192_r, 13, 13, 48, 192, 384)
CONVR(e3_48_192_r, 13, 13, 48, 192, 3, 1, 1, 13, 13, 384)
CONV1R(sq384_64_r, 13, 13, 384, 64, 64)
CONV1R(sq512_64_r, 13, 13, 512, 64, 64)
CONV1R(e1_64_256_r, 13, 13, 64, 256, 512)
CONVR(e3_64_256_r, 13, 13, 64, 256, 3, 1, 1, 13, 13, 512)

static NOINLINE void conv10_gap_r(void)
{
    int i, r;
    for (i = 0; i < 1000; ++i) {
        g_acc[i] = 0;
    }
    for (r = 0; r < 13; ++r) {
        t_conv1x1_gap_s8(g_in, 13, 512, 2, 512, g_acc, 1000, g_w, g_bias,
                          g_mult, g_shift, -7, -7, 127, r, r + 1, g_scratch);
    }
    sq_gap_finish_s8(g_acc, 1000, 169, g_avg);
}

typedef struct {
    const char *name;
    void (*fn)(void);
    int count;
    uint64_t macs;
} layer_t;

#define M(h, w, k, c) ((uint64_t)(h) * (w) * (k) * (c))

static const layer_t g_layers[] = {
    { "conv1_3x3s2_c3_k64_224", conv1, 1, M(111, 111, 27, 64) },
    { "pool1", pool1, 1, 0 },
    { "squeeze_1x1_c64_k16_55", sq64_16, 1, M(55, 55, 64, 16) },
    { "squeeze_1x1_c128_k16_55", sq128_16, 1, M(55, 55, 128, 16) },
    { "expand1_1x1_c16_k64_55", e1_16_64, 2, M(55, 55, 16, 64) },
    { "expand3_3x3p1_c16_k64_55", e3_16_64, 2, M(55, 55, 144, 64) },
    { "pool3", pool3, 1, 0 },
    { "squeeze_1x1_c128_k32_27", sq128_32, 1, M(27, 27, 128, 32) },
    { "squeeze_1x1_c256_k32_27", sq256_32, 1, M(27, 27, 256, 32) },
    { "expand1_1x1_c32_k128_27", e1_32_128, 2, M(27, 27, 32, 128) },
    { "expand3_3x3p1_c32_k128_27", e3_32_128, 2, M(27, 27, 288, 128) },
    { "pool5", pool5, 1, 0 },
    { "squeeze_1x1_c256_k48_13", sq256_48, 1, M(13, 13, 256, 48) },
    { "squeeze_1x1_c384_k48_13", sq384_48, 1, M(13, 13, 384, 48) },
    { "expand1_1x1_c48_k192_13", e1_48_192, 2, M(13, 13, 48, 192) },
    { "expand3_3x3p1_c48_k192_13", e3_48_192, 2, M(13, 13, 432, 192) },
    { "squeeze_1x1_c384_k64_13", sq384_64, 1, M(13, 13, 384, 64) },
    { "squeeze_1x1_c512_k64_13", sq512_64, 1, M(13, 13, 512, 64) },
    { "expand1_1x1_c64_k256_13", e1_64_256, 2, M(13, 13, 64, 256) },
    { "expand3_3x3p1_c64_k256_13", e3_64_256, 2, M(13, 13, 576, 256) },
    { "conv10_1x1_c512_k1000_gap_13", conv10_gap, 1, M(13, 13, 512, 1000) },
};

static const layer_t g_rows[] = {
    { "conv1_3x3s2_c3_k64_224+pool1_fold", conv1_pool_rows, 1,
      M(111, 111, 27, 64) },
    { "squeeze_1x1_c64_k16_55", sq64_16_r, 1, M(55, 55, 64, 16) },
    { "squeeze_1x1_c128_k16_55", sq128_16_r, 1, M(55, 55, 128, 16) },
    { "expand1_1x1_c16_k64_55", e1_16_64_r, 2, M(55, 55, 16, 64) },
    { "expand3_3x3p1_c16_k64_55", e3_16_64_r, 2, M(55, 55, 144, 64) },
    { "pool3_fold", pool3_fold, 1, 0 },
    { "squeeze_1x1_c128_k32_27", sq128_32_r, 1, M(27, 27, 128, 32) },
    { "squeeze_1x1_c256_k32_27", sq256_32_r, 1, M(27, 27, 256, 32) },
    { "expand1_1x1_c32_k128_27", e1_32_128_r, 2, M(27, 27, 32, 128) },
    { "expand3_3x3p1_c32_k128_27", e3_32_128_r, 2, M(27, 27, 288, 128) },
    { "pool5_fold", pool5_fold, 1, 0 },
    { "squeeze_1x1_c256_k48_13", sq256_48_r, 1, M(13, 13, 256, 48) },
    { "squeeze_1x1_c384_k48_13", sq384_48_r, 1, M(13, 13, 384, 48) },
    { "expand1_1x1_c48_k192_13", e1_48_192_r, 2, M(13, 13, 48, 192) },
    { "expand3_3x3p1_c48_k192_13", e3_48_192_r, 2, M(13, 13, 432, 192) },
    { "squeeze_1x1_c384_k64_13", sq384_64_r, 1, M(13, 13, 384, 64) },
    { "squeeze_1x1_c512_k64_13", sq512_64_r, 1, M(13, 13, 512, 64) },
    { "expand1_1x1_c64_k256_13", e1_64_256_r, 2, M(13, 13, 64, 256) },
    { "expand3_3x3p1_c64_k256_13", e3_64_256_r, 2, M(13, 13, 576, 256) },
    { "conv10_1x1_c512_k1000_gap_13", conv10_gap_r, 1,
      M(13, 13, 512, 1000) },
};

static void run(const char *tag, const layer_t *t, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; ++i) {
        uint64_t ins;
        start();
        t[i].fn();
        ins = stop();
        line(tag, t[i].name, t[i].count, t[i].macs, ins);
    }
}

int main(void)
{
    unsigned i;

    for (i = 0; i < sizeof g_in; ++i) {
        g_in[i] = (int8_t)rnd();
    }
    for (i = 0; i < sizeof g_w; ++i) {
        g_w[i] = (int8_t)rnd();
    }
    for (i = 0; i < 1000; ++i) {
        g_bias[i] = (int32_t)(rnd() % 20000u) - 10000;
        g_mult[i] = (int32_t)(0x40000000u | (rnd() >> 2));
        g_shift[i] = 40 + (int32_t)(rnd() % 3u);
    }
    sq_cycles_start();
    run("BENCH", g_layers, sizeof g_layers / sizeof g_layers[0]);
    run("ROWS", g_rows, sizeof g_rows / sizeof g_rows[0]);
    sq_sh_write0(SQ_S8_DSP ? "path DSP\n" : "path portable\n");
    sq_sh_write0("SQ_DONE 0\n");
    return 0;
}

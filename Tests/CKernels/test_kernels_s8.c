/*
 * test_kernels_s8.c - standalone unit test of Templates/sq_kernels_s8.h.
 *
 * Every kernel is compared byte for byte (0 differing bytes allowed) with a
 * plain scalar reference written here from the formulas at the top of the
 * header: unpacked OHWI weights, padded taps read as in_zp, a 64-bit sum
 * wrapped to int32 at the end, and an independently written single-rounding
 * requantisation (floor division of the exact product, no >> of negative
 * numbers). The packed weight layout is produced here from its definition.
 *
 * Data are seeded pseudo-random: random shapes (odd cin and cout, cin not a
 * multiple of 4, cout = 1, kernels 1x1 .. 7x7, strides 1 and 2, asymmetric
 * paddings 0 .. 3), row rings smaller than the map with the row range split
 * over calls, channel slices (channels outside the slice must stay intact),
 * zero points at -128 and 127, clamp ranges, mult 0 / 2^31 - 1, shift 32 /
 * 62, accumulators at the int32 limits (and past them: modulo 2^32), the
 * requantisation exhaustively over shifts on random inputs, quantize /
 * dequantize with NaN, infinities, ties and clamping, gap rounding.
 *
 * Host build: malloc'd exact-size buffers (ASan catches any overrun, also
 * of the scratch, which is exactly SQ_S8_SCRATCH_BYTES), stdio.
 * -DSQ_TEST_BAREMETAL: Cortex-M under QEMU (mps2-an386), linked with the
 * project's Firmware/common startup and semihosting (main is called by
 * sq_startup.c; output via SYS_WRITE0, exit status via SYS_EXIT_EXTENDED);
 * buffers from a bump allocator, 16-byte aligned.
 *
 * Prints a checksum of every kernel output (identical for every compiler
 * and for the portable and the DSP build) and, last, "N passed, M failed";
 * non-zero exit on failure.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sq_kernels_s8.h"
#include "test_params.h"

/* ------------------------------------------------------------------------
 * Platform: output, allocation, exit
 * ------------------------------------------------------------------------ */

#if defined(SQ_TEST_BAREMETAL)

#include "sq_semihost.h"

static void out_str(const char *s)
{
    sq_sh_write0(s);
}

static void sys_exit(int status)
{
    sq_sh_exit((uint32_t)status);
}

static unsigned char g_pool[3u << 20] SQ_ALIGN(16);
static size_t g_pool_used = 0;

static void *xmalloc(size_t n)
{
    void *p;
    n = (n + 15u) & ~(size_t)15u;
    if (g_pool_used + n > sizeof g_pool) {
        out_str("out of memory\n");
        sys_exit(2);
    }
    p = g_pool + g_pool_used;
    g_pool_used += n;
    return p;
}

/* Frees everything allocated since mark (bump allocator). */
static size_t pool_mark(void)
{
    return g_pool_used;
}

static void pool_release(size_t mark)
{
    g_pool_used = mark;
}

#else

#include <stdio.h>
#include <stdlib.h>

static void out_str(const char *s)
{
    fputs(s, stdout);
}

static void sys_exit(int status)
{
    fflush(stdout);
    exit(status);
}

/* Every allocation is tracked; pool_release frees those made since a mark
 * (buffers stay exact-size mallocs for AddressSanitizer; malloc aligns to
 * at least 8 bytes, as the packed weights and the scratch need). */
static void *g_ptrs[4096];
static size_t g_nptrs = 0;

static void *xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL || g_nptrs == sizeof g_ptrs / sizeof g_ptrs[0]) {
        out_str("out of memory\n");
        sys_exit(2);
    }
    g_ptrs[g_nptrs++] = p;
    return p;
}

static size_t pool_mark(void)
{
    return g_nptrs;
}

static void pool_release(size_t mark)
{
    while (g_nptrs > mark) {
        free(g_ptrs[--g_nptrs]);
    }
}

#endif

static void out_int(long long v)
{
    char buf[24];
    int n = 0;
    unsigned long long u = (v < 0) ? (unsigned long long)(-(v + 1)) + 1u
                                   : (unsigned long long)v;
    char text[26];
    int i = 0;

    do {
        buf[n++] = (char)('0' + (int)(u % 10u));
        u /= 10u;
    } while (u != 0u);
    if (v < 0) {
        text[i++] = '-';
    }
    while (n > 0) {
        text[i++] = buf[--n];
    }
    text[i] = '\0';
    out_str(text);
}

static void out_hex(uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    char text[9];
    int i;
    for (i = 0; i < 8; ++i) {
        text[i] = hex[(v >> (28 - 4 * i)) & 0xFu];
    }
    text[8] = '\0';
    out_str(text);
}

/* ------------------------------------------------------------------------
 * Bookkeeping, random numbers, checksum
 * ------------------------------------------------------------------------ */

static int g_passed = 0;
static int g_failed = 0;
static uint32_t g_sum = 2166136261u; /* FNV-1a over every kernel output */

static void check(int ok, const char *what, long long a, long long b,
                  long long at)
{
    if (ok) {
        ++g_passed;
        return;
    }
    ++g_failed;
    out_str("FAIL ");
    out_str(what);
    out_str(": at ");
    out_int(at);
    out_str(" got ");
    out_int(a);
    out_str(" want ");
    out_int(b);
    out_str("\n");
}

static void hash_bytes(const int8_t *p, int n)
{
    int i;
    for (i = 0; i < n; ++i) {
        g_sum = (g_sum ^ (uint8_t)p[i]) * 16777619u;
    }
}

static void hash_u32(uint32_t v)
{
    int i;
    for (i = 0; i < 4; ++i) {
        g_sum = (g_sum ^ ((v >> (8 * i)) & 0xFFu)) * 16777619u;
    }
}

static uint32_t g_rng = 2463534242u;

static uint32_t rnd(void)
{
    uint32_t x = g_rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g_rng = x;
    return x;
}

/* Uniform integer in [lo, hi]. */
static int rint_in(int lo, int hi)
{
    return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

/* int8 data: mode 0 uniform, mode 1 half extremes (-128, 127, -127). */
static int8_t r8(int mode)
{
    if (mode == 1) {
        const uint32_t k = rnd() % 8u;
        if (k < 2u) {
            return -128;
        }
        if (k < 4u) {
            return 127;
        }
        if (k == 4u) {
            return -127;
        }
    }
    return (int8_t)rint_in(-128, 127);
}

static int8_t *alloc8(int n)
{
    return (int8_t *)xmalloc((size_t)n);
}

static int32_t *alloc32(int n)
{
    return (int32_t *)xmalloc((size_t)n * sizeof(int32_t));
}

/* ------------------------------------------------------------------------
 * Reference arithmetic (independent formulation)
 * ------------------------------------------------------------------------ */

/* floor(a / 2^e) without >> of a negative number (0 <= e <= 62). */
static long long ref_floor_div_pow2(long long a, int e)
{
    const long long d = (long long)1 << e;
    if (a >= 0) {
        return a / d;
    }
    return -((-a + d - 1) / d);
}

/* Single rounding: floor((acc * mult + 2^(shift-1)) / 2^shift), in long long
 * (|acc * mult| < 2^62, + 2^61: no overflow). */
static long long ref_requant(int32_t acc, int32_t mult, int shift)
{
    return ref_floor_div_pow2((long long)acc * mult +
                              ((long long)1 << (shift - 1)), shift);
}

static int ref_out(int32_t acc, int32_t m, int shift, int zp, int lo, int hi)
{
    long long v = ref_requant(acc, m, shift) + zp;
    if (v < lo) {
        v = lo;
    }
    if (v > hi) {
        v = hi;
    }
    return (int)v;
}

/* A 64-bit sum wrapped to int32 (two's complement, modulo 2^32). */
static int32_t wrap32(long long v)
{
    uint32_t u = (uint32_t)((unsigned long long)v & 0xFFFFFFFFu);
    if (u <= 0x7FFFFFFFu) {
        return (int32_t)u;
    }
    return (int32_t)(u - 0x80000000u) - 0x7FFFFFFF - 1;
}

/* ------------------------------------------------------------------------
 * Requantisation vs the wide formula
 * ------------------------------------------------------------------------ */

static void test_requant(void)
{
    static const int32_t edge_acc[] = { 0, 1, -1, 2, -2, 3, -3, 127, -128,
                                        65535, -65536, 1 << 20, -(1 << 20),
                                        INT32_MAX, INT32_MIN, INT32_MIN + 1,
                                        INT32_MAX - 1, (1 << 29) + 1,
                                        -(1 << 29) - 1, 1 << 30, -(1 << 30) };
    static const int32_t edge_m[] = { INT32_MAX, 0, 1, 2, 1 << 30,
                                      (1 << 30) + 1, (1 << 30) - 1,
                                      1518500250, 2147483646 };
    int i, j, s, bad = 0, bad2 = 0;
    long long at = 0, got = 0, want = 0;

    for (i = 0; i < (int)(sizeof edge_acc / sizeof edge_acc[0]); ++i) {
        for (j = 0; j < (int)(sizeof edge_m / sizeof edge_m[0]); ++j) {
            for (s = 32; s <= 62; ++s) {
                const int zp = (s & 1) ? -128 : 127;
                const int a = sq_requant_s8(edge_acc[i], edge_m[j], s, zp,
                                            -128, 127);
                const int b = ref_out(edge_acc[i], edge_m[j], s, zp, -128,
                                      127);
                /* the raw value too, before zero point and clamp */
                const long long r = ref_requant(edge_acc[i], edge_m[j], s);
                const int c = sq_requant_s8(edge_acc[i], edge_m[j], s, 0,
                                            -128, 127);
                const long long rc = r < -128 ? -128 : (r > 127 ? 127 : r);
                if ((a != b || c != rc) && !bad) {
                    bad = 1;
                    got = a;
                    want = b;
                    at = i * 10000 + j * 100 + s;
                }
            }
        }
    }
    check(!bad, "requant edge values x all shifts", got, want, at);

    /* Random inputs: every shift, output aimed near the int8 range (acc
     * scaled to the shift) and fully random. */
    bad = 0;
    for (i = 0; i < 150000; ++i) {
        const int sh = 32 + i % 31;
        int32_t acc;
        int32_t m;
        int zp, lo, hi, a, b;
        int64_t fast;
        switch (rnd() % 4u) {
        case 0: m = (int32_t)(rnd() >> 1); break;
        case 1: m = (int32_t)(0x40000000u | (rnd() >> 2)); break;
        case 2: {
            const uint32_t e = 1u + rnd() % 31u; /* sequenced: one per line */
            m = (int32_t)(rnd() >> e);
            break;
        }
        default: m = (rnd() & 1u) ? INT32_MAX : 0; break;
        }
        if (i & 1) {
            acc = (int32_t)rnd();
        } else {
            /* |acc * m| ~ 2^(sh + 7): outputs around +-128 */
            const int e = sh + 8 - 31;
            acc = (int32_t)(rnd() >> (32 - (e < 2 ? 2 : (e > 31 ? 31 : e))));
            if (rnd() & 1u) {
                acc = -acc;
            }
        }
        zp = rint_in(-128, 127);
        lo = rint_in(-128, 0);
        hi = rint_in(lo, 127);
        if (rnd() & 1u) {
            lo = -128;
            hi = 127;
        }
        a = sq_requant_s8(acc, m, sh, zp, lo, hi);
        b = ref_out(acc, m, sh, zp, lo, hi);
        if (a != b && !bad) {
            bad = 1;
            got = a;
            want = b;
            at = i;
        }
        /* The kernels' form: high word of acc * m + rnd, >> (sh - 32). */
        fast = sq__rq_rnd_s8(sh);
        a = sq__rq_s8(acc, m, fast, sh - 32, zp, lo, hi);
        if (a != b && !bad2) {
            bad2 = 1;
            got = a;
            want = b;
            at = i;
        }
        g_sum = (g_sum ^ (uint8_t)(int8_t)a) * 16777619u;
    }
    check(!bad, "requant random", got, want, at);
    check(!bad2, "requant random (kernel form)", got, want, at);

    /* Exact ties: acc * mult = (2v + 1) * 2^(shift-1) with mult = 2^b,
     * acc = (2v + 1) * 2^c, b + c = shift - 1 (shift 32 .. 51), and their
     * neighbours acc +- 1; both forms. */
    bad = 0;
    for (i = 0; i < 20000; ++i) {
        const int sh = 32 + i % 20;
        const int c = rint_in(sh - 31, 20);
        const int b = sh - 1 - c;
        const int32_t m = (int32_t)1 << b;
        const int32_t v = rint_in(-200, 200);
        const int32_t acc = (2 * v + 1) * ((int32_t)1 << c) +
                            (int32_t)(i % 3) - 1;
        const int zp = rint_in(-20, 20);
        const int want_v = ref_out(acc, m, sh, zp, -128, 127);
        const int a1 = sq_requant_s8(acc, m, sh, zp, -128, 127);
        const int a2 = sq__rq_s8(acc, m, sq__rq_rnd_s8(sh), sh - 32, zp,
                                 -128, 127);
        if ((a1 != want_v || a2 != want_v) && !bad) {
            bad = 1;
            got = a1 != want_v ? a1 : a2;
            want = want_v;
            at = i;
        }
    }
    check(!bad, "requant ties", got, want, at);
}

/* ------------------------------------------------------------------------
 * Convolution layers
 * ------------------------------------------------------------------------ */

typedef struct {
    int in_h, in_w, cin, cout, k_h, k_w, s_h, s_w, pad_t, pad_l, pad_b,
        pad_r;
    int use1x1;        /* call sq_conv1x1_s8 (k = 1, s = 1, no pad) */
    int data_mode;     /* r8 mode for inputs and weights */
    int rq_mode;       /* 0: calibrated shifts, 1: edge mult / shift mix */
    int act;           /* 0: none, 1: relu, 2: narrow */
    int zp_mode;       /* 0: random, 1: in -128 / out 127, 2: in 127 / -128 */
    int bias_mode;     /* 0: moderate, 1: int32 limits, 2: past (wrap) */
    int in_extra, in_off, out_extra, out_off; /* slices */
} conv_case_t;

typedef struct {
    int out_h, out_w, in_zp, out_zp, act_min, act_max, K, K4;
    int8_t *in;      /* whole input, pixel stride cin */
    int8_t *w;       /* OHWI */
    int8_t *wp;      /* packed */
    int32_t *bias;   /* corrected bias */
    int32_t *mult;
    int8_t *shift;
    int8_t *ref;     /* out_h x out_w x cout */
} conv_data_t;

/* The packed layout, straight from its definition in the header. */
static void pack_weights(const int8_t *w, int cout, int K, int8_t *wp)
{
    const int K4 = (K + 3) / 4 * 4;
    static const int pos[4] = { 0, 4, 2, 6 }; /* k % 4 -> byte of channel 2p */
    int co, k;

    memset(wp, 0, (size_t)((cout + 1) / 2 * K4 * 2));
    for (co = 0; co < cout; ++co) {
        for (k = 0; k < K; ++k) {
            const int p = co / 2, g = k / 4;
            wp[(p * (K4 / 4) + g) * 8 + pos[k % 4] + co % 2] = w[co * K + k];
        }
    }
}

static void conv_setup(const conv_case_t *C, conv_data_t *D)
{
    const int K = C->k_h * C->k_w * C->cin;
    const int K4 = (K + 3) / 4 * 4;
    int i, co;

    D->K = K;
    D->K4 = K4;
    D->out_h = (C->in_h + C->pad_t + C->pad_b - C->k_h) / C->s_h + 1;
    D->out_w = (C->in_w + C->pad_l + C->pad_r - C->k_w) / C->s_w + 1;
    D->in_zp = rint_in(-128, 127);
    D->out_zp = rint_in(-128, 127);
    if (C->zp_mode == 1) {
        D->in_zp = -128;
        D->out_zp = 127;
    } else if (C->zp_mode == 2) {
        D->in_zp = 127;
        D->out_zp = -128;
    }
    D->act_min = -128;
    D->act_max = 127;
    if (C->act == 1) {
        D->act_min = D->out_zp;
    } else if (C->act == 2) {
        D->act_min = rint_in(-100, -1);
        D->act_max = rint_in(0, 100);
    }
    D->in = alloc8(C->in_h * C->in_w * C->cin);
    for (i = 0; i < C->in_h * C->in_w * C->cin; ++i) {
        D->in[i] = r8(C->data_mode);
    }
    D->w = alloc8(C->cout * K);
    for (i = 0; i < C->cout * K; ++i) {
        D->w[i] = r8(C->data_mode);
        if (D->w[i] == -128 && (rnd() & 1u)) {
            D->w[i] = -127; /* symmetric weights are usually in [-127, 127] */
        }
    }
    D->wp = alloc8((C->cout + 1) / 2 * K4 * 2);
    pack_weights(D->w, C->cout, K, D->wp);
    D->bias = alloc32(C->cout);
    D->mult = alloc32(C->cout);
    D->shift = alloc8(C->cout);
    for (co = 0; co < C->cout; ++co) {
        const long long lim = (long long)K * 128 * 128;
        int lg = 0;
        if (C->bias_mode == 1) {
            /* acc stays inside int32 whatever the data, up to the limit */
            D->bias[co] = (int32_t)((rnd() & 1u) ? 2147483647LL - lim
                                                  : -2147483648LL + lim);
        } else if (C->bias_mode == 2) {
            /* acc may leave int32: defined modulo 2^32 */
            D->bias[co] = (int32_t)((rnd() & 1u) ? 2147483647 - rint_in(0, 999)
                                                 : -2147483647 +
                                                   rint_in(0, 999));
        } else {
            D->bias[co] = rint_in(-(1 << 20), 1 << 20);
        }
        /* mult in [2^30, 2^31): |acc| ~ 2^(13 + lg), output ~ 2^6 */
        while ((1 << (2 * lg)) < K) {
            ++lg;
        }
        D->mult[co] = (int32_t)(0x40000000u | (rnd() >> 2));
        D->shift[co] = 31 + 13 + lg - 6 + rint_in(-1, 1);
        if (C->bias_mode != 0) {
            /* odd out_zp: every shift <= 55, the DSP epilogue's range
             * (its zero point folded into the rounding constant) at its
             * limit with accumulators at the int32 limits */
            D->shift[co] = (D->out_zp & 1) ? 55 - rint_in(0, 17)
                                           : 62 - rint_in(0, 24);
        }
        if (C->rq_mode == 1) {
            switch (rnd() % 6u) {
            case 0: D->mult[co] = INT32_MAX; break;
            case 1: D->mult[co] = 0; break;
            case 2: D->shift[co] = 32; D->mult[co] = (int32_t)(rnd() >> 15);
                    break;
            case 3: D->shift[co] = 62; break;
            case 4: D->shift[co] = 32; D->mult[co] = INT32_MAX; break;
            default: break;
            }
        }
    }
    /* Reference: direct formula, padded taps read in_zp. */
    D->ref = alloc8(D->out_h * D->out_w * C->cout);
    {
        int r, x, ky, kx, ci;
        for (r = 0; r < D->out_h; ++r) {
            for (x = 0; x < D->out_w; ++x) {
                for (co = 0; co < C->cout; ++co) {
                    long long acc = D->bias[co];
                    for (ky = 0; ky < C->k_h; ++ky) {
                        for (kx = 0; kx < C->k_w; ++kx) {
                            const int y = r * C->s_h - C->pad_t + ky;
                            const int xx = x * C->s_w - C->pad_l + kx;
                            const int pad = y < 0 || y >= C->in_h ||
                                            xx < 0 || xx >= C->in_w;
                            for (ci = 0; ci < C->cin; ++ci) {
                                const int q = pad ? D->in_zp
                                    : D->in[(y * C->in_w + xx) * C->cin + ci];
                                acc += (long long)D->w[co * K +
                                                       (ky * C->k_w + kx) *
                                                       C->cin + ci] * q;
                            }
                        }
                    }
                    D->ref[(r * D->out_w + x) * C->cout + co] = (int8_t)
                        ref_out(wrap32(acc), D->mult[co], (int)D->shift[co],
                                D->out_zp, D->act_min, D->act_max);
                }
            }
        }
    }
}

/* Copies input row y (whole map, stride cin) into a buffer row. */
static void put_row(const conv_case_t *C, const conv_data_t *D, int8_t *buf,
                    int stride, int slot, int y)
{
    int x;
    for (x = 0; x < C->in_w; ++x) {
        memcpy(buf + (slot * C->in_w + x) * stride,
               D->in + (y * C->in_w + x) * C->cin, (size_t)C->cin);
    }
}

/* Scratch of exactly SQ_S8_SCRATCH_BYTES, filled with garbage. */
static int16_t *alloc_scratch(const conv_case_t *C)
{
    const int n = SQ_S8_SCRATCH_BYTES(C->k_h, C->k_w, C->cin);
    int16_t *s = (int16_t *)xmalloc((size_t)n);
    memset(s, 0xA5, (size_t)n);
    return s;
}

static void run_conv(const conv_case_t *C, const conv_data_t *D,
                     const int8_t *in, int in_stride, int in_ring,
                     int8_t *out, int out_stride, int out_ring, int row0,
                     int row1, int16_t *scratch)
{
    if (C->use1x1) {
        t_conv1x1_s8(in, C->in_w, in_stride, in_ring, C->cin, out,
                      out_stride, out_ring, C->cout, D->wp, D->bias,
                      D->mult, D->shift, D->out_zp, D->act_min, D->act_max,
                      row0, row1, scratch);
    } else {
        t_conv_s8(in, C->in_h, C->in_w, in_stride, in_ring, C->cin,
                   D->in_zp, out, D->out_w, out_stride, out_ring, C->cout,
                   D->wp, D->bias, D->mult, D->shift, D->out_zp, D->act_min,
                   D->act_max, C->k_h, C->k_w, C->s_h, C->s_w, C->pad_t,
                   C->pad_l, row0, row1, scratch);
    }
}

/* Compares channels [off, off + c) of got (pixel stride gs) with ref
 * (stride c) over npx pixels; other channels must hold `sentinel`. */
static void compare_map(const char *what, const int8_t *got, int gs, int off,
                        const int8_t *ref, int npx, int c, int sentinel)
{
    int p, ch, bad = 0, slice_bad = 0;
    long long a = 0, b = 0, at = 0;

    for (p = 0; p < npx; ++p) {
        for (ch = 0; ch < gs; ++ch) {
            const int v = got[p * gs + ch];
            if (ch >= off && ch < off + c) {
                if (v != ref[p * c + ch - off] && !bad) {
                    bad = 1;
                    a = v;
                    b = ref[p * c + ch - off];
                    at = p * c + ch - off;
                }
            } else if (v != sentinel) {
                slice_bad = 1;
            }
        }
    }
    check(!bad, what, a, b, at);
    check(!slice_bad, what, 1, 0, -1);
    if (slice_bad) {
        out_str("  (a channel outside the slice was written)\n");
    }
}

static void describe(const conv_case_t *C, char *name)
{
    /* "conv HxW cin>cout kKHxKW sSHxSW pT,L,B,R" without stdio */
    char *p = name;
    const int v[12] = { C->in_h, C->in_w, C->cin, C->cout, C->k_h, C->k_w,
                        C->s_h, C->s_w, C->pad_t, C->pad_l, C->pad_b,
                        C->pad_r };
    static const char sep[12] = { 'x', ' ', '>', ' ', 'x', ' ', 'x', ' ',
                                  ',', ',', ',', ' ' };
    int i;
    const char *head = C->use1x1 ? "conv1x1 " : "conv ";
    while (*head) {
        *p++ = *head++;
    }
    for (i = 0; i < 12; ++i) {
        int n = v[i], d = 1;
        while (d * 10 <= n) {
            d *= 10;
        }
        for (; d > 0; d /= 10) {
            *p++ = (char)('0' + n / d % 10);
        }
        *p++ = sep[i];
    }
    *p = '\0';
}

static void test_conv(const conv_case_t *C)
{
    const size_t mark = pool_mark();
    conv_data_t D;
    const int in_stride = C->cin + C->in_extra;
    const int out_stride = C->cout + C->out_extra;
    int8_t *inb, *outb;
    int16_t *scratch = alloc_scratch(C);
    int y, r, split, pass;
    char name[128];
    size_t nlen;

    conv_setup(C, &D);
    describe(C, name);
    nlen = strlen(name);

    /* 1. Whole maps, slices, two row ranges. */
    inb = alloc8(C->in_h * C->in_w * in_stride);
    memset(inb, 0x5a, (size_t)(C->in_h * C->in_w * in_stride));
    for (y = 0; y < C->in_h; ++y) {
        put_row(C, &D, inb + C->in_off, in_stride, y, y);
    }
    outb = alloc8(D.out_h * D.out_w * out_stride);
    memset(outb, 0x77, (size_t)(D.out_h * D.out_w * out_stride));
    split = D.out_h / 2 + (D.out_h > 2 ? 1 : 0);
    run_conv(C, &D, inb + C->in_off, in_stride, C->in_h, outb + C->out_off,
             out_stride, D.out_h, 0, split, scratch);
    run_conv(C, &D, inb + C->in_off, in_stride, C->in_h, outb + C->out_off,
             out_stride, D.out_h, split, D.out_h, scratch);
    memcpy(name + nlen, "whole", 6);
    compare_map(name, outb, out_stride, C->out_off, D.ref, D.out_h * D.out_w,
                C->cout, 0x77);
    {
        int p;
        for (p = 0; p < D.out_h * D.out_w; ++p) {
            hash_bytes(outb + p * out_stride + C->out_off, C->cout);
        }
    }

    /* 2. Streaming: input ring of k_h rows, output ring of 2 rows, one
     * output row per call (1x1: rings of 2 and 3 rows, 2 rows per call,
     * then again one row per call: odd widths give single-pixel tails). */
    for (pass = 0; pass < (C->use1x1 ? 2 : 1); ++pass) {
        const int in_ring = C->use1x1 ? 2 : C->k_h;
        const int out_ring = C->use1x1 ? 3 : 2;
        const int step = (C->use1x1 && pass == 0) ? 2 : 1;
        int8_t *ring_in = alloc8(in_ring * C->in_w * in_stride);
        int8_t *ring_out = alloc8(out_ring * D.out_w * out_stride);
        int8_t *full = alloc8(D.out_h * D.out_w * out_stride);
        memset(ring_in, 0x5a, (size_t)(in_ring * C->in_w * in_stride));
        memset(ring_out, 0x77, (size_t)(out_ring * D.out_w * out_stride));
        for (r = 0; r < D.out_h; r += step) {
            const int r1 = (r + step < D.out_h) ? r + step : D.out_h;
            int rr;
            if (C->use1x1) {
                for (y = r; y < r1; ++y) {
                    put_row(C, &D, ring_in + C->in_off, in_stride,
                            y % in_ring, y);
                }
            } else {
                for (y = r * C->s_h - C->pad_t;
                     y < r * C->s_h - C->pad_t + C->k_h; ++y) {
                    if (y >= 0 && y < C->in_h) {
                        put_row(C, &D, ring_in + C->in_off, in_stride,
                                y % in_ring, y);
                    }
                }
            }
            run_conv(C, &D, ring_in + C->in_off, in_stride, in_ring,
                     ring_out + C->out_off, out_stride, out_ring, r, r1,
                     scratch);
            for (rr = r; rr < r1; ++rr) {
                memcpy(full + rr * D.out_w * out_stride,
                       ring_out + (rr % out_ring) * D.out_w * out_stride,
                       (size_t)(D.out_w * out_stride));
            }
        }
        memcpy(name + nlen, "ring", 5);
        compare_map(name, full, out_stride, C->out_off, D.ref,
                    D.out_h * D.out_w, C->cout, 0x77);
    }

    pool_release(mark);
}

/* conv1x1 + requant + GAP fused vs reference sums and sq_gap_s8. */
static void test_gap(int h, int w, int cin, int cout, int in_ring,
                     int rows_per_call, int rq_mode)
{
    const size_t mark = pool_mark();
    conv_case_t C;
    conv_data_t D;
    int32_t *acc = alloc32(cout);
    int32_t *acc2 = alloc32(cout);
    int8_t *ring = alloc8(in_ring * w * (cin + 3));
    int8_t *avg = alloc8(cout);
    int16_t *scratch;
    int y, co, p, bad = 0;
    long long a = 0, b = 0, at = 0;

    memset(&C, 0, sizeof C);
    C.in_h = h; C.in_w = w; C.cin = cin; C.cout = cout;
    C.k_h = C.k_w = C.s_h = C.s_w = 1;
    C.use1x1 = 1; C.act = 1; C.rq_mode = rq_mode;
    C.zp_mode = rq_mode ? 1 : 0;
    conv_setup(&C, &D);
    scratch = alloc_scratch(&C);
    memset(acc, 0, (size_t)cout * sizeof(int32_t));
    for (y = 0; y < h; y += rows_per_call) {
        const int y1 = (y + rows_per_call < h) ? y + rows_per_call : h;
        int yy;
        for (yy = y; yy < y1; ++yy) {
            put_row(&C, &D, ring + 1, cin + 3, yy % in_ring, yy);
        }
        t_conv1x1_gap_s8(ring + 1, w, cin + 3, in_ring, cin, acc, cout,
                          D.wp, D.bias, D.mult, D.shift, D.out_zp,
                          D.act_min, D.act_max, y, y1, scratch);
    }
    memset(acc2, 0, (size_t)cout * sizeof(int32_t));
    t_gap_s8(D.ref, w, cout, h, cout, acc2, 0, h);
    for (co = 0; co < cout; ++co) {
        long long s = 0;
        for (p = 0; p < h * w; ++p) {
            s += D.ref[p * cout + co];
        }
        if ((acc[co] != s || acc2[co] != s) && !bad) {
            bad = 1; a = acc[co]; b = s; at = co;
        }
    }
    check(!bad, "conv1x1_gap_s8 / gap_s8 sums", a, b, at);
    sq_gap_finish_s8(acc, cout, h * w, avg);
    bad = 0;
    for (co = 0; co < cout; ++co) {
        /* round(s / n) half away from zero, via |s|. */
        const long long s = acc2[co];
        const long long n = h * w;
        const long long q = ((s < 0 ? -s : s) * 2 + n) / (2 * n);
        const int8_t want = (int8_t)(s < 0 ? -q : q);
        if (avg[co] != want && !bad) {
            bad = 1; a = avg[co]; b = want; at = co;
        }
    }
    check(!bad, "gap_finish_s8", a, b, at);
    hash_bytes(avg, cout);
    pool_release(mark);
}

/* gap_finish rounding on hand-picked sums, negative ones included. */
static void test_gap_finish(void)
{
    static const int32_t sums[] = { 0, 1, -1, 84, 85, -84, -85, 169, -169,
                                    253, -253, 254, -254, 338, -338,
                                    21463, -21632, 127 * 169, -128 * 169 };
    static const int8_t want[] = { 0, 0, 0, 0, 1, 0, -1, 1, -1,
                                   1, -1, 2, -2, 2, -2,
                                   127, -128, 127, -128 };
    int8_t got[sizeof sums / sizeof sums[0]];
    const int n = (int)(sizeof sums / sizeof sums[0]);
    int i, bad = 0;
    long long a = 0, b = 0, at = 0;

    sq_gap_finish_s8(sums, n, 169, got);
    for (i = 0; i < n; ++i) {
        if (got[i] != want[i] && !bad) {
            bad = 1; a = got[i]; b = want[i]; at = i;
        }
    }
    check(!bad, "gap_finish_s8 rounding (count 169)", a, b, at);
    {
        static const int32_t s2[] = { 3, -3, 5, -5, 1, -1 };
        static const int8_t w2[] = { 2, -2, 3, -3, 1, -1 }; /* / 2 */
        int8_t g2[6];
        sq_gap_finish_s8(s2, 6, 2, g2);
        bad = 0;
        for (i = 0; i < 6; ++i) {
            if (g2[i] != w2[i] && !bad) {
                bad = 1; a = g2[i]; b = w2[i]; at = i;
            }
        }
        check(!bad, "gap_finish_s8 ties (count 2)", a, b, at);
    }
}

/* ------------------------------------------------------------------------
 * Quantize / dequantize
 * ------------------------------------------------------------------------ */

/* roundf reference: half away from zero, via truncation (t - trunc(t) is
 * exact in float). */
static float ref_round(float t)
{
    float r;
    if (!(t == t) || t > 1e30f || t < -1e30f) {
        return t;
    }
    if (t >= 8388608.0f || t <= -8388608.0f) {
        return t; /* already an integer */
    }
    r = (float)(long)t;
    if (t - r >= 0.5f) {
        r += 1.0f;
    } else if (r - t >= 0.5f) {
        r -= 1.0f;
    }
    return r;
}

static int ref_quant(float x, float scale, int zp)
{
    float t;
    if (!(x == x)) {
        return zp;
    }
    t = ref_round(x / scale) + (float)zp;
    if (t < -128.0f) {
        return -128;
    }
    if (t > 127.0f) {
        return 127;
    }
    return (int)t;
}

static void test_quantize(void)
{
    const size_t mark = pool_mark();
    /* hand-picked: scale 0.5, zp 3 -> t = round(2x) + 3 */
    const float inf = HUGE_VALF;
    const float nan = inf - inf;
    const float xs[] = { 0.0f, -0.0f, 0.25f, -0.25f, 0.75f, -0.75f, 1.25f,
                         -1.25f, 0.2499999f, -0.2499999f, 62.0f, 62.25f,
                         -65.5f, -65.75f, 1000.0f, -1000.0f, inf, -inf,
                         nan, 3e38f, -3e38f, 1e-40f };
    const int8_t want[] = { 3, 3, 4, 2, 5, 1, 6, 0, 3, 3,
                            127, 127, -128, -128, 127, -128, 127, -128,
                            3, 127, -128, 3 };
    const int n = (int)(sizeof xs / sizeof xs[0]);
    int8_t got[sizeof xs / sizeof xs[0]];
    float back[4];
    const int8_t codes[4] = { -128, 127, 0, 5 };
    const int nr = 3000;
    float *xr = (float *)xmalloc((size_t)nr * sizeof(float));
    int8_t *qr = alloc8(nr);
    float *dr = (float *)xmalloc((size_t)nr * sizeof(float));
    int i, bad = 0;
    long long a = 0, b = 0, at = 0;

    sq_quantize_f32_s8(xs, got, n, 0.5f, 3);
    for (i = 0; i < n; ++i) {
        if (got[i] != want[i] && !bad) {
            bad = 1; a = got[i]; b = want[i]; at = i;
        }
    }
    check(!bad, "quantize_f32_s8 hand-picked", a, b, at);
    hash_bytes(got, n);

    /* zp at the ends: NaN -> zp, ties away from zero */
    {
        const float x2[4] = { nan, -0.5f, 0.5f, 255.0f };
        int8_t g2[4];
        sq_quantize_f32_s8(x2, g2, 4, 1.0f, -128);
        check(g2[0] == -128 && g2[1] == -128 && g2[2] == -127 &&
              g2[3] == 127, "quantize_f32_s8 zp -128", g2[2], -127, 0);
        sq_quantize_f32_s8(x2, g2, 4, 1.0f, 127);
        check(g2[0] == 127 && g2[1] == 126 && g2[2] == 127 &&
              g2[3] == 127, "quantize_f32_s8 zp 127", g2[1], 126, 0);
    }

    /* random values, many exact ties (k / 2 * scale) */
    for (i = 0; i < nr; ++i) {
        const float scale = 0.0390625f; /* 2^-5 + 2^-8: ties stay exact */
        if (i % 3 == 0) {
            xr[i] = (float)rint_in(-600, 600) * 0.5f * scale;
        } else {
            xr[i] = (float)(int32_t)rnd() * (1.0f / 2147483648.0f) * 7.0f;
        }
    }
    sq_quantize_f32_s8(xr, qr, nr, 0.0390625f, -7);
    bad = 0;
    for (i = 0; i < nr; ++i) {
        const int w = ref_quant(xr[i], 0.0390625f, -7);
        if (qr[i] != w && !bad) {
            bad = 1; a = qr[i]; b = w; at = i;
        }
    }
    check(!bad, "quantize_f32_s8 random / ties", a, b, at);
    hash_bytes(qr, nr);

    sq_dequantize_s8_f32(codes, back, 4, 0.25f, 5);
    check(back[0] == -33.25f && back[1] == 30.5f && back[2] == -1.25f &&
          back[3] == 0.0f, "dequantize_s8_f32 values",
          (long long)(back[0] * 4.0f), -133, 0);
    sq_dequantize_s8_f32(qr, dr, nr, 0.0390625f, -7);
    bad = 0;
    for (i = 0; i < nr; ++i) {
        const float w = 0.0390625f * (float)(qr[i] + 7);
        if (dr[i] != w && !bad) {
            bad = 1; a = (long long)(dr[i] * 256.0f);
            b = (long long)(w * 256.0f); at = i;
        }
        {
            uint32_t u;
            memcpy(&u, &dr[i], sizeof u);
            hash_u32(u);
        }
    }
    check(!bad, "dequantize_s8_f32 random", a, b, at);
    pool_release(mark);
}

/* ------------------------------------------------------------------------
 * Pooling and copy
 * ------------------------------------------------------------------------ */

static void test_maxpool(int in_h, int in_w, int c, int k, int s, int pad,
                         int ceil_mode, int stride_extra, int data_mode)
{
    const size_t mark = pool_mark();
    const int span_h = in_h + 2 * pad - k, span_w = in_w + 2 * pad - k;
    int out_h = (ceil_mode ? (span_h + s - 1) / s : span_h / s) + 1;
    int out_w = (ceil_mode ? (span_w + s - 1) / s : span_w / s) + 1;
    const int st = c + stride_extra;
    int8_t *in, *ref, *out, *ring, *acc;
    int y, x, ch, r, p;

    if (ceil_mode && (out_h - 1) * s >= in_h + pad) {
        --out_h;
    }
    if (ceil_mode && (out_w - 1) * s >= in_w + pad) {
        --out_w;
    }
    in = alloc8(in_h * in_w * st);
    for (p = 0; p < in_h * in_w * st; ++p) {
        in[p] = r8(data_mode);
    }
    ref = alloc8(out_h * out_w * c);
    for (r = 0; r < out_h; ++r) {
        for (x = 0; x < out_w; ++x) {
            for (ch = 0; ch < c; ++ch) {
                int m = -1000, yy, xx;
                for (yy = r * s - pad; yy < r * s - pad + k; ++yy) {
                    for (xx = x * s - pad; xx < x * s - pad + k; ++xx) {
                        if (yy >= 0 && yy < in_h && xx >= 0 && xx < in_w &&
                            in[(yy * in_w + xx) * st + ch] > m) {
                            m = in[(yy * in_w + xx) * st + ch];
                        }
                    }
                }
                ref[(r * out_w + x) * c + ch] = (int8_t)m;
            }
        }
    }
    /* whole map, output slice at offset 1 of stride c + 2 */
    out = alloc8(out_h * out_w * (c + 2));
    memset(out, 0x77, (size_t)(out_h * out_w * (c + 2)));
    t_maxpool_s8(in, in_h, in_w, st, in_h, c, out + 1, out_w, c + 2, out_h,
                  k, k, s, s, pad, pad, 0, 1);
    t_maxpool_s8(in, in_h, in_w, st, in_h, c, out + 1, out_w, c + 2, out_h,
                  k, k, s, s, pad, pad, 1, out_h);
    compare_map("maxpool_s8 whole", out, c + 2, 1, ref, out_h * out_w, c,
                0x77);
    for (p = 0; p < out_h * out_w; ++p) {
        hash_bytes(out + p * (c + 2) + 1, c);
    }
    /* ring of k input rows, one output row per call */
    ring = alloc8(k * in_w * st);
    memset(out, 0x77, (size_t)(out_h * out_w * (c + 2)));
    for (r = 0; r < out_h; ++r) {
        for (y = r * s - pad; y < r * s - pad + k; ++y) {
            if (y >= 0 && y < in_h) {
                memcpy(ring + (y % k) * in_w * st, in + y * in_w * st,
                       (size_t)(in_w * st));
            }
        }
        t_maxpool_s8(ring, in_h, in_w, st, k, c, out + 1, out_w, c + 2,
                      out_h, k, k, s, s, pad, pad, r, r + 1);
    }
    compare_map("maxpool_s8 ring", out, c + 2, 1, ref, out_h * out_w, c,
                0x77);
    /* fold: every input row into each output row whose window holds it */
    acc = alloc8(out_h * out_w * c);
    for (r = 0; r < out_h; ++r) {
        int first = 1;
        for (y = r * s - pad; y < r * s - pad + k; ++y) {
            if (y >= 0 && y < in_h) {
                t_maxpool_fold_s8(in + y * in_w * st, in_w, st, c,
                                   acc + r * out_w * c, out_w, c, k, s, pad,
                                   first);
                first = 0;
            }
        }
    }
    compare_map("maxpool_fold_s8", acc, c, 0, ref, out_h * out_w, c, 0);
    pool_release(mark);
}

static void test_copy(int h, int w, int c, int in_extra, int out_extra,
                      int out_off)
{
    const size_t mark = pool_mark();
    const int is = c + in_extra, os = c + out_extra;
    int8_t *in = alloc8(h * w * is);
    int8_t *out = alloc8(h * w * os);
    int8_t *ref = alloc8(h * w * c);
    int8_t *ring = alloc8(2 * w * is);
    int p, y;

    for (p = 0; p < h * w * is; ++p) {
        in[p] = r8(1);
    }
    for (p = 0; p < h * w; ++p) {
        memcpy(ref + p * c, in + p * is, (size_t)c);
    }
    memset(out, 0x77, (size_t)(h * w * os));
    for (y = 0; y < h; ++y) {
        memcpy(ring + (y % 2) * w * is, in + y * w * is, (size_t)(w * is));
        t_copy_channels_s8(ring, w, is, 2, c, out + out_off, os, h, y,
                            y + 1);
    }
    compare_map("copy_channels_s8", out, os, out_off, ref, h * w, c, 0x77);
    pool_release(mark);
}

/* sq_add_s8 against the formula with floor division (no >> of negatives). */
static void test_add(int n, int shift)
{
    const size_t mark = pool_mark();
    int8_t *a = alloc8(n);
    int8_t *b = alloc8(n);
    int8_t *out = alloc8(n);
    const int a_zp = rint_in(-128, 127), b_zp = rint_in(-128, 127);
    const int out_zp = rint_in(-128, 127);
    const int32_t a_mult = (int32_t)(rnd() & 0x7fffffffu);
    const int32_t b_mult = (int32_t)(rnd() & 0x7fffffffu);
    const int lo = (shift & 1) ? out_zp : -128;
    int i;

    for (i = 0; i < n; ++i) {
        a[i] = r8(1);
        b[i] = r8(1);
    }
    t_add_s8(a, a_zp, a_mult, b, b_zp, b_mult, out, n, shift, out_zp, lo, 127);
    for (i = 0; i < n; ++i) {
        const long long sum = (long long)(a[i] - a_zp) * a_mult +
                              (long long)(b[i] - b_zp) * b_mult +
                              ((long long)1 << (shift - 1));
        long long v = ref_floor_div_pow2(sum, shift) + out_zp;
        v = v < lo ? lo : (v > 127 ? 127 : v);
        check(out[i] == v, "add_s8", out[i], v, i);
    }
    /* Both operands the same buffer. */
    t_add_s8(a, a_zp, a_mult, a, a_zp, a_mult, out, n, shift, out_zp, -128, 127);
    for (i = 0; i < n; ++i) {
        const long long sum = 2 * (long long)(a[i] - a_zp) * a_mult + ((long long)1 << (shift - 1));
        long long v = ref_floor_div_pow2(sum, shift) + out_zp;
        v = v < -128 ? -128 : (v > 127 ? 127 : v);
        check(out[i] == v, "add_s8 aliased", out[i], v, i);
    }
    hash_bytes(out, n);
    pool_release(mark);
}

/* ------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------ */

static const conv_case_t g_cases[] = {
    /* h   w cin cout kh kw sh sw pt pl pb pr 1x1 dm rq act zp bm ie io oe oo */
    { 9, 11,  3, 64, 3, 3, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 },
    { 8,  8, 16, 64, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 128, 64 },
    { 6,  7, 64, 16, 3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 16, 8 },
    { 5,  6, 48, 10, 3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0, 2, 2, 2, 4, 4, 3, 3 },
    { 8,  8, 64, 5, 7, 7, 1, 1, 3, 3, 3, 3, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0 },
    { 7, 10,  5,  6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 3, 1, 5, 2 },
    { 6,  6,  8,  4, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 },
    { 5,  7, 12,  9, 5, 5, 1, 1, 2, 2, 2, 2, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0 },
    { 9,  8,  7,  3, 3, 2, 2, 1, 1, 0, 1, 1, 0, 1, 1, 2, 0, 0, 1, 0, 2, 1 },
    { 4,  5,  9, 10, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { 5,  7, 64, 16, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 },
    { 4,  5, 13,  7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 3, 0, 9, 4 },
    { 3,  3,  3,  1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 2, 2, 0, 0, 0, 0, 0 },
    { 6,  5, 16, 64, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 48, 16, 64, 64 },
    { 3,  7, 33, 18, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 2, 1, 0, 1, 1 },
    { 3,  5, 512, 9, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0 },
};

/* A random shape; reference work bounded so that QEMU stays quick. */
static void random_case(conv_case_t *c, int idx)
{
    static const int kernels[5] = { 1, 2, 3, 5, 7 };
    static const int cins[12] = { 1, 2, 3, 4, 5, 7, 8, 13, 16, 17, 32, 35 };
    long long work;

    do {
        memset(c, 0, sizeof *c);
        c->use1x1 = (idx % 4 == 3);
        c->cin = (rnd() & 1u) ? cins[rnd() % 12u] : rint_in(1, 40);
        c->cout = (rnd() % 4u == 0) ? rint_in(1, 3) : rint_in(1, 24);
        if (c->use1x1) {
            c->k_h = c->k_w = c->s_h = c->s_w = 1;
        } else {
            c->k_h = kernels[rnd() % 5u];
            c->k_w = (rnd() % 3u == 0) ? kernels[rnd() % 5u] : c->k_h;
            c->s_h = rint_in(1, 2);
            c->s_w = (rnd() % 3u == 0) ? rint_in(1, 2) : c->s_h;
            c->pad_t = rint_in(0, c->k_h > 3 ? 3 : c->k_h - 1);
            c->pad_b = rint_in(0, c->k_h > 3 ? 3 : c->k_h - 1);
            c->pad_l = rint_in(0, c->k_w > 3 ? 3 : c->k_w - 1);
            c->pad_r = rint_in(0, c->k_w > 3 ? 3 : c->k_w - 1);
        }
        c->in_h = rint_in(1, 11);
        c->in_w = rint_in(1, 11);
        if (c->in_h + c->pad_t + c->pad_b < c->k_h ||
            c->in_w + c->pad_l + c->pad_r < c->k_w) {
            work = -1;
            continue;
        }
        work = (long long)((c->in_h + c->pad_t + c->pad_b - c->k_h) /
                           c->s_h + 1) *
               ((c->in_w + c->pad_l + c->pad_r - c->k_w) / c->s_w + 1) *
               c->cout * c->k_h * c->k_w * c->cin;
    } while (work < 0 || work > 150000);
    c->data_mode = (int)(rnd() % 2u);
    c->rq_mode = (int)(rnd() % 2u);
    c->act = (int)(rnd() % 3u);
    c->zp_mode = (int)(rnd() % 3u);
    c->bias_mode = (rnd() % 5u == 0) ? (int)(1u + rnd() % 2u) : 0;
    if (rnd() & 1u) {
        c->in_extra = rint_in(1, 9);
        c->in_off = rint_in(0, c->in_extra);
        c->out_extra = rint_in(1, 9);
        c->out_off = rint_in(0, c->out_extra);
    }
}

/* The mean of a global average (sq_gap_mean_s8) at every shift 1 .. 62:
 * below 32 the factor is 0.5 or more (an average over 1 or 2 pixels). Sums
 * as the generator allows them: |acc - sum_zp| * mult * 2^-shift < 2^30. */
static void test_gap_mean(void)
{
    enum { C = 16 };
    int32_t acc[C];
    int8_t out[C];
    sq_gap_params_s8 p;
    int s, ch, bad = 0;
    long long at = 0, got = 0, want = 0;

    for (s = 1; s <= 62; ++s) {
        const int32_t mult = (int32_t)(0x40000000u | (rnd() & 0x3FFFFFFFu));
        /* largest |acc| with |acc| * mult < 2^(shift + 30), below 2^30 */
        const long long lim = (s >= 31) ? (1LL << 30)
                                        : ((1LL << (s + 30)) / mult);
        p.c = C;
        p.sum_zp = (int32_t)(rnd() % 255u) - 127;
        p.mult = mult;
        p.shift = s;
        p.out_zp = (int)(rnd() % 256u) - 128;
        for (ch = 0; ch < C; ++ch) {
            const long long span = lim < 1000 ? lim : 1000;
            long long d = (ch < 4) ? ((ch & 1) ? lim - 1 : -(lim - 1))
                                   : (long long)(rnd() % (2 * span + 1)) - span;
            acc[ch] = (int32_t)(d + p.sum_zp);
        }
        sq_gap_mean_s8(&p, acc, out);
        for (ch = 0; ch < C; ++ch) {
            const int r = ref_out(acc[ch] - p.sum_zp, mult, s, p.out_zp,
                                  -128, 127);
            if (out[ch] != r && !bad) {
                bad = 1;
                got = out[ch];
                want = r;
                at = s * 100 + ch;
            }
        }
    }
    check(!bad, "gap mean x all shifts 1..62", got, want, at);
}

int main(void)
{
    int i, rep;

    test_requant();
    test_gap_mean();
    for (rep = 0; rep < 2; ++rep) {
        for (i = 0; i < (int)(sizeof g_cases / sizeof g_cases[0]); ++i) {
            conv_case_t c = g_cases[i];
            if (rep == 1) {
                c.data_mode = 1 - c.data_mode;
                c.rq_mode = 1 - c.rq_mode;
                c.zp_mode = (c.zp_mode + 1) % 3;
                c.act = (c.act + 1) % 3;
            }
            test_conv(&c);
        }
    }
    /* Word-wise staged im2col (cin % 4 != 0) and single-pixel tails: cin
     * 1 .. 8, 3x3 with padding at both ends (stride 1 and 2), input
     * slices (in_stride != cin: tap-by-tap staging), widths 1, 3 and 13
     * (odd rows), 1x1 too; cout 1 .. 9 (4-channel blocks, pairs, odd). */
    for (i = 1; i <= 8; ++i) {
        static const int widths[3] = { 13, 3, 1 };
        int j;
        for (j = 0; j < 3; ++j) {
            conv_case_t c;
            memset(&c, 0, sizeof c);
            c.in_h = 4 + j;
            c.in_w = widths[j];
            c.cin = i;
            c.cout = 1 + (i + 3 * j) % 9;
            c.k_h = c.k_w = 3;
            c.s_h = c.s_w = 1 + (i + j) % 2;
            c.pad_t = c.pad_l = c.pad_b = c.pad_r = 1;
            c.data_mode = (i + j) & 1;
            c.rq_mode = (i >> 1) & 1;
            c.act = (i + j) % 3;
            c.zp_mode = (i + 2 * j) % 3;
            if (j == 1) {
                c.in_extra = 3;
                c.in_off = 1 + i % 3;
                c.out_extra = 2;
                c.out_off = 1;
            }
            test_conv(&c);
            if (i == 3 && j == 0) {
                /* conv1-like: no padding, stride 2, cout 64 */
                c.pad_t = c.pad_l = c.pad_b = c.pad_r = 0;
                c.s_h = c.s_w = 2;
                c.in_h = 9;
                c.in_w = 27;
                c.cout = 64;
                c.rq_mode = 0;
                test_conv(&c);
            }
            c.k_h = c.k_w = c.s_h = c.s_w = 1;
            c.pad_t = c.pad_l = c.pad_b = c.pad_r = 0;
            c.use1x1 = 1;
            c.cout = 4 + (i + j) % 6;
            test_conv(&c);
        }
    }
    for (i = 0; i < 400; ++i) {
        conv_case_t c;
        random_case(&c, i);
        test_conv(&c);
    }
    test_gap(13, 13, 64, 10, 1, 1, 0);
    test_gap(13, 13, 64, 10, 13, 13, 1);
    test_gap(5, 7, 13, 7, 3, 2, 0);
    test_gap(3, 3, 35, 1, 2, 1, 1);
    test_gap(2, 5, 512, 21, 2, 1, 0);
    test_gap_finish();
    test_quantize();
    test_maxpool(13, 13, 16, 3, 2, 0, 1, 0, 0);
    test_maxpool(12, 11, 5, 3, 2, 0, 1, 3, 1);
    test_maxpool(8, 9, 7, 3, 2, 1, 0, 1, 1);
    test_maxpool(7, 7, 4, 2, 2, 0, 0, 0, 0);
    /* fold: 4-lane DSP words plus a scalar remainder, padding both ends */
    test_maxpool(11, 13, 13, 3, 2, 1, 1, 2, 1);
    test_maxpool(9, 23, 64, 3, 2, 0, 1, 0, 0);
    test_copy(4, 5, 16, 0, 16, 8);
    test_copy(3, 7, 5, 3, 4, 2);
    for (i = 1; i <= 62; i += 3) {
        test_add(37 + i, i);
    }
    test_add(1000, 31);
    test_add(5, 62);
    /* flatten NHWC -> NCHW (ONNX order), codes unchanged */
    {
        enum { FH = 3, FW = 5, FC = 7 };
        int8_t fin[FH * FW * FC], fout[FH * FW * FC];
        int y, x, ch, bad = 0, at = -1;
        for (i = 0; i < FH * FW * FC; ++i) {
            fin[i] = (int8_t)((i * 37 + 11) % 256 - 128);
        }
        sq_flatten_nchw_s8(fin, FH, FW, FC, fout);
        for (y = 0; y < FH; ++y) {
            for (x = 0; x < FW; ++x) {
                for (ch = 0; ch < FC; ++ch) {
                    if (fout[ch * FH * FW + y * FW + x] != fin[(y * FW + x) * FC + ch] && !bad) {
                        bad = 1;
                        at = ch * FH * FW + y * FW + x;
                    }
                }
            }
        }
        check(!bad, "flatten_nchw_s8", bad ? fout[at] : 0, 0, at);
    }

    out_str(SQ_S8_DSP ? "path: DSP (SXTB16/SMLAD)\n" : "path: portable\n");
    out_str("checksum ");
    out_hex(g_sum);
    out_str("\n");
    out_int(g_passed);
    out_str(" passed, ");
    out_int(g_failed);
    out_str(" failed\n");
    sys_exit(g_failed == 0 ? 0 : 1);
    return 0;
}

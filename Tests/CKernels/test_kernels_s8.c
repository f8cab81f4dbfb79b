/*
 * test_kernels_s8.c - standalone unit test of Templates/sq_kernels_s8.h.
 *
 * Every kernel is compared byte for byte (0 differing bytes allowed) with a
 * naive integer reference written here: unpacked OHWI weights, explicit
 * zero-point subtraction (no bias folding: padded taps contribute 0), and
 * an independently written requantisation (|x| rounding instead of
 * gemmlowp's mask/threshold form). Data are seeded pseudo-random with
 * extreme values (-128/127, zero points at the ends, multipliers up to
 * 2^31 - 1, shifts -10..+2), odd channel counts, padding, row rings,
 * row-range splits and channel slices (other channels must stay intact).
 *
 * Host build: malloc'd exact-size buffers (ASan catches overruns), stdio.
 * -DSQ_TEST_BAREMETAL: Cortex-M under QEMU (mps2-an386), a bump allocator,
 * semihosting output and exit; run_s8.sh supplies the linker script.
 *
 * Prints a checksum of every kernel output (identical for the portable and
 * the DSP build) and, last, "N passed, M failed"; non-zero exit on failure.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sq_kernels_s8.h"

/* ------------------------------------------------------------------------
 * Platform: output, allocation, exit
 * ------------------------------------------------------------------------ */

#if defined(SQ_TEST_BAREMETAL)

static int32_t sh_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

static void out_str(const char *s)
{
    (void)sh_call(0x04u, s); /* SYS_WRITE0 */
}

static void sys_exit(int status)
{
    uint32_t block[2];
    block[0] = 0x20026u; /* ADP_Stopped_ApplicationExit */
    block[1] = (uint32_t)status;
    for (;;) {
        (void)sh_call(0x20u, block); /* SYS_EXIT_EXTENDED */
    }
}

static unsigned char g_pool[2u << 20] SQ_ALIGN(16);
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
 * (buffers stay exact-size mallocs for AddressSanitizer). */
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

static int32_t ref_srdhm(int32_t a, int32_t b)
{
    long long ab;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (long long)a * b;
    /* Round half away from zero of ab / 2^31. */
    if (ab >= 0) {
        return (int32_t)((ab + (1LL << 30)) >> 31);
    }
    return (int32_t)(-((-ab + (1LL << 30) - 1) >> 31));
}

static int32_t ref_rdbpot(int32_t x, int e)
{
    long long ax, r;
    if (e == 0) {
        return x;
    }
    ax = (x < 0) ? -(long long)x : (long long)x;
    r = (ax + (1LL << (e - 1))) >> e;   /* ties away from zero */
    return (int32_t)((x < 0) ? -r : r);
}

static int ref_out(long long acc, int32_t m, int shift, int zp, int lo,
                   int hi)
{
    uint32_t ux = (uint32_t)(int32_t)acc;
    int32_t v;
    if (shift > 0) {
        ux <<= shift;
    }
    v = ref_rdbpot(ref_srdhm((int32_t)ux, m), shift > 0 ? 0 : -shift);
    v += zp;
    if (v < lo) {
        v = lo;
    }
    if (v > hi) {
        v = hi;
    }
    return v;
}

/* ------------------------------------------------------------------------
 * Requantisation helpers vs reference
 * ------------------------------------------------------------------------ */

static void test_requant(void)
{
    static const int32_t edge_acc[] = { 0, 1, -1, 2, -2, 3, -3, 127, -128,
                                        65535, -65536, 1 << 20, -(1 << 20),
                                        INT32_MAX, INT32_MIN, INT32_MIN + 1,
                                        (1 << 29) + 1, -(1 << 29) - 1 };
    static const int32_t edge_m[] = { INT32_MAX, INT32_MIN, 1 << 30,
                                      (1 << 30) + 1, 1, 0, -1, 1518500250,
                                      2147483646 };
    int i, j, s, bad = 0;
    long long at = 0, got = 0, want = 0;

    for (i = 0; i < (int)(sizeof edge_acc / sizeof edge_acc[0]); ++i) {
        for (j = 0; j < (int)(sizeof edge_m / sizeof edge_m[0]); ++j) {
            for (s = -31; s <= 0; ++s) {
                const int32_t a = sq_requant_s32(edge_acc[i], edge_m[j], s);
                const int32_t b = ref_rdbpot(ref_srdhm(edge_acc[i],
                                                       edge_m[j]), -s);
                if (a != b && !bad) {
                    bad = 1;
                    got = a;
                    want = b;
                    at = i * 1000 + j * 100 - s;
                }
            }
        }
    }
    check(!bad, "requant edge values", got, want, at);

    bad = 0;
    for (i = 0; i < 200000; ++i) {
        const int32_t acc = (i & 1) ? (int32_t)rnd()
                                    : (int32_t)rint_in(-(1 << 22), 1 << 22);
        const int32_t m = (i % 3 == 0) ? INT32_MAX
                                       : (int32_t)(0x40000000u |
                                                   (rnd() >> 2));
        const int sh = rint_in(-10, 2);
        const int zp = rint_in(-128, 127);
        const int a = sq_requant_out_s8(acc, m, sh, zp, -128, 127);
        const int b = ref_out(acc, m, sh, zp, -128, 127);
        if (a != b && !bad) {
            bad = 1;
            got = a;
            want = b;
            at = i;
        }
    }
    check(!bad, "requant random", got, want, at);
}

/* ------------------------------------------------------------------------
 * Convolution layers
 * ------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    int in_h, in_w, cin, cout, k_h, k_w, s_h, s_w, pad_t, pad_l, pad_b,
        pad_r;
    int use1x1;        /* call sq_conv1x1_s8 (k = 1, s = 1, no pad) */
    int data_mode;     /* r8 mode for inputs and weights */
    int shift_mode;    /* 0: calibrated, 1: random -10..+2 */
    int act;           /* 0: none, 1: relu, 2: narrow */
    int zp_mode;       /* 0: random, 1: in -128 / out 127, 2: in 127 */
    int in_extra, in_off, out_extra, out_off; /* slices */
} conv_case_t;

typedef struct {
    int out_h, out_w, in_zp, out_zp, act_min, act_max;
    int8_t *in;      /* whole input, pixel stride cin */
    int8_t *w;       /* OHWI */
    int8_t *wp;      /* packed */
    int32_t *bias;   /* raw bias */
    int32_t *biasc;  /* corrected bias' */
    int32_t *mult;
    int32_t *shift;
    int8_t *ref;     /* out_h x out_w x cout */
} conv_data_t;

static void conv_setup(const conv_case_t *C, conv_data_t *D)
{
    const int taps = C->k_h * C->k_w;
    const int G = (C->cin + 3) / 4;
    const int nw = C->cout * taps * C->cin;
    const int np = ((C->cout + 3) / 4) * taps * G * 16;
    int i, co, t, ci;

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
    D->w = alloc8(nw);
    for (i = 0; i < nw; ++i) {
        D->w[i] = r8(C->data_mode);
        if (D->w[i] == -128 && (rnd() & 1u)) {
            D->w[i] = -127; /* symmetric weights are usually in [-127, 127] */
        }
    }
    D->wp = alloc8(np);
    memset(D->wp, 0, (size_t)np);
    for (co = 0; co < C->cout; ++co) {
        for (t = 0; t < taps; ++t) {
            for (ci = 0; ci < C->cin; ++ci) {
                D->wp[(((co / 4) * taps + t) * G + ci / 4) * 16 +
                      (co % 4) * 4 + ci % 4] =
                    D->w[(co * taps + t) * C->cin + ci];
            }
        }
    }
    D->bias = alloc32(C->cout);
    D->biasc = alloc32(C->cout);
    D->mult = alloc32(C->cout);
    D->shift = alloc32(C->cout);
    for (co = 0; co < C->cout; ++co) {
        long long sw = 0;
        for (i = 0; i < taps * C->cin; ++i) {
            sw += D->w[co * taps * C->cin + i];
        }
        D->bias[co] = rint_in(-(1 << 20), 1 << 20);
        D->biasc[co] = (int32_t)(D->bias[co] - D->in_zp * sw);
        switch (rnd() % 4u) {
        case 0: D->mult[co] = INT32_MAX; break;
        case 1: D->mult[co] = 1 << 30; break;
        default: D->mult[co] = (int32_t)(0x40000000u | (rnd() >> 2)); break;
        }
        if (C->shift_mode == 1) {
            D->shift[co] = rint_in(-10, 2);
        } else {
            /* |acc| ~ 2^(13 + log2(sqrt(N))): aim the output at ~2^6. */
            int n = taps * C->cin, lg = 0;
            while ((1 << (2 * lg)) < n) {
                ++lg;
            }
            D->shift[co] = -(7 + lg) + rint_in(-1, 1);
            if (D->shift[co] < -10) {
                D->shift[co] = -10;
            }
        }
    }
    /* Reference: explicit zero point, padded taps contribute nothing. */
    D->ref = alloc8(D->out_h * D->out_w * C->cout);
    {
        int r, x, ky, kx;
        for (r = 0; r < D->out_h; ++r) {
            for (x = 0; x < D->out_w; ++x) {
                for (co = 0; co < C->cout; ++co) {
                    long long acc = D->bias[co];
                    for (ky = 0; ky < C->k_h; ++ky) {
                        for (kx = 0; kx < C->k_w; ++kx) {
                            const int y = r * C->s_h - C->pad_t + ky;
                            const int xx = x * C->s_w - C->pad_l + kx;
                            if (y < 0 || y >= C->in_h || xx < 0 ||
                                xx >= C->in_w) {
                                continue;
                            }
                            for (ci = 0; ci < C->cin; ++ci) {
                                acc += (long long)D->w[((co * C->k_h + ky) *
                                                        C->k_w + kx) *
                                                       C->cin + ci] *
                                       (D->in[(y * C->in_w + xx) * C->cin +
                                              ci] - D->in_zp);
                            }
                        }
                    }
                    D->ref[(r * D->out_w + x) * C->cout + co] = (int8_t)
                        ref_out(acc, D->mult[co], (int)D->shift[co],
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

static void run_conv(const conv_case_t *C, const conv_data_t *D,
                     const int8_t *in, int in_stride, int in_ring,
                     int8_t *out, int out_stride, int out_ring, int row0,
                     int row1)
{
    if (C->use1x1) {
        sq_conv1x1_s8(in, C->in_w, in_stride, in_ring, C->cin, out,
                      out_stride, out_ring, C->cout, D->wp, D->biasc,
                      D->mult, D->shift, D->out_zp, D->act_min, D->act_max,
                      row0, row1);
    } else {
        sq_conv_s8(in, C->in_h, C->in_w, in_stride, in_ring, C->cin,
                   D->in_zp, out, D->out_w, out_stride, out_ring, C->cout,
                   D->wp, D->biasc, D->mult, D->shift, D->out_zp, D->act_min,
                   D->act_max, C->k_h, C->k_w, C->s_h, C->s_w, C->pad_t,
                   C->pad_l, row0, row1);
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

static void test_conv(const conv_case_t *C)
{
    const size_t mark = pool_mark();
    conv_data_t D;
    const int in_stride = C->cin + C->in_extra;
    const int out_stride = C->cout + C->out_extra;
    int8_t *inb, *outb;
    int y, r, split;
    char name[96];
    const size_t nlen = strlen(C->name);

    conv_setup(C, &D);
    memcpy(name, C->name, nlen + 1);

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
             out_stride, D.out_h, 0, split);
    run_conv(C, &D, inb + C->in_off, in_stride, C->in_h, outb + C->out_off,
             out_stride, D.out_h, split, D.out_h);
    memcpy(name + nlen, " whole", 7);
    compare_map(name, outb, out_stride, C->out_off, D.ref, D.out_h * D.out_w,
                C->cout, 0x77);
    {
        int p;
        for (p = 0; p < D.out_h * D.out_w; ++p) {
            hash_bytes(outb + p * out_stride + C->out_off, C->cout);
        }
    }

    /* 2. Streaming: input ring of k_h rows, output ring of 2 rows, one
     * output row per call (1x1: rings of 2 and 3 rows, 2 rows per call). */
    {
        const int in_ring = C->use1x1 ? 2 : C->k_h;
        const int out_ring = C->use1x1 ? 3 : 2;
        const int step = C->use1x1 ? 2 : 1;
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
                     ring_out + C->out_off, out_stride, out_ring, r, r1);
            for (rr = r; rr < r1; ++rr) {
                memcpy(full + rr * D.out_w * out_stride,
                       ring_out + (rr % out_ring) * D.out_w * out_stride,
                       (size_t)(D.out_w * out_stride));
            }
        }
        memcpy(name + nlen, " ring", 6);
        compare_map(name, full, out_stride, C->out_off, D.ref,
                    D.out_h * D.out_w, C->cout, 0x77);
    }

    pool_release(mark);
}

/* conv1x1 + requant + GAP fused vs reference sums and sq_gap_s8. */
static void test_gap(int h, int w, int cin, int cout, int in_ring)
{
    const size_t mark = pool_mark();
    conv_case_t C;
    conv_data_t D;
    int32_t *acc = alloc32(cout);
    int32_t *acc2 = alloc32(cout);
    int8_t *ring = alloc8(in_ring * w * cin);
    int8_t *avg = alloc8(cout);
    int8_t *avg_ref = alloc8(cout);
    int y, co, p, bad = 0;
    long long a = 0, b = 0, at = 0;

    memset(&C, 0, sizeof C);
    C.name = "gap";
    C.in_h = h; C.in_w = w; C.cin = cin; C.cout = cout;
    C.k_h = C.k_w = C.s_h = C.s_w = 1;
    C.use1x1 = 1; C.act = 1; C.data_mode = 0; C.shift_mode = 0;
    conv_setup(&C, &D);
    memset(acc, 0, (size_t)cout * sizeof(int32_t));
    for (y = 0; y < h; ++y) {
        put_row(&C, &D, ring, cin, y % in_ring, y);
        sq_conv1x1_relu_gap_s8(ring, w, cin, in_ring, cin, acc, cout, D.wp,
                               D.biasc, D.mult, D.shift, D.out_zp,
                               D.act_min, D.act_max, y, y + 1);
    }
    memset(acc2, 0, (size_t)cout * sizeof(int32_t));
    sq_gap_s8(D.ref, w, cout, h, cout, acc2, 0, h);
    for (co = 0; co < cout; ++co) {
        long long s = 0;
        for (p = 0; p < h * w; ++p) {
            s += D.ref[p * cout + co];
        }
        if ((acc[co] != s || acc2[co] != s) && !bad) {
            bad = 1; a = acc[co]; b = s; at = co;
        }
    }
    check(!bad, "conv1x1_relu_gap_s8 / gap_s8 sums", a, b, at);
    sq_gap_finish_s8(acc, cout, h * w, avg);
    bad = 0;
    for (co = 0; co < cout; ++co) {
        /* round(s / n) half away from zero, via |s|. */
        const long long s = acc2[co];
        const long long n = h * w;
        const long long q = ((s < 0 ? -s : s) * 2 + n) / (2 * n);
        avg_ref[co] = (int8_t)(s < 0 ? -q : q);
        if (avg[co] != avg_ref[co] && !bad) {
            bad = 1; a = avg[co]; b = avg_ref[co]; at = co;
        }
    }
    check(!bad, "gap_finish_s8", a, b, at);
    hash_bytes(avg, cout);
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
    sq_maxpool_s8(in, in_h, in_w, st, in_h, c, out + 1, out_w, c + 2, out_h,
                  k, k, s, s, pad, pad, 0, 1);
    sq_maxpool_s8(in, in_h, in_w, st, in_h, c, out + 1, out_w, c + 2, out_h,
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
        sq_maxpool_s8(ring, in_h, in_w, st, k, c, out + 1, out_w, c + 2,
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
                sq_maxpool_fold_s8(in + y * in_w * st, in_w, st, c,
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
        sq_copy_channels_s8(ring, w, is, 2, c, out + out_off, os, h, y,
                            y + 1);
    }
    compare_map("copy_channels_s8", out, os, out_off, ref, h * w, c, 0x77);
    pool_release(mark);
}

/* ------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------ */

static const conv_case_t g_cases[] = {
    /* name              h   w  cin cout kh kw sh sw pt pl pb pr 1x1 dm sm act zp ie io oe oo */
    { "conv 3x3 s2 cin3",  9, 11,  3,  7, 3, 3, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 },
    { "conv 3x3 p1 c16",   8,  8, 16, 13, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0 },
    { "conv 3x3 p1 ext",   7, 10,  5,  6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 3, 1, 5, 2 },
    { "conv 3x3 p1 zp127", 6,  9,  8,  5, 3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0, 2, 2, 4, 4, 3, 3 },
    { "conv 2x2 s2",       6,  6,  8,  4, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 },
    { "conv 5x5 p2",       5,  7, 12,  9, 5, 5, 1, 1, 2, 2, 2, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0 },
    { "conv 3x2 s(2,1)",   9,  8,  7,  3, 3, 2, 2, 1, 1, 0, 1, 1, 0, 1, 1, 2, 0, 1, 0, 2, 1 },
    { "conv 3x3 p1 c64",   5,  6, 64, 16, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 16, 8 },
    { "conv k1 via conv",  4,  5,  9, 10, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "conv1x1 c64>16",    5,  7, 64, 16, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 },
    { "conv1x1 c13>7",     4,  5, 13,  7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 3, 0, 9, 4 },
    { "conv1x1 c3>1",      3,  3,  3,  1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 2, 2, 0, 0, 0, 0 },
    { "conv1x1 slices",    6,  5, 16, 64, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 48, 16, 64, 64 },
    { "conv1x1 odd w",     3,  7, 33, 18, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1 },
};

int main(void)
{
    int i, rep;

    test_requant();
    for (rep = 0; rep < 3; ++rep) {
        for (i = 0; i < (int)(sizeof g_cases / sizeof g_cases[0]); ++i) {
            conv_case_t c = g_cases[i];
            if (rep == 1) {
                c.data_mode = 1 - c.data_mode;
                c.shift_mode = 1 - c.shift_mode;
            } else if (rep == 2) {
                c.zp_mode = (c.zp_mode + 1) % 3;
                c.act = (c.act + 1) % 3;
            }
            test_conv(&c);
        }
    }
    test_gap(13, 13, 64, 10, 1);
    test_gap(5, 7, 13, 7, 3);
    test_maxpool(13, 13, 16, 3, 2, 0, 1, 0, 0);
    test_maxpool(12, 11, 5, 3, 2, 0, 1, 3, 1);
    test_maxpool(8, 9, 7, 3, 2, 1, 0, 1, 1);
    test_maxpool(7, 7, 4, 2, 2, 0, 0, 0, 0);
    test_copy(4, 5, 16, 0, 16, 8);
    test_copy(3, 7, 5, 3, 4, 2);

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

#if defined(SQ_TEST_BAREMETAL)
/* ------------------------------------------------------------------------
 * Minimal Cortex-M startup (vector table at 0, everything in SSRAM1; QEMU
 * loads the ELF segments, .bss is zeroed here)
 * ------------------------------------------------------------------------ */
extern uint32_t sq_t_stack_top[];
extern uint32_t sq_t_bss_start[];
extern uint32_t sq_t_bss_end[];

void sq_t_reset(void);
void sq_t_fault(void);

void sq_t_reset(void)
{
    uint32_t *p;
    /* CPACR: full access to CP10/CP11 (FPU) before any FP instruction. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    for (p = sq_t_bss_start; p < sq_t_bss_end; ++p) {
        *p = 0;
    }
    (void)main();
    sys_exit(3);
}

void sq_t_fault(void)
{
    out_str("FAULT\n");
    sys_exit(4);
}

typedef void (*sq_t_vec_t)(void);

__attribute__((section(".vectors"), used))
const sq_t_vec_t sq_t_vectors[16] = {
    (sq_t_vec_t)(uintptr_t)sq_t_stack_top, sq_t_reset, sq_t_fault,
    sq_t_fault, sq_t_fault, sq_t_fault, sq_t_fault, sq_t_fault, sq_t_fault,
    sq_t_fault, sq_t_fault, sq_t_fault, sq_t_fault, sq_t_fault, sq_t_fault,
    sq_t_fault
};
#endif

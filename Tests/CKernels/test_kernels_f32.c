/*
 * test_kernels_f32.c - standalone unit test of Templates/sq_kernels_f32.h.
 *
 * Every kernel is checked against a naive textbook reference written here
 * (unpacked OHWI weights [cout][kh][kw][cin], whole maps, double
 * accumulation) on seeded pseudo-random data, with
 *
 *   max |kernel - reference| <= 1e-4 * max(1, max |reference|).
 *
 * Row-range splits and row rings are compared bit for bit with the kernel's
 * own whole-map result. Buffers are heap-allocated at their exact size so
 * that AddressSanitizer catches any access outside them; ring slots that a
 * kernel must not read are filled with NaN.
 *
 * The last line of output is "N passed, M failed"; the exit status is
 * non-zero when anything failed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sq_kernels_f32.h"
#include "test_params.h"

/* ------------------------------------------------------------------------
 * Test bookkeeping
 * ------------------------------------------------------------------------ */

static int g_passed = 0;
static int g_failed = 0;

static void check(int ok, const char *what, const char *detail)
{
    if (ok) {
        ++g_passed;
    } else {
        ++g_failed;
        printf("FAIL %s%s%s\n", what, detail[0] ? ": " : "", detail);
    }
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL) {
        printf("out of memory\n");
        exit(2);
    }
    return p;
}

static float *falloc(int n)
{
    return (float *)xmalloc((size_t)n * sizeof(float));
}

static void fill(float *p, int n, float v)
{
    int i;
    for (i = 0; i < n; ++i) {
        p[i] = v;
    }
}

/* ------------------------------------------------------------------------
 * Seeded pseudo-random numbers (xorshift32)
 * ------------------------------------------------------------------------ */

static uint32_t g_rng = 2463534242u;

static uint32_t xorshift32(void)
{
    uint32_t x = g_rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g_rng = x;
    return x;
}

/* Uniform in [-1, 1). */
static float frand(void)
{
    return (float)(xorshift32() >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

static void fill_random(float *p, int n, float scale)
{
    int i;
    for (i = 0; i < n; ++i) {
        p[i] = frand() * scale;
    }
}

/* ------------------------------------------------------------------------
 * Comparisons
 * ------------------------------------------------------------------------ */

/* got and ref hold h*w pixels; compares channels [0, c) of got (pixel
 * stride gs, starting at got) with ref (pixel stride c). */
static void compare_close(const char *what, const float *got, int gs,
                          const float *ref, int npx, int c)
{
    double maxref = 0.0, maxerr = 0.0, tol;
    int p, ch, bad = 0;
    char detail[160];

    for (p = 0; p < npx * c; ++p) {
        const double r = fabs((double)ref[p]);
        maxref = (r > maxref) ? r : maxref;
    }
    tol = 1e-4 * ((maxref > 1.0) ? maxref : 1.0);
    for (p = 0; p < npx; ++p) {
        for (ch = 0; ch < c; ++ch) {
            const double g = (double)got[p * gs + ch];
            const double r = (double)ref[p * c + ch];
            const double e = fabs(g - r);
            if (!(e <= tol)) { /* also catches NaN */
                bad = 1;
            }
            if (e > maxerr || e != e) {
                maxerr = e;
            }
        }
    }
    snprintf(detail, sizeof detail, "max abs err %.3g, tol %.3g", maxerr,
             tol);
    check(!bad, what, bad ? detail : "");
}

/* Bit-exact comparison of n floats. */
static void compare_exact(const char *what, const float *a, const float *b,
                          int n)
{
    int i, first = -1;
    char detail[160] = "";

    for (i = 0; i < n; ++i) {
        if (memcmp(&a[i], &b[i], sizeof(float)) != 0) {
            first = i;
            break;
        }
    }
    if (first >= 0) {
        snprintf(detail, sizeof detail, "first difference at %d: %.9g vs %.9g",
                 first, (double)a[first], (double)b[first]);
    }
    check(first < 0, what, detail);
}

static const float SENTINEL = -12345.5f;

/* Checks that channels outside [lo, lo + c) of every pixel (stride s) still
 * hold SENTINEL. */
static void check_sentinel(const char *what, const float *buf, int npx,
                           int s, int lo, int c)
{
    int p, ch, bad = 0;

    for (p = 0; p < npx; ++p) {
        for (ch = 0; ch < s; ++ch) {
            if ((ch < lo || ch >= lo + c) && buf[p * s + ch] != SENTINEL) {
                bad = 1;
            }
        }
    }
    check(!bad, what, bad ? "a channel outside the slice was written" : "");
}

/* ------------------------------------------------------------------------
 * Layers under test
 * ------------------------------------------------------------------------ */

enum { OP_CONV, OP_CONV1X1, OP_MAXPOOL, OP_AVGPOOL, OP_COPY };

typedef struct {
    const char *name;
    int op;
    int in_h, in_w, cin, cout;           /* pools / copy: cout = cin */
    int kh, kw, sh, sw, pt, pl, pb, pr;
    int relu, has_bias, ceil_mode, count_include_pad;
    /* derived */
    int out_h, out_w;
    float *w_ohwi, *w_packed, *bias;
} layer_t;

static int pool_out_size(int in, int k, int s, int pad_lo, int pad_hi,
                         int ceil_mode)
{
    const int span = in + pad_lo + pad_hi - k;
    int out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    /* PyTorch: the last window must start inside the input or left pad. */
    if (ceil_mode && (out - 1) * s >= in + pad_lo) {
        --out;
    }
    return out;
}

/* Packs OHWI weights into [ceil(cout/4)][kh][kw][cin][4], tail zeroed. */
static float *pack_weights(const float *w, int cout, int kh, int kw, int cin)
{
    const int nb = (cout + 3) / 4;
    const int n = nb * kh * kw * cin * 4;
    float *p = falloc(n);
    int co, ky, kx, ci;

    fill(p, n, 0.0f);
    for (co = 0; co < cout; ++co) {
        for (ky = 0; ky < kh; ++ky) {
            for (kx = 0; kx < kw; ++kx) {
                for (ci = 0; ci < cin; ++ci) {
                    p[((((co / 4) * kh + ky) * kw + kx) * cin + ci) * 4 +
                      co % 4] = w[((co * kh + ky) * kw + kx) * cin + ci];
                }
            }
        }
    }
    return p;
}

static void layer_setup(layer_t *L)
{
    if (L->op == OP_CONV || L->op == OP_CONV1X1) {
        const int nw = L->cout * L->kh * L->kw * L->cin;
        L->out_h = (L->in_h + L->pt + L->pb - L->kh) / L->sh + 1;
        L->out_w = (L->in_w + L->pl + L->pr - L->kw) / L->sw + 1;
        L->w_ohwi = falloc(nw);
        fill_random(L->w_ohwi, nw,
                    1.0f / sqrtf((float)(L->kh * L->kw * L->cin)));
        L->w_packed = pack_weights(L->w_ohwi, L->cout, L->kh, L->kw, L->cin);
        if (L->has_bias) {
            L->bias = falloc(L->cout);
            fill_random(L->bias, L->cout, 0.5f);
        } else {
            L->bias = NULL;
        }
    } else if (L->op == OP_COPY) {
        L->cout = L->cin;
        L->out_h = L->in_h;
        L->out_w = L->in_w;
        L->kh = L->kw = L->sh = L->sw = 1;
    } else {
        L->cout = L->cin;
        L->out_h = pool_out_size(L->in_h, L->kh, L->sh, L->pt, L->pb,
                                 L->ceil_mode);
        L->out_w = pool_out_size(L->in_w, L->kw, L->sw, L->pl, L->pr,
                                 L->ceil_mode);
        L->w_ohwi = L->w_packed = L->bias = NULL;
    }
}

static void layer_free(layer_t *L)
{
    free(L->w_ohwi);
    free(L->w_packed);
    free(L->bias);
}

/* Runs the kernel under test for output rows [row0, row1). */
static void run_layer(const layer_t *L, const float *in, int in_stride,
                      int in_ring, float *out, int out_stride, int out_ring,
                      int row0, int row1)
{
    switch (L->op) {
    case OP_CONV:
        t_conv_f32(in, L->in_h, L->in_w, in_stride, in_ring, L->cin, out,
                    L->out_w, out_stride, out_ring, L->cout, L->w_packed,
                    L->bias, L->kh, L->kw, L->sh, L->sw, L->pt, L->pl,
                    L->relu, row0, row1);
        break;
    case OP_CONV1X1:
        t_conv1x1_f32(in, L->in_w, in_stride, in_ring, L->cin, out,
                       out_stride, out_ring, L->cout, L->w_packed, L->bias,
                       L->relu, row0, row1);
        break;
    case OP_MAXPOOL:
        t_maxpool_f32(in, L->in_h, L->in_w, in_stride, in_ring, L->cin, out,
                       L->out_w, out_stride, out_ring, L->kh, L->kw, L->sh,
                       L->sw, L->pt, L->pl, row0, row1);
        break;
    case OP_AVGPOOL:
        t_avgpool_f32(in, L->in_h, L->in_w, in_stride, in_ring, L->cin, out,
                       L->out_w, out_stride, out_ring, L->kh, L->kw, L->sh,
                       L->sw, L->pt, L->pl, L->pb, L->pr,
                       L->count_include_pad, row0, row1);
        break;
    default:
        t_copy_channels_f32(in, L->in_w, in_stride, in_ring, L->cin, out,
                             out_stride, out_ring, row0, row1);
        break;
    }
}

/* ------------------------------------------------------------------------
 * Reference implementations (whole maps, contiguous, double accumulation)
 * ------------------------------------------------------------------------ */

static void ref_conv(const layer_t *L, const float *in, float *out)
{
    int oy, ox, co, ky, kx, ci;

    for (oy = 0; oy < L->out_h; ++oy) {
        for (ox = 0; ox < L->out_w; ++ox) {
            for (co = 0; co < L->cout; ++co) {
                double s = L->bias ? (double)L->bias[co] : 0.0;
                for (ky = 0; ky < L->kh; ++ky) {
                    const int iy = oy * L->sh - L->pt + ky;
                    if (iy < 0 || iy >= L->in_h) {
                        continue;
                    }
                    for (kx = 0; kx < L->kw; ++kx) {
                        const int ix = ox * L->sw - L->pl + kx;
                        if (ix < 0 || ix >= L->in_w) {
                            continue;
                        }
                        for (ci = 0; ci < L->cin; ++ci) {
                            s += (double)L->w_ohwi[((co * L->kh + ky) * L->kw +
                                                    kx) * L->cin + ci] *
                                 (double)in[(iy * L->in_w + ix) * L->cin + ci];
                        }
                    }
                }
                if (L->relu && s < 0.0) {
                    s = 0.0;
                }
                out[(oy * L->out_w + ox) * L->cout + co] = (float)s;
            }
        }
    }
}

static void ref_pool(const layer_t *L, const float *in, float *out)
{
    int oy, ox, ch, dy, dx;

    for (oy = 0; oy < L->out_h; ++oy) {
        for (ox = 0; ox < L->out_w; ++ox) {
            for (ch = 0; ch < L->cin; ++ch) {
                double mx = 0.0, sum = 0.0;
                int n_real = 0, n_pad = 0;
                for (dy = 0; dy < L->kh; ++dy) {
                    for (dx = 0; dx < L->kw; ++dx) {
                        const int y = oy * L->sh - L->pt + dy;
                        const int x = ox * L->sw - L->pl + dx;
                        if (y >= -L->pt && y < L->in_h + L->pb &&
                            x >= -L->pl && x < L->in_w + L->pr) {
                            ++n_pad;
                        }
                        if (y >= 0 && y < L->in_h && x >= 0 && x < L->in_w) {
                            const double v =
                                (double)in[(y * L->in_w + x) * L->cin + ch];
                            mx = (n_real == 0 || v > mx) ? v : mx;
                            sum += v;
                            ++n_real;
                        }
                    }
                }
                if (L->op == OP_MAXPOOL) {
                    out[(oy * L->out_w + ox) * L->cin + ch] = (float)mx;
                } else {
                    const int div = L->count_include_pad ? n_pad : n_real;
                    out[(oy * L->out_w + ox) * L->cin + ch] =
                        (n_real == 0 || div == 0) ? 0.0f : (float)(sum / div);
                }
            }
        }
    }
}

static void ref_layer(const layer_t *L, const float *in, float *out)
{
    if (L->op == OP_CONV || L->op == OP_CONV1X1) {
        ref_conv(L, in, out);
    } else if (L->op == OP_COPY) {
        memcpy(out, in, sizeof(float) * (size_t)(L->in_h * L->in_w * L->cin));
    } else {
        ref_pool(L, in, out);
    }
}

/* ------------------------------------------------------------------------
 * Drivers
 * ------------------------------------------------------------------------ */

/* Whole map, optionally reading a channel slice [in_lo, in_lo + cin) of a
 * wider input and writing a channel slice [out_lo, out_lo + cout) of a
 * wider output whose other channels must keep the sentinel. */
static void test_whole_slice(const layer_t *L, const float *src,
                             const float *ref, int in_lo, int in_hi,
                             int out_lo, int out_hi)
{
    const int in_stride = in_lo + L->cin + in_hi;
    const int out_stride = out_lo + L->cout + out_hi;
    const int in_px = L->in_h * L->in_w;
    const int out_px = L->out_h * L->out_w;
    float *in = falloc(in_px * in_stride);
    float *out = falloc(out_px * out_stride);
    char what[200];
    int p;

    fill_random(in, in_px * in_stride, 100.0f); /* garbage around slice */
    for (p = 0; p < in_px; ++p) {
        memcpy(in + p * in_stride + in_lo, src + p * L->cin,
               sizeof(float) * (size_t)L->cin);
    }
    fill(out, out_px * out_stride, SENTINEL);
    run_layer(L, in + in_lo, in_stride, L->in_h, out + out_lo, out_stride,
              L->out_h, 0, L->out_h);
    snprintf(what, sizeof what, "%s: channel slices (in +%d/%d, out +%d/%d)",
             L->name, in_lo, in_stride, out_lo, out_stride);
    compare_close(what, out + out_lo, out_stride, ref, out_px, L->cout);
    snprintf(what, sizeof what, "%s: channels outside the output slice",
             L->name);
    check_sentinel(what, out, out_px, out_stride, out_lo, L->cout);
    free(in);
    free(out);
}

/* Whole map computed by several calls over row ranges of varying length,
 * compared exactly with the single-call result. */
static void test_row_split(const layer_t *L, const float *src,
                           const float *base)
{
    const int n = L->out_h * L->out_w * L->cout;
    float *out = falloc(n);
    char what[200];
    int r0 = 0, len = 1;

    fill(out, n, SENTINEL);
    while (r0 < L->out_h) {
        const int r1 = SQ_MIN(r0 + len, L->out_h);
        run_layer(L, src, L->cin, L->in_h, out, L->cout, L->out_h, r0, r1);
        r0 = r1;
        len = len % 3 + 1;
    }
    snprintf(what, sizeof what, "%s: row ranges 1,2,3,... == whole map",
             L->name);
    compare_exact(what, out, base, n);
    free(out);
}

/* Streams the layer through rings: `chunk` output rows per call, an input
 * ring of in_ring rows holding only the rows the call needs (the others
 * are NaN), an output ring of out_ring rows. Compared exactly with the
 * whole-map result. */
static void test_stream(const layer_t *L, const float *src, const float *base,
                        int chunk, int in_ring, int out_ring)
{
    const int in_row = L->in_w * L->cin;
    const int out_row = L->out_w * L->cout;
    float *ring_in = falloc(in_ring * in_row);
    float *ring_out = falloc(out_ring * out_row);
    float *out = falloc(L->out_h * out_row);
    char what[200];
    int r0, y, r;

    fill(out, L->out_h * out_row, SENTINEL);
    for (r0 = 0; r0 < L->out_h; r0 += chunk) {
        const int r1 = SQ_MIN(r0 + chunk, L->out_h);
        const int y0 = SQ_MAX(0, r0 * L->sh - L->pt);
        const int y1 = SQ_MIN(L->in_h, (r1 - 1) * L->sh - L->pt + L->kh);
        if (y1 - y0 > in_ring || r1 - r0 > out_ring) {
            printf("test bug: ring too small in %s\n", L->name);
            exit(2);
        }
        fill(ring_in, in_ring * in_row, NAN);
        for (y = y0; y < y1; ++y) {
            memcpy(ring_in + (y % in_ring) * in_row, src + y * in_row,
                   sizeof(float) * (size_t)in_row);
        }
        fill(ring_out, out_ring * out_row, NAN);
        run_layer(L, ring_in, L->cin, in_ring, ring_out, L->cout, out_ring,
                  r0, r1);
        for (r = r0; r < r1; ++r) {
            memcpy(out + r * out_row, ring_out + (r % out_ring) * out_row,
                   sizeof(float) * (size_t)out_row);
        }
    }
    snprintf(what, sizeof what,
             "%s: stream %d row(s)/call, in ring %d, out ring %d == whole",
             L->name, chunk, in_ring, out_ring);
    compare_exact(what, out, base, L->out_h * out_row);
    free(ring_in);
    free(ring_out);
    free(out);
}

/* All checks for one layer. */
static void test_layer(layer_t *L)
{
    const int in_n = L->in_h * L->in_w * L->cin;
    float *src, *ref, *base;
    int out_n;
    char what[200];

    layer_setup(L);
    out_n = L->out_h * L->out_w * L->cout;
    src = falloc(in_n);
    ref = falloc(out_n);
    base = falloc(out_n);
    fill_random(src, in_n, 1.0f);
    ref_layer(L, src, ref);

    /* Contiguous whole map against the reference. */
    fill(base, out_n, SENTINEL);
    run_layer(L, src, L->cin, L->in_h, base, L->cout, L->out_h, 0, L->out_h);
    snprintf(what, sizeof what, "%s (%dx%dx%d -> %dx%dx%d): whole map",
             L->name, L->in_h, L->in_w, L->cin, L->out_h, L->out_w, L->cout);
    compare_close(what, base, L->cout, ref, L->out_h * L->out_w, L->cout);

    /* Channel slices of wider buffers, sentinel around the output slice. */
    test_whole_slice(L, src, ref, 2, 3, 3, 5);
    test_whole_slice(L, src, ref, 0, 1, 0, 2);

    /* Row ranges and rings. */
    test_row_split(L, src, base);
    test_stream(L, src, base, 1, L->kh, 1);
    test_stream(L, src, base, 1, L->kh, 3);
    test_stream(L, src, base, 2, L->sh + L->kh, 3);
    test_stream(L, src, base, 3, 2 * L->sh + L->kh + 1, 3); /* in wraps */
    test_stream(L, src, base, 3, 2 * L->sh + L->kh, 5);     /* out wraps */

    free(src);
    free(ref);
    free(base);
    layer_free(L);
}

/* ------------------------------------------------------------------------
 * Fire module: squeeze 1x1 -> expand 1x1 and expand 3x3 written straight
 * into their channel slices of one concat buffer.
 * ------------------------------------------------------------------------ */

static void test_fire(int h, int w, int cin, int sq, int e1, int e3)
{
    layer_t S = {"fire.squeeze", OP_CONV1X1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0,
                 0, 1, 1, 0, 0, 0, 0, NULL, NULL, NULL};
    layer_t E1 = S, E3 = S;
    const int cat = e1 + e3;
    float *x, *s, *y, *ref_s, *ref1, *ref3;
    int npx = h * w, p;
    char what[200];

    S.in_h = E1.in_h = E3.in_h = h;
    S.in_w = E1.in_w = E3.in_w = w;
    S.cin = cin;
    S.cout = E1.cin = E3.cin = sq;
    E1.name = "fire.expand1x1";
    E1.cout = e1;
    E3.name = "fire.expand3x3";
    E3.op = OP_CONV;
    E3.cout = e3;
    E3.kh = E3.kw = 3;
    E3.pt = E3.pl = E3.pb = E3.pr = 1;
    layer_setup(&S);
    layer_setup(&E1);
    layer_setup(&E3);

    x = falloc(npx * cin);
    s = falloc(npx * sq);
    y = falloc(npx * cat);
    ref_s = falloc(npx * sq);
    ref1 = falloc(npx * e1);
    ref3 = falloc(npx * e3);
    fill_random(x, npx * cin, 1.0f);
    fill(y, npx * cat, SENTINEL);

    t_conv1x1_f32(x, w, cin, h, cin, s, sq, h, sq, S.w_packed, S.bias, 1, 0,
                   h);
    t_conv1x1_f32(s, w, sq, h, sq, y, cat, h, e1, E1.w_packed, E1.bias, 1, 0,
                   h);
    t_conv_f32(s, h, w, sq, h, sq, y + e1, w, cat, h, e3, E3.w_packed,
                E3.bias, 3, 3, 1, 1, 1, 1, 1, 0, h);

    ref_conv(&S, x, ref_s);
    ref_conv(&E1, s, ref1);
    ref_conv(&E3, s, ref3);
    snprintf(what, sizeof what, "fire %dx%dx%d sq%d e%d+e%d: squeeze", h, w,
             cin, sq, e1, e3);
    compare_close(what, s, sq, ref_s, npx, sq);
    snprintf(what, sizeof what, "fire %dx%dx%d sq%d e%d+e%d: expand1x1 slice",
             h, w, cin, sq, e1, e3);
    compare_close(what, y, cat, ref1, npx, e1);
    snprintf(what, sizeof what, "fire %dx%dx%d sq%d e%d+e%d: expand3x3 slice",
             h, w, cin, sq, e1, e3);
    compare_close(what, y + e1, cat, ref3, npx, e3);
    {
        int bad = 0;
        for (p = 0; p < npx * cat; ++p) {
            bad |= (y[p] == SENTINEL);
        }
        snprintf(what, sizeof what, "fire %dx%dx%d: concat fully written", h,
                 w, cin);
        check(!bad, what, bad ? "a concat element was not written" : "");
    }

    free(x);
    free(s);
    free(y);
    free(ref_s);
    free(ref1);
    free(ref3);
    layer_free(&S);
    layer_free(&E1);
    layer_free(&E3);
}

/* ------------------------------------------------------------------------
 * Global average pooling and the fused conv10 + ReLU + GAP
 * ------------------------------------------------------------------------ */

static void test_gap(int h, int w, int c)
{
    const int npx = h * w;
    float *x = falloc(npx * c);
    float *acc = falloc(c);
    float *acc2 = falloc(c);
    float *ref = falloc(c);
    float *ring = falloc(2 * w * c);
    char what[200];
    int ch, p, y;

    fill_random(x, npx * c, 1.0f);
    for (ch = 0; ch < c; ++ch) {
        double s = 0.0;
        for (p = 0; p < npx; ++p) {
            s += (double)x[p * c + ch];
        }
        ref[ch] = (float)(s / npx);
    }
    fill(acc, c, 0.0f);
    t_gap_f32(x, w, c, h, c, acc, 0, h);
    sq_gap_finish_f32(acc, c, 1.0f / (float)npx);
    snprintf(what, sizeof what, "gap %dx%dx%d", h, w, c);
    compare_close(what, acc, c, ref, 1, c);

    /* Row by row through a ring of 2 rows. */
    fill(acc2, c, 0.0f);
    for (y = 0; y < h; ++y) {
        memcpy(ring + (y % 2) * w * c, x + y * w * c,
               sizeof(float) * (size_t)(w * c));
        t_gap_f32(ring, w, c, 2, c, acc2, y, y + 1);
    }
    sq_gap_finish_f32(acc2, c, 1.0f / (float)npx);
    snprintf(what, sizeof what, "gap %dx%dx%d: ring of 2 rows == whole", h, w,
             c);
    compare_exact(what, acc2, acc, c);

    free(x);
    free(acc);
    free(acc2);
    free(ref);
    free(ring);
}

static void test_conv_relu_gap(int h, int w, int cin, int cout)
{
    layer_t L = {"conv1x1_relu_gap", OP_CONV1X1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0,
                 0, 0, 1, 1, 0, 0, 0, 0, NULL, NULL, NULL};
    const int npx = h * w;
    float *x, *map, *ref_map, *acc_fused, *acc_unfused, *acc_ring, *ref, *ring;
    char what[200];
    int ch, p, y;

    L.in_h = h;
    L.in_w = w;
    L.cin = cin;
    L.cout = cout;
    layer_setup(&L);
    x = falloc(npx * cin);
    map = falloc(npx * cout);
    ref_map = falloc(npx * cout);
    acc_fused = falloc(cout);
    acc_unfused = falloc(cout);
    acc_ring = falloc(cout);
    ref = falloc(cout);
    ring = falloc(w * cin);
    fill_random(x, npx * cin, 1.0f);

    /* Reference: conv -> ReLU -> mean, in double. */
    ref_conv(&L, x, ref_map);
    for (ch = 0; ch < cout; ++ch) {
        double s = 0.0;
        for (p = 0; p < npx; ++p) {
            s += (double)ref_map[p * cout + ch];
        }
        ref[ch] = (float)(s / npx);
    }

    /* Fused, whole map. */
    fill(acc_fused, cout, 0.0f);
    t_conv1x1_relu_gap_f32(x, w, cin, h, cin, acc_fused, cout, L.w_packed,
                            L.bias, 0, h);
    sq_gap_finish_f32(acc_fused, cout, 1.0f / (float)npx);
    snprintf(what, sizeof what, "conv1x1_relu_gap %dx%dx%d -> %d", h, w, cin,
             cout);
    compare_close(what, acc_fused, cout, ref, 1, cout);

    /* Unfused kernels: conv1x1 (ReLU) then gap: identical sums. */
    t_conv1x1_f32(x, w, cin, h, cin, map, cout, h, cout, L.w_packed, L.bias,
                   1, 0, h);
    fill(acc_unfused, cout, 0.0f);
    t_gap_f32(map, w, cout, h, cout, acc_unfused, 0, h);
    sq_gap_finish_f32(acc_unfused, cout, 1.0f / (float)npx);
    snprintf(what, sizeof what,
             "conv1x1_relu_gap %dx%dx%d -> %d == conv1x1 -> relu -> gap", h,
             w, cin, cout);
    compare_exact(what, acc_fused, acc_unfused, cout);

    /* Fused, one row at a time through a 1-row input ring. */
    fill(acc_ring, cout, 0.0f);
    for (y = 0; y < h; ++y) {
        memcpy(ring, x + y * w * cin, sizeof(float) * (size_t)(w * cin));
        t_conv1x1_relu_gap_f32(ring, w, cin, 1, cin, acc_ring, cout,
                                L.w_packed, L.bias, y, y + 1);
    }
    sq_gap_finish_f32(acc_ring, cout, 1.0f / (float)npx);
    snprintf(what, sizeof what,
             "conv1x1_relu_gap %dx%dx%d -> %d: 1-row ring == whole", h, w,
             cin, cout);
    compare_exact(what, acc_ring, acc_fused, cout);

    free(x);
    free(map);
    free(ref_map);
    free(acc_fused);
    free(acc_unfused);
    free(acc_ring);
    free(ref);
    free(ring);
    layer_free(&L);
}

/* ------------------------------------------------------------------------
 * Element-wise kernels
 * ------------------------------------------------------------------------ */

static void test_elementwise(void)
{
    enum { N = 1003 };
    float *a = falloc(N), *b = falloc(N), *o = falloc(N), *r = falloc(N);
    int i, bad;

    /* relu */
    fill_random(a, N, 1.0f);
    memcpy(r, a, sizeof(float) * N);
    sq_relu_f32(a, N);
    bad = 0;
    for (i = 0; i < N; ++i) {
        bad |= (a[i] != (r[i] < 0.0f ? 0.0f : r[i]));
    }
    check(!bad, "relu", bad ? "wrong value" : "");

    /* add, separate output and in place (out aliases a) */
    fill_random(a, N, 1.0f);
    fill_random(b, N, 1.0f);
    sq_add_f32(a, b, o, N);
    bad = 0;
    for (i = 0; i < N; ++i) {
        bad |= (o[i] != a[i] + b[i]);
    }
    check(!bad, "add", bad ? "wrong value" : "");
    sq_add_f32(a, b, a, N);
    compare_exact("add in place (out == a)", a, o, N);

    /* softmax: against double, sums to 1, stable for large inputs */
    {
        double mx, s, t;
        fill_random(a, N, 8.0f);
        a[17] = 1000.0f; /* exp would overflow without the max shift */
        a[18] = 999.0f;
        mx = (double)a[0];
        for (i = 1; i < N; ++i) {
            mx = ((double)a[i] > mx) ? (double)a[i] : mx;
        }
        s = 0.0;
        for (i = 0; i < N; ++i) {
            s += exp((double)a[i] - mx);
        }
        for (i = 0; i < N; ++i) {
            r[i] = (float)(exp((double)a[i] - mx) / s);
        }
        sq_softmax_f32(a, o, N);
        compare_close("softmax", o, 1, r, N, 1);
        t = 0.0;
        for (i = 0; i < N; ++i) {
            t += (double)o[i];
        }
        check(fabs(t - 1.0) < 1e-5, "softmax sums to 1", "");
        sq_softmax_f32(a, a, N);
        compare_exact("softmax in place", a, o, N);
    }
    free(a);
    free(b);
    free(o);
    free(r);

    /* flatten NHWC -> NCHW */
    {
        const int h = 3, w = 5, c = 7;
        float *in = falloc(h * w * c), *out = falloc(h * w * c);
        int y, x, ch;
        fill_random(in, h * w * c, 1.0f);
        sq_flatten_nchw_f32(in, h, w, c, out);
        bad = 0;
        for (y = 0; y < h; ++y) {
            for (x = 0; x < w; ++x) {
                for (ch = 0; ch < c; ++ch) {
                    bad |= (out[ch * h * w + y * w + x] !=
                            in[(y * w + x) * c + ch]);
                }
            }
        }
        check(!bad, "flatten_nchw", bad ? "wrong element" : "");
        free(in);
        free(out);
    }
}

/* ------------------------------------------------------------------------
 * Cases
 * ------------------------------------------------------------------------ */

/* name, op, in_h, in_w, cin, cout, kh, kw, sh, sw, pt, pl, pb, pr,
 * relu, has_bias, ceil_mode, count_include_pad */
#define CONV(name, h, w, ci, co, kh, kw, sh, sw, pt, pl, pb, pr, relu, bias) \
    {name, OP_CONV, h, w, ci, co, kh, kw, sh, sw, pt, pl, pb, pr, relu,     \
     bias, 0, 0, 0, 0, NULL, NULL, NULL}
#define CONV1X1(name, h, w, ci, co, relu, bias)                              \
    {name, OP_CONV1X1, h, w, ci, co, 1, 1, 1, 1, 0, 0, 0, 0, relu, bias, 0, \
     0, 0, 0, NULL, NULL, NULL}
#define POOL(name, op, h, w, c, kh, kw, sh, sw, pt, pl, pb, pr, ceil, incl)  \
    {name, op, h, w, c, 0, kh, kw, sh, sw, pt, pl, pb, pr, 0, 0, ceil, incl, \
     0, 0, NULL, NULL, NULL}

/*
 * Max pooling streamed one input row at a time with sq_maxpool_fold_f32
 * into running output rows must equal sq_maxpool_f32 on the whole map,
 * bit for bit (including which zero wins among -0.0 and +0.0).
 */
static void test_maxpool_fold(int h, int w, int c, int k, int s, int pad,
                              int out_h, int out_w)
{
    float *x = falloc(h * w * c);
    float *ref = falloc(out_h * out_w * c);
    float *got = falloc(out_h * out_w * c);
    char what[200];
    int y, r, i;

    fill_random(x, h * w * c, 1.0f);
    /* Signed zeros and ties: the first maximal element must win. */
    for (i = 0; i < h * w * c; i += 7) {
        x[i] = (i % 2) ? 0.0f : -0.0f;
    }
    t_maxpool_f32(x, h, w, c, h, c, ref, out_w, c, out_h, k, k, s, s, pad,
                   pad, 0, out_h);
    for (y = 0; y < h; ++y) {
        for (r = 0; r < out_h; ++r) {
            const int top = r * s - pad;
            const int first = SQ_MAX(top, 0);
            if (y >= first && y < top + k) {
                t_maxpool_fold_f32(x + y * w * c, w, c, c,
                                    got + r * out_w * c, out_w, c, k, s, pad,
                                    y == first);
            }
        }
    }
    snprintf(what, sizeof what, "maxpool fold %dx%dx%d k%d s%d p%d == whole",
             h, w, c, k, s, pad);
    for (i = 0; i < out_h * out_w * c; ++i) {
        if (memcmp(&got[i], &ref[i], sizeof(float)) != 0) {
            check(0, what, "differs bitwise");
            free(x); free(ref); free(got);
            return;
        }
    }
    check(1, what, "");
    free(x);
    free(ref);
    free(got);
}

int main(void)
{
    layer_t cases[] = {
        /* general convolution */
        CONV("conv 7x7 s2 p0 cin3 (SqueezeNet 1.0 conv1)", 23, 21, 3, 96, 7, 7,
             2, 2, 0, 0, 0, 0, 1, 1),
        CONV("conv 3x3 s2 p0 cin3 (SqueezeNet 1.1 conv1)", 17, 19, 3, 64, 3, 3,
             2, 2, 0, 0, 0, 0, 1, 1),
        CONV("conv 3x3 s2 p1 cout10", 9, 11, 5, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1,
             1),
        CONV("conv 3x3 s1 p1 (Fire expand3x3)", 13, 13, 16, 64, 3, 3, 1, 1, 1,
             1, 1, 1, 1, 1),
        CONV("conv 3x3 s1 p1 cin7 cout13 no bias no relu", 10, 9, 7, 13, 3, 3,
             1, 1, 1, 1, 1, 1, 0, 0),
        CONV("conv 3x5 s1x2 asym pad t2 l0 b0 r3 cout7", 8, 10, 6, 7, 3, 5, 1,
             2, 2, 0, 0, 3, 1, 1),
        CONV("conv 2x2 s2 asym pad t0 l1 b1 r0 cout5", 7, 8, 4, 5, 2, 2, 2, 2,
             0, 1, 1, 0, 0, 1),
        CONV("conv 3x3 s1 p1 input narrower than kernel", 4, 2, 3, 6, 3, 3, 1,
             1, 1, 1, 1, 1, 1, 1),
        CONV("conv 2x2 s1 p2 rows/cols all padding cout3", 4, 4, 3, 3, 2, 2, 1,
             1, 2, 2, 2, 2, 1, 1),
        CONV("conv 1x1 via general kernel cout10", 6, 7, 8, 10, 1, 1, 1, 1, 0,
             0, 0, 0, 1, 1),
        CONV("conv 1x1 s2 via general kernel cout3", 7, 9, 6, 3, 1, 1, 2, 2, 0,
             0, 0, 0, 0, 1),
        /* 1x1 fast path */
        CONV1X1("conv1x1 cin64 cout16 (Fire squeeze)", 11, 13, 64, 16, 1, 1),
        CONV1X1("conv1x1 cin16 cout64 (Fire expand1x1)", 9, 7, 16, 64, 1, 1),
        CONV1X1("conv1x1 cin512 cout1000 (conv10)", 5, 7, 512, 1000, 1, 1),
        CONV1X1("conv1x1 cin13 cout10 no relu", 6, 5, 13, 10, 0, 1),
        CONV1X1("conv1x1 cin3 cout1 no bias", 3, 3, 3, 1, 1, 0),
        CONV1X1("conv1x1 cin5 cout7", 1, 9, 5, 7, 1, 1),
        /* max pooling */
        POOL("maxpool 3x3 s2 ceil (window past end)", OP_MAXPOOL, 12, 12, 8,
             3, 3, 2, 2, 0, 0, 0, 0, 1, 0),
        POOL("maxpool 3x3 s2 (SqueezeNet 27->13) c5", OP_MAXPOOL, 27, 27, 5,
             3, 3, 2, 2, 0, 0, 0, 0, 1, 0),
        POOL("maxpool 3x3 s2 p1 ceil", OP_MAXPOOL, 9, 10, 6, 3, 3, 2, 2, 1, 1,
             1, 1, 1, 0),
        POOL("maxpool 2x2 s2 floor", OP_MAXPOOL, 7, 7, 4, 2, 2, 2, 2, 0, 0, 0,
             0, 0, 0),
        POOL("maxpool 2x3 s1x2 asym pad", OP_MAXPOOL, 6, 9, 3, 2, 3, 1, 2, 1,
             0, 0, 2, 0, 0),
        /* average pooling */
        POOL("avgpool 3x3 s2 p1 ceil count_include_pad=1", OP_AVGPOOL, 10, 11,
             7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1),
        POOL("avgpool 3x3 s2 p1 ceil count_include_pad=0", OP_AVGPOOL, 10, 11,
             7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0),
        POOL("avgpool 3x3 s2 ceil no pad count_include_pad=1", OP_AVGPOOL, 12,
             12, 4, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1),
        POOL("avgpool 2x3 s2x1 asym pad count_include_pad=1", OP_AVGPOOL, 7, 6,
             3, 2, 3, 2, 1, 0, 1, 1, 2, 0, 1),
        POOL("avgpool 2x3 s2x1 asym pad count_include_pad=0", OP_AVGPOOL, 7, 6,
             3, 2, 3, 2, 1, 0, 1, 1, 2, 0, 0),
        /* concat that is not fused */
        POOL("copy_channels", OP_COPY, 5, 6, 9, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
    };
    const int ncases = (int)(sizeof cases / sizeof cases[0]);
    int i;

    for (i = 0; i < ncases; ++i) {
        test_layer(&cases[i]);
    }
    test_maxpool_fold(12, 12, 8, 3, 2, 0, 6, 6);   /* ceil: last window clipped */
    test_maxpool_fold(27, 27, 5, 3, 2, 0, 13, 13);
    test_maxpool_fold(9, 10, 6, 3, 2, 1, 5, 5);
    test_maxpool_fold(7, 7, 4, 2, 2, 0, 3, 3);
    test_fire(13, 13, 128, 32, 128, 128);
    test_fire(7, 9, 24, 6, 10, 13);
    test_gap(13, 13, 10);
    test_gap(3, 5, 1000);
    test_conv_relu_gap(13, 13, 32, 10);
    test_conv_relu_gap(5, 5, 64, 1000);
    test_conv_relu_gap(3, 2, 7, 3);
    test_elementwise();

    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}

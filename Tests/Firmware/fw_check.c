/*
 * fw_check.c - host-side helper of Tests/Firmware/run.sh (no Python needed).
 *
 *   fw_check random COUNT SEED FILE     COUNT pseudo-random floats in [-1, 1)
 *   fw_check fake-input FILE            the fake model's 12 inputs (i - 5) / 8
 *   fw_check fake-fail-input FILE       12 inputs with in[0] = -1000 (model returns 5)
 *   fw_check fake-output INPUT OUTPUT   OUTPUT == the fake model's formula, bit-exact
 *   fw_check fake-trace INPUT TRACE     TRACE holds scale/dense/relu, bit-exact
 *   fw_check compare REF OUT TOL        same float count; max |REF - OUT| must be
 *                                       <= TOL * (max(REF) - min(REF))
 *   fw_check compare-trace REF OUT TOL  same records (names, counts); per record
 *                                       as `compare`
 * Exit status 0 when the check holds, 1 when not, 2 on usage or file errors.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_IN 12
#define FAKE_OUT 5

/* Reads a whole file; returns a malloc'ed buffer (or NULL) and its size. */
static unsigned char *load(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t cap = 0;
    size_t n = 0;
    if (f == NULL) {
        fprintf(stderr, "fw_check: cannot open %s\n", path);
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *bigger;
            cap = cap == 0 ? 65536 : cap * 2;
            bigger = (unsigned char *)realloc(data, cap);
            if (bigger == NULL) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = bigger;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    fclose(f);
    *size = n;
    return data;
}

static int save_floats(const char *path, const float *v, size_t count)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(v, sizeof(float), count, f) != count) {
        fprintf(stderr, "fw_check: cannot write %s\n", path);
        return 2;
    }
    fclose(f);
    return 0;
}

static float get_float(const unsigned char *p)
{
    float v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* The fake model (Tests/Firmware/fake_model.h), in double: exact here. */
static void fake_model(const float *in, float *scale, float *dense, float *relu)
{
    int i;
    int j;
    for (i = 0; i < FAKE_IN; i++) {
        scale[i] = (float)(2.0 * (double)in[i] + 1.0);
    }
    for (j = 0; j < FAKE_OUT; j++) {
        double acc = j - 2.0;
        for (i = 0; i < FAKE_IN; i++) {
            acc += (i - 2.0 * j) / 4.0 * (double)scale[i];
        }
        dense[j] = (float)acc;
        relu[j] = dense[j] > 0.0f ? dense[j] : 0.0f;
    }
}

static int load_fake_input(const char *path, float *in)
{
    size_t size = 0;
    unsigned char *data = load(path, &size);
    if (data == NULL || size != FAKE_IN * sizeof(float)) {
        fprintf(stderr, "fw_check: %s must hold %d floats\n", path, FAKE_IN);
        free(data);
        return 2;
    }
    memcpy(in, data, size);
    free(data);
    return 0;
}

static int same_floats(const char *what, const float *want, const unsigned char *got, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++) {
        float g = get_float(got + 4 * i);
        if (memcmp(&g, &want[i], sizeof g) != 0) {
            printf("%s[%lu] = %.9g, want %.9g\n", what, (unsigned long)i, (double)g, (double)want[i]);
            return 1;
        }
    }
    return 0;
}

/* max |a - b| against the range of a; prints the figures. */
static int close_enough(const char *what, const unsigned char *a, const unsigned char *b, size_t count, double tol)
{
    double lo = INFINITY;
    double hi = -INFINITY;
    double worst = 0.0;
    double range;
    size_t i;
    for (i = 0; i < count; i++) {
        double x = get_float(a + 4 * i);
        double y = get_float(b + 4 * i);
        double d = fabs(x - y);
        if (x < lo) {
            lo = x;
        }
        if (x > hi) {
            hi = x;
        }
        if (!(d <= worst)) { /* also catches NaN */
            worst = d;
        }
    }
    range = count > 0 ? hi - lo : 0.0;
    if (!(worst <= tol * range) && worst != 0.0) {
        printf("%s: max abs diff %.3g > %.1g x range %.6g\n", what, worst, tol, range);
        return 1;
    }
    printf("%s: %lu floats, max abs diff %.3g, range %.6g\n", what, (unsigned long)count, worst, range);
    return 0;
}

static int cmd_random(int argc, char **argv)
{
    unsigned long count;
    uint32_t x;
    float *v;
    unsigned long i;
    int rc;
    if (argc != 5) {
        return 2;
    }
    count = strtoul(argv[2], NULL, 10);
    x = (uint32_t)strtoul(argv[3], NULL, 10);
    v = (float *)malloc(count * sizeof(float) + 1);
    if (v == NULL) {
        return 2;
    }
    for (i = 0; i < count; i++) {
        x = x * 1664525u + 1013904223u;
        v[i] = (float)((double)(x >> 8) / 8388608.0 - 1.0);
    }
    rc = save_floats(argv[4], v, count);
    free(v);
    return rc;
}

static int cmd_fake_input(int argc, char **argv, int fail)
{
    float in[FAKE_IN];
    int i;
    if (argc != 3) {
        return 2;
    }
    for (i = 0; i < FAKE_IN; i++) {
        in[i] = (float)(i - 5) / 8.0f;
    }
    if (fail) {
        in[0] = -1000.0f;
    }
    return save_floats(argv[2], in, FAKE_IN);
}

static int cmd_fake_output(int argc, char **argv)
{
    float in[FAKE_IN];
    float scale[FAKE_IN];
    float dense[FAKE_OUT];
    float relu[FAKE_OUT];
    size_t size = 0;
    unsigned char *out;
    int rc;
    if (argc != 4 || load_fake_input(argv[2], in) != 0) {
        return 2;
    }
    fake_model(in, scale, dense, relu);
    out = load(argv[3], &size);
    if (out == NULL) {
        return 2;
    }
    if (size != FAKE_OUT * sizeof(float)) {
        printf("%s: %lu bytes, want %lu\n", argv[3], (unsigned long)size, (unsigned long)(FAKE_OUT * sizeof(float)));
        free(out);
        return 1;
    }
    rc = same_floats("output", relu, out, FAKE_OUT);
    free(out);
    return rc;
}

static int cmd_fake_trace(int argc, char **argv)
{
    static const char *names[3] = { "scale", "dense", "relu" };
    float in[FAKE_IN];
    float scale[FAKE_IN];
    float dense[FAKE_OUT];
    float relu[FAKE_OUT];
    const float *want[3];
    const uint32_t counts[3] = { FAKE_IN, FAKE_OUT, FAKE_OUT };
    size_t size = 0;
    size_t at = 0;
    unsigned char *t;
    int r;
    int rc = 0;
    if (argc != 4 || load_fake_input(argv[2], in) != 0) {
        return 2;
    }
    fake_model(in, scale, dense, relu);
    want[0] = scale;
    want[1] = dense;
    want[2] = relu;
    t = load(argv[3], &size);
    if (t == NULL) {
        return 2;
    }
    for (r = 0; r < 3 && rc == 0; r++) {
        uint32_t len;
        uint32_t count;
        if (at + 4 > size) {
            printf("trace: record %d missing\n", r);
            rc = 1;
            break;
        }
        len = get_u32(t + at);
        if (len != strlen(names[r]) || at + 4 + len + 4 > size || memcmp(t + at + 4, names[r], len) != 0) {
            printf("trace: record %d is not \"%s\"\n", r, names[r]);
            rc = 1;
            break;
        }
        if (at + 4 + len + 8 > size || get_u32(t + at + 4 + len) != 0xFFFFFFFFu) {
            printf("trace: record %s is not a whole value (row -1)\n", names[r]);
            rc = 1;
            break;
        }
        count = get_u32(t + at + 8 + len);
        if (count != counts[r] || at + 12 + len + 4 * (size_t)count > size) {
            printf("trace: record %s has count %lu, want %lu\n", names[r], (unsigned long)count, (unsigned long)counts[r]);
            rc = 1;
            break;
        }
        rc = same_floats(names[r], want[r], t + at + 12 + len, count);
        at += 12 + len + 4 * (size_t)count;
    }
    if (rc == 0 && at != size) {
        printf("trace: %lu trailing bytes\n", (unsigned long)(size - at));
        rc = 1;
    }
    free(t);
    return rc;
}

static int cmd_compare(int argc, char **argv)
{
    size_t na = 0;
    size_t nb = 0;
    unsigned char *a;
    unsigned char *b;
    int rc;
    if (argc != 5) {
        return 2;
    }
    a = load(argv[2], &na);
    b = load(argv[3], &nb);
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return 2;
    }
    if (na != nb || na % 4 != 0) {
        printf("compare: %s has %lu bytes, %s has %lu\n", argv[2], (unsigned long)na, argv[3], (unsigned long)nb);
        rc = 1;
    } else {
        rc = close_enough("output", a, b, na / 4, strtod(argv[4], NULL));
    }
    free(a);
    free(b);
    return rc;
}

static int cmd_compare_trace(int argc, char **argv)
{
    size_t na = 0;
    size_t nb = 0;
    size_t at = 0;
    unsigned char *a;
    unsigned char *b;
    double tol;
    int records = 0;
    int rc = 0;
    if (argc != 5) {
        return 2;
    }
    tol = strtod(argv[4], NULL);
    a = load(argv[2], &na);
    b = load(argv[3], &nb);
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return 2;
    }
    if (na != nb) {
        printf("compare-trace: %s has %lu bytes, %s has %lu\n", argv[2], (unsigned long)na, argv[3], (unsigned long)nb);
        rc = 1;
    }
    while (rc == 0 && at < na) {
        uint32_t len;
        uint32_t count;
        char name[128];
        if (at + 4 > na || (len = get_u32(a + at)) >= sizeof name || at + 12 + len > na) {
            printf("compare-trace: malformed record at byte %lu\n", (unsigned long)at);
            rc = 1;
            break;
        }
        count = get_u32(a + at + 8 + len);
        if (memcmp(a + at, b + at, 12 + len) != 0 || at + 12 + len + 4 * (size_t)count > na) {
            printf("compare-trace: record %d differs in name, row or count\n", records);
            rc = 1;
            break;
        }
        memcpy(name, a + at + 4, len);
        name[len] = '\0';
        rc = close_enough(name, a + at + 12 + len, b + at + 12 + len, count, tol);
        at += 12 + len + 4 * (size_t)count;
        records++;
    }
    free(a);
    free(b);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 2;
    if (argc >= 2) {
        if (strcmp(argv[1], "random") == 0) {
            rc = cmd_random(argc, argv);
        } else if (strcmp(argv[1], "fake-input") == 0) {
            rc = cmd_fake_input(argc, argv, 0);
        } else if (strcmp(argv[1], "fake-fail-input") == 0) {
            rc = cmd_fake_input(argc, argv, 1);
        } else if (strcmp(argv[1], "fake-output") == 0) {
            rc = cmd_fake_output(argc, argv);
        } else if (strcmp(argv[1], "fake-trace") == 0) {
            rc = cmd_fake_trace(argc, argv);
        } else if (strcmp(argv[1], "compare") == 0) {
            rc = cmd_compare(argc, argv);
        } else if (strcmp(argv[1], "compare-trace") == 0) {
            rc = cmd_compare_trace(argc, argv);
        }
    }
    if (rc == 2 && argc < 2) {
        fprintf(stderr, "usage: fw_check random|fake-input|fake-fail-input|fake-output|fake-trace|compare|compare-trace ...\n");
    }
    return rc;
}

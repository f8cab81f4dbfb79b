/*
 * Host test harness for generated models (used by `squeezec validate --target host`).
 *
 *   harness INPUT.bin OUTPUT.bin [TRACE.bin]
 *   harness -n N INPUTS.bin OUTPUTS.bin      (batch: `squeezec eval --target host`)
 *
 * INPUT.bin holds SQ_INPUT_COUNT little-endian values (NHWC; float, or int8
 * codes with -DSQ_ELEM_T=int8_t); OUTPUT.bin gets SQ_OUTPUT_COUNT values. Built with -DSQ_TRACE, every layer's output is
 * appended to TRACE.bin as: uint32 name length, name bytes, uint32 count,
 * count values. In batch mode INPUTS.bin holds N inputs one after the other and
 * OUTPUTS.bin gets the N outputs in the same order, from one process. Compile with:
 *   -DSQ_MODEL_HEADER='"model.h"' -DSQ_RUN=model_run
 *   -DSQ_INPUT_COUNT=MODEL_INPUT_COUNT -DSQ_OUTPUT_COUNT=MODEL_OUTPUT_COUNT
 * Models generated with --row-input (compile with -DSQ_RUN_ROWS=model_run_rows
 *   -DSQ_INPUT_H=MODEL_INPUT_H -DSQ_ROW_COUNT=MODEL_INPUT_ROW_COUNT
 *   -DSQ_RING_ROWS=MODEL_INPUT_RING_ROWS) are run through their row entry point:
 * the row function copies rows from the input image and checks the contract
 * (rows in order, each once, each into the ring slot of its row); a breach
 * makes it fail, so the model returns -3. -DSQ_WHOLE_IMAGE runs SQ_RUN instead;
 * -DSQ_FAIL_AT_ROW=R makes the row function fail at row R (and exit with 4 if
 * it is called again after that).
 * Exit status: 0 success, 2 usage or file error, 3 the model returned an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include SQ_MODEL_HEADER

/* The element type of the model's input, output and traced values: float,
 * or int8_t for int8 models (-DSQ_ELEM_T=int8_t). */
#ifndef SQ_ELEM_T
#define SQ_ELEM_T float
#endif
/* The element type of the input: SQ_ELEM_T, or uint8_t for --input-type uint8 (-DSQ_INPUT_T=uint8_t). */
#ifndef SQ_INPUT_T
#define SQ_INPUT_T SQ_ELEM_T
#endif

static SQ_INPUT_T sq_input[SQ_INPUT_COUNT];
static SQ_ELEM_T sq_output[SQ_OUTPUT_COUNT];

#ifdef SQ_TRACE
static FILE *sq_trace_file;

/* One trace record: uint32 name length, the name, int32 row (-1: the whole
 * value; a streamed value's rows arrive one record each), uint32 count, then
 * count elements, in the host's byte order. */
static void sq_trace_record(const char *name, int32_t row, const SQ_ELEM_T *data, int count)
{
    uint32_t length = (uint32_t)strlen(name);
    uint32_t n = (uint32_t)count;
    if (sq_trace_file == NULL) {
        return;
    }
    fwrite(&length, sizeof length, 1, sq_trace_file);
    fwrite(name, 1, length, sq_trace_file);
    fwrite(&row, sizeof row, 1, sq_trace_file);
    fwrite(&n, sizeof n, 1, sq_trace_file);
    fwrite(data, sizeof(SQ_ELEM_T), (size_t)count, sq_trace_file);
}

void sq_trace(const char *name, const SQ_ELEM_T *data, int count);

void sq_trace(const char *name, const SQ_ELEM_T *data, int count)
{
    sq_trace_record(name, -1, data, count);
}

void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count);

/* One row of a streamed value. */
void sq_trace_row(const char *name, int row, const SQ_ELEM_T *data, int count)
{
    sq_trace_record(name, (int32_t)row, data, count);
}
#endif

#if defined(SQ_RUN_ROWS) && !defined(SQ_WHOLE_IMAGE)
static int sq_next_row;
static SQ_INPUT_T *sq_ring_base;

/* The row function: row `row` of the image `ctx` into dst. */
static int sq_fetch_row(void *ctx, int row, SQ_INPUT_T *dst)
{
    const SQ_INPUT_T *image = (const SQ_INPUT_T *)ctx;
    int i;
#ifdef SQ_FAIL_AT_ROW
    static int failed;
    if (failed) {
        fprintf(stderr, "harness: row %d requested after the row function failed\n", row);
        exit(4);
    }
    if (row == SQ_FAIL_AT_ROW) {
        failed = 1;
        return 1;
    }
#endif
    if (row != sq_next_row) {
        fprintf(stderr, "harness: row %d requested, expected row %d\n", row, sq_next_row);
        return 1;
    }
    if (row == 0) {
        sq_ring_base = dst;
    } else if ((const char *)dst != (const char *)sq_ring_base + (size_t)(row % SQ_RING_ROWS) * SQ_ROW_COUNT * sizeof(SQ_ELEM_T)) {
        /* Ring slots hold SQ_ELEM_T rows (a uint8 row is written at the same place in each slot). */
        fprintf(stderr, "harness: row %d is not in ring slot %d of %d\n", row, row % SQ_RING_ROWS, SQ_RING_ROWS);
        return 1;
    }
    for (i = 0; i < SQ_ROW_COUNT; i++) {
        dst[i] = image[(size_t)row * SQ_ROW_COUNT + (size_t)i];
    }
    sq_next_row++;
    return 0;
}

/* One inference through the row entry point; every row fetched once. */
static int sq_run_model(SQ_INPUT_T *input, SQ_ELEM_T *output)
{
    int status;
    sq_next_row = 0;
    status = SQ_RUN_ROWS(sq_fetch_row, input, output);
    if (status == 0 && sq_next_row != SQ_INPUT_H) {
        fprintf(stderr, "harness: %d of %d rows fetched\n", sq_next_row, SQ_INPUT_H);
        return -4;
    }
    return status;
}
#else
#define sq_run_model SQ_RUN
#endif

static int read_values(const char *path, SQ_INPUT_T *data, size_t count)
{
    FILE *f = fopen(path, "rb");
    size_t got;
    int extra;
    if (f == NULL) {
        fprintf(stderr, "harness: cannot open %s\n", path);
        return -1;
    }
    got = fread(data, sizeof(SQ_INPUT_T), count, f);
    extra = fgetc(f);
    fclose(f);
    if (got != count || extra != EOF) {
        fprintf(stderr, "harness: %s must hold exactly %lu values\n", path, (unsigned long)count);
        return -1;
    }
    return 0;
}

/* Batch mode: `count` inputs from `in_path`, one run each, outputs appended to `out_path`. */
static int run_batch(const char *count_text, const char *in_path, const char *out_path)
{
    char *end = NULL;
    long count = strtol(count_text, &end, 10);
    long i;
    int extra;
    FILE *in;
    FILE *out;
    if (end == count_text || *end != '\0' || count < 1) {
        fprintf(stderr, "harness: -n needs a positive count, not %s\n", count_text);
        return 2;
    }
    in = fopen(in_path, "rb");
    if (in == NULL) {
        fprintf(stderr, "harness: cannot open %s\n", in_path);
        return 2;
    }
    out = fopen(out_path, "wb");
    if (out == NULL) {
        fclose(in);
        fprintf(stderr, "harness: cannot create %s\n", out_path);
        return 2;
    }
    for (i = 0; i < count; i++) {
        int status;
        if (fread(sq_input, sizeof(SQ_INPUT_T), SQ_INPUT_COUNT, in) != SQ_INPUT_COUNT) {
            fprintf(stderr, "harness: %s must hold exactly %ld x %lu values\n", in_path, count, (unsigned long)SQ_INPUT_COUNT);
            fclose(in);
            fclose(out);
            return 2;
        }
        status = sq_run_model(sq_input, sq_output);
        if (status != 0) {
            fprintf(stderr, "harness: model returned %d on input %ld\n", status, i);
            fclose(in);
            fclose(out);
            return 3;
        }
        if (fwrite(sq_output, sizeof(SQ_ELEM_T), SQ_OUTPUT_COUNT, out) != SQ_OUTPUT_COUNT) {
            fprintf(stderr, "harness: cannot write %s\n", out_path);
            fclose(in);
            fclose(out);
            return 2;
        }
    }
    extra = fgetc(in);
    fclose(in);
    if (extra != EOF) {
        fclose(out);
        fprintf(stderr, "harness: %s must hold exactly %ld x %lu values\n", in_path, count, (unsigned long)SQ_INPUT_COUNT);
        return 2;
    }
    if (fclose(out) != 0) {
        fprintf(stderr, "harness: cannot write %s\n", out_path);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    FILE *out;
    int status;
    if (argc == 5 && strcmp(argv[1], "-n") == 0) {
        return run_batch(argv[2], argv[3], argv[4]);
    }
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s INPUT.bin OUTPUT.bin [TRACE.bin] | -n N INPUTS.bin OUTPUTS.bin\n", argv[0]);
        return 2;
    }
    if (read_values(argv[1], sq_input, SQ_INPUT_COUNT) != 0) {
        return 2;
    }
#ifdef SQ_TRACE
    if (argc == 4) {
        sq_trace_file = fopen(argv[3], "wb");
        if (sq_trace_file == NULL) {
            fprintf(stderr, "harness: cannot create %s\n", argv[3]);
            return 2;
        }
    }
#endif
    status = sq_run_model(sq_input, sq_output);
#ifdef SQ_TRACE
    if (sq_trace_file != NULL) {
        fclose(sq_trace_file);
    }
#endif
    if (status != 0) {
        fprintf(stderr, "harness: model returned %d\n", status);
        return 3;
    }
    out = fopen(argv[2], "wb");
    if (out == NULL || fwrite(sq_output, sizeof(SQ_ELEM_T), SQ_OUTPUT_COUNT, out) != SQ_OUTPUT_COUNT) {
        fprintf(stderr, "harness: cannot write %s\n", argv[2]);
        return 2;
    }
    fclose(out);
    return 0;
}

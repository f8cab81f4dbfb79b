/* fake_model.c - the fake model's steps (see fake_model.h). */
#include <stddef.h>

#include "fake_model.h"

extern const float fake_w[FAKE_OUTPUT_COUNT][FAKE_INPUT_COUNT];
extern const float fake_b[FAKE_OUTPUT_COUNT];
extern float fake_arena[FAKE_ARENA_FLOATS];

#ifdef SQ_TRACE
void sq_trace(const char *name, const float *data, int count);
#endif
#ifdef SQ_PROFILE
void sq_profile(const char *name);
#endif

#ifdef FAKE_STACK_BYTES
/*
 * -DFAKE_STACK_BYTES=N: touch an N-byte local buffer, so that the harness's
 * stack high-water mark (SQ_STACK) must be at least N.
 */
static __attribute__((noinline)) float fake_use_stack(const float *input)
{
    volatile unsigned char buffer[FAKE_STACK_BYTES];
    unsigned i;
    unsigned sum = 0;
    for (i = 0; i < (unsigned)FAKE_STACK_BYTES; i++) {
        buffer[i] = (unsigned char)(i * 7u);
    }
    for (i = 0; i < (unsigned)FAKE_STACK_BYTES; i += 97u) {
        sum += buffer[i];
    }
    return input[0] + (float)(sum & 0u);
}
#endif

int fake_run(const float *input, float *output)
{
    float *s = fake_arena;
    float *d = fake_arena + FAKE_INPUT_COUNT;
    int i;
    int j;
    if (input == NULL || output == NULL) {
        return -1;
    }
    if (input[0] == -1000.0f) {
        return 5;
    }
#ifdef FAKE_STACK_BYTES
    if (fake_use_stack(input) != input[0]) {
        return 6;
    }
#endif
    for (i = 0; i < FAKE_INPUT_COUNT; i++) {
        s[i] = 2.0f * input[i] + 1.0f;
    }
#ifdef SQ_TRACE
    sq_trace("scale", s, FAKE_INPUT_COUNT);
#endif
#ifdef SQ_PROFILE
    sq_profile("scale");
#endif
    for (j = 0; j < FAKE_OUTPUT_COUNT; j++) {
        float acc = fake_b[j];
        for (i = 0; i < FAKE_INPUT_COUNT; i++) {
            acc += fake_w[j][i] * s[i];
        }
        d[j] = acc;
    }
#ifdef SQ_TRACE
    sq_trace("dense", d, FAKE_OUTPUT_COUNT);
#endif
#ifdef SQ_PROFILE
    sq_profile("dense");
#endif
    for (j = 0; j < FAKE_OUTPUT_COUNT; j++) {
        output[j] = d[j] > 0.0f ? d[j] : 0.0f;
    }
#ifdef SQ_TRACE
    sq_trace("relu", output, FAKE_OUTPUT_COUNT);
#endif
#ifdef SQ_PROFILE
    sq_profile("relu");
#endif
    return 0;
}

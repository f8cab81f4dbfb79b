/*
 * fake_model.h - a tiny hand-written stand-in for a generated model, with
 * the same C API shape (prefix "fake"), used by Tests/Firmware/run.sh.
 *
 *   step "scale":  s[i] = 2 * in[i] + 1                   (12 values)
 *   step "dense":  d[j] = sum_i W[j][i] * s[i] + B[j]     (5 values)
 *                  with W[j][i] = (i - 2 j) / 4, B[j] = j - 2
 *   step "relu":   out[j] = max(d[j], 0)                  (5 values)
 *
 * Returns 0, -1 for a NULL pointer, and 5 when in[0] == -1000 (to test the
 * harness's "model returned non-zero" path). -DFAKE_STACK_BYTES=N makes it
 * use N bytes of stack (to test the stack high-water mark). The weights live in
 * fake_weights.c (const, "flash"), the arena in fake_arena.c.
 */
#ifndef FAKE_MODEL_H
#define FAKE_MODEL_H

#define FAKE_INPUT_COUNT 12 /* floats */
#define FAKE_OUTPUT_COUNT 5 /* floats */

/* Arena size in floats; -DFAKE_ARENA_FLOATS=N makes it (much) bigger. */
#ifndef FAKE_ARENA_FLOATS
#define FAKE_ARENA_FLOATS 17
#endif

int fake_run(const float *input, float *output);

#endif /* FAKE_MODEL_H */

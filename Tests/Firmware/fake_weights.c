/* fake_weights.c - const weights of the fake model (see fake_model.h). */
#include "fake_model.h"

extern const float fake_w[FAKE_OUTPUT_COUNT][FAKE_INPUT_COUNT];
extern const float fake_b[FAKE_OUTPUT_COUNT];

#define FAKE_ROW(j)                                                         \
    { (0 - 2 * (j)) / 4.0f, (1 - 2 * (j)) / 4.0f, (2 - 2 * (j)) / 4.0f,     \
      (3 - 2 * (j)) / 4.0f, (4 - 2 * (j)) / 4.0f, (5 - 2 * (j)) / 4.0f,     \
      (6 - 2 * (j)) / 4.0f, (7 - 2 * (j)) / 4.0f, (8 - 2 * (j)) / 4.0f,     \
      (9 - 2 * (j)) / 4.0f, (10 - 2 * (j)) / 4.0f, (11 - 2 * (j)) / 4.0f }

const float fake_w[FAKE_OUTPUT_COUNT][FAKE_INPUT_COUNT] = {
    FAKE_ROW(0), FAKE_ROW(1), FAKE_ROW(2), FAKE_ROW(3), FAKE_ROW(4)
};

const float fake_b[FAKE_OUTPUT_COUNT] = { -2.0f, -1.0f, 0.0f, 1.0f, 2.0f };

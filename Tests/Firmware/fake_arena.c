/* fake_arena.c - the fake model's static arena (see fake_model.h). */
#include "fake_model.h"

extern float fake_arena[FAKE_ARENA_FLOATS];

float fake_arena[FAKE_ARENA_FLOATS];

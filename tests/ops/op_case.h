/* Op test cases: for every op in the op table, a small generator that picks random
 * parameters and tensor shapes for a given image size, and the value range of each
 * tensor's random contents (outputs get random initial contents too, so an op that reads
 * its output or leaves parts of it unwritten behaves the same on both devices).
 *
 * Adding an op's test: write a make function with case_params() and one case_tensor() per
 * tensor, in binding order, and add a row to op_cases[] (op_cases.c). */
#ifndef WEFT_TESTS_OPS_OP_CASE_H
#define WEFT_TESTS_OPS_OP_CASE_H

#include <stdint.h>

#include "ops/op.h"

typedef struct CaseRng {
    uint64_t state;
} CaseRng;

typedef struct OpCase {
    unsigned char params[OP_MAX_PARAMS_SIZE];
    size_t params_size;
    int num_tensors;
    int shape[OP_MAX_TENSORS][3]; /* c, h, w */
    float lo[OP_MAX_TENSORS], hi[OP_MAX_TENSORS];
    /* Optional: fills tensor i (overrides the uniform [lo, hi] fill) */
    void (*fill)(CaseRng *rng, int tensor, const int shape[3], float *data);
} OpCase;

typedef struct OpCaseDef {
    const char *op;
    /* Largest |cpu - vulkan| accepted on any element. */
    float tolerance;
    /* Builds a case for an image of w x h (the size a caller would pass; the op may use
     * smaller or derived shapes). */
    void (*make)(CaseRng *rng, int w, int h, OpCase *k);
} OpCaseDef;

extern const OpCaseDef op_cases[];
const OpCaseDef *op_case_find(const char *op);

uint64_t rng_next(CaseRng *r);
float rng_uniform(CaseRng *r, float lo, float hi);
int rng_int(CaseRng *r, int lo, int hi); /* inclusive */

void case_params(OpCase *k, const void *params, size_t size);
void case_tensor(OpCase *k, int c, int h, int w, float lo, float hi);

#endif

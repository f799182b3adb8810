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

typedef struct OpCase OpCase;
struct OpCase {
    unsigned char params[OP_MAX_PARAMS_SIZE];
    size_t params_size;
    int num_tensors;
    int shape[OP_MAX_TENSORS][3]; /* c, h, w */
    float lo[OP_MAX_TENSORS], hi[OP_MAX_TENSORS];
    int smooth[OP_MAX_TENSORS]; /* a smooth random field instead of white noise */
    /* Optional: adjusts tensor `i` after its default fill; data[0..i] are filled (so a
     * backward flow can be made close to the negated forward flow, say). */
    void (*fill)(CaseRng *rng, const OpCase *k, int i, float *const *data);
};

typedef struct OpCaseDef {
    const char *op;
    /* Largest |cpu - vulkan| / max(1, |cpu|) accepted on any element (absolute for values
     * up to 1, relative above). */
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
/* Appends a tensor filled with uniform noise in [lo, hi]. */
void case_tensor(OpCase *k, int c, int h, int w, float lo, float hi);
/* Appends a tensor filled with a smooth random field in [lo, hi] with a little noise: a
 * picture with texture, or a flow field. */
void case_tensor_smooth(OpCase *k, int c, int h, int w, float lo, float hi);
/* Fills a tensor as case_tensor / case_tensor_smooth describe. */
void case_fill(CaseRng *r, const int shape[3], float lo, float hi, int smooth, float *data);

/* Rounds tensor i's contents to fp16 values when op stores it as fp16 (OpInfo.half_tensors),
 * so the C path (fp32 tensors) computes on the same inputs as the fp16 shader. */
void case_round_half(const OpInfo *op, int i, const int shape[3], float *data);
/* Why d skips op (a shader variant it cannot run), for the skip line. */
const char *case_unsupported_reason(const OpInfo *op);

#endif

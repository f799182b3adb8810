/* One case generator per op (see op_case.h). Ranges follow each op's contract in
 * lib/ops/<op>.h: images in [0, 1], flows in pixels, well beyond the image edge so edge
 * clamping is exercised. */
#include <string.h>

#include "op_case.h"
#include "ops/warp.h"

uint64_t rng_next(CaseRng *r)
{
    /* splitmix64 */
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

float rng_uniform(CaseRng *r, float lo, float hi)
{
    return lo + (hi - lo) * (float)((double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0));
}

int rng_int(CaseRng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

void case_params(OpCase *k, const void *params, size_t size)
{
    memcpy(k->params, params, size);
    k->params_size = size;
}

void case_tensor(OpCase *k, int c, int h, int w, float lo, float hi)
{
    int i = k->num_tensors++;
    k->shape[i][0] = c;
    k->shape[i][1] = h;
    k->shape[i][2] = w;
    k->lo[i] = lo;
    k->hi[i] = hi;
}

/* ---- one generator per op ---- */

static void make_warp(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpWarpParams p = { .c = c, .h = h, .w = w, .scale = rng_uniform(r, -1.5f, 1.5f) };
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, 0, 1);
    case_tensor(k, 2, h, w, -0.3f * (float)(w + h), 0.3f * (float)(w + h));
    case_tensor(k, c, h, w, 0, 1);
}

const OpCaseDef op_cases[] = {
    { "warp", 1e-5f, make_warp },
    { NULL, 0, NULL },
};

const OpCaseDef *op_case_find(const char *op)
{
    for (int i = 0; op_cases[i].op; i++)
        if (!strcmp(op_cases[i].op, op))
            return &op_cases[i];
    return NULL;
}

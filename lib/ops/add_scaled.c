#include "ops/add_scaled.h"

static int add_scaled_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpAddScaledParams *p = params;
    return p->c * p->h;
}

static void add_scaled_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpAddScaledParams *p = params;
    const size_t begin = (size_t)r0 * p->w, end = (size_t)r1 * p->w;
    const float *a = t[0]->host, *b = t[1]->host;
    float *out = t[2]->host;
    const float scale = p->scale;
    for (size_t i = begin; i < end; i++)
        out[i] = a[i] + scale * b[i];
}

static void add_scaled_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpAddScaledParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = (uint32_t)p->c;
}

const OpInfo op_info_add_scaled = {
    .name = "add_scaled",
    .num_tensors = 3,
    .params_size = sizeof(OpAddScaledParams),
    .rows = add_scaled_rows,
    .cpu = add_scaled_cpu,
    .grid = add_scaled_grid,
    .local = {16, 16, 1},
};

int op_add_scaled(Device *d, WeftTensor *a, WeftTensor *b, float scale, WeftTensor *out)
{
    if (!a || !b || !out || b->c != a->c || b->h != a->h || b->w != a->w || out->c != a->c ||
        out->h != a->h || out->w != a->w || out == a || out == b)
        return -EINVAL;
    OpAddScaledParams p = {.c = a->c, .h = a->h, .w = a->w, .scale = scale};
    return device_run(d, &op_info_add_scaled, &p, (WeftTensor *[]){a, b, out});
}

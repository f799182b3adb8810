#include <math.h>

#include "ops/nn_warp.h"

static int nn_warp_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnWarpParams *p = params;
    return p->c * p->h;
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void nn_warp_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnWarpParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *fx = t[1]->host, *fy = t[1]->host + plane;
    for (int r = r0; r < r1; r++) {
        int c = r / h, y = r % h;
        const float *img = t[0]->host + (size_t)c * plane;
        float *out = t[2]->host + (size_t)c * plane + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float sx = (float)x + fx[i], sy = (float)y + fy[i];
            int x0 = (int)floorf(sx), y0 = (int)floorf(sy);
            int x1 = clampi(x0 + 1, 0, w - 1), y1 = clampi(y0 + 1, 0, h - 1);
            x0 = clampi(x0, 0, w - 1);
            y0 = clampi(y0, 0, h - 1);
            float alpha = sx - (float)x0, beta = sy - (float)y0;
            float v0 = img[(size_t)y0 * w + x0], v1 = img[(size_t)y0 * w + x1];
            float v2 = img[(size_t)y1 * w + x0], v3 = img[(size_t)y1 * w + x1];
            float v4 = v0 * (1.0f - alpha) + v1 * alpha;
            float v5 = v2 * (1.0f - alpha) + v3 * alpha;
            out[x] = v4 * (1.0f - beta) + v5 * beta;
        }
    }
}

static void nn_warp_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnWarpParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = (uint32_t)p->c;
}

const OpInfo op_info_nn_warp = {
    .name = "nn_warp",
    .num_tensors = 3,
    .params_size = sizeof(OpNnWarpParams),
    .rows = nn_warp_rows,
    .cpu = nn_warp_cpu,
    .grid = nn_warp_grid,
    .local = {16, 16, 1},
};

int op_nn_warp(Device *d, WeftTensor *image, WeftTensor *flow, WeftTensor *out)
{
    if (!image || !flow || !out || out == image || out == flow || flow->c < 2 ||
        flow->h != image->h || flow->w != image->w || out->c != image->c || out->h != image->h ||
        out->w != image->w)
        return -EINVAL;
    OpNnWarpParams p = {.c = image->c, .h = image->h, .w = image->w};
    return device_run(d, &op_info_nn_warp, &p, (WeftTensor *[]){image, flow, out});
}

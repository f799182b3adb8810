#include <math.h>

#include "ops/warp.h"

static int warp_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpWarpParams *)params)->h;
}

static void warp_cpu(const void *params, WeftTensor *const *t, int y0, int y1)
{
    const OpWarpParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *src = t[0]->host, *u = t[1]->host, *v = t[1]->host + plane;
    float *dst = t[2]->host;
    for (int y = y0; y < y1; y++) {
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float sx = fminf(fmaxf(x + p->scale * u[i], 0.0f), (float)(w - 1));
            float sy = fminf(fmaxf(y + p->scale * v[i], 0.0f), (float)(h - 1));
            int x0 = (int)sx, y0i = (int)sy;
            int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1i = y0i + 1 < h ? y0i + 1 : h - 1;
            float fx = sx - x0, fy = sy - y0i;
            for (int c = 0; c < p->c; c++) {
                const float *s = src + c * plane;
                float top = s[(size_t)y0i * w + x0] + fx * (s[(size_t)y0i * w + x1] - s[(size_t)y0i * w + x0]);
                float bot = s[(size_t)y1i * w + x0] + fx * (s[(size_t)y1i * w + x1] - s[(size_t)y1i * w + x0]);
                dst[c * plane + i] = top + fy * (bot - top);
            }
        }
    }
}

static void warp_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpWarpParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_warp = {
    .name = "warp",
    .num_tensors = 3,
    .params_size = sizeof(OpWarpParams),
    .rows = warp_rows,
    .cpu = warp_cpu,
    .grid = warp_grid,
    .local = { 16, 16, 1 },
};

int op_warp(Device *d, WeftTensor *src, WeftTensor *flow, float scale, WeftTensor *dst)
{
    if (!src || !flow || !dst || flow->c != 2 || flow->h != src->h || flow->w != src->w ||
        dst->c != src->c || dst->h != src->h || dst->w != src->w)
        return -EINVAL;
    OpWarpParams p = { .c = src->c, .h = src->h, .w = src->w, .scale = scale };
    return device_run(d, &op_info_warp, &p, (WeftTensor *[]){ src, flow, dst });
}

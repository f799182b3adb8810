#include <math.h>

#include "ops/op_inline.h"
#include "ops/resize.h"

static int resize_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpResizeParams *p = params;
    return p->c * p->oh;
}

static void resize_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpResizeParams *p = params;
    const int w = p->w, h = p->h, ow = p->ow, oh = p->oh;
    const float rx = (float)w / (float)ow, ry = (float)h / (float)oh;
    for (int r = r0; r < r1; r++) {
        const int c = r / oh, y = r % oh;
        const float *src = t[0]->host + (size_t)c * h * w;
        float *dst = t[1]->host + ((size_t)c * oh + y) * ow;
        const float scale = c == 0 ? p->scale_first : p->scale_rest;
        float sy = clampf((y + 0.5f) * ry - 0.5f, 0.0f, (float)(h - 1));
        int y0 = (int)sy, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
        float fy = sy - y0;
        const float *row0 = src + (size_t)y0 * w, *row1 = src + (size_t)y1 * w;
        for (int x = 0; x < ow; x++) {
            float sx = clampf((x + 0.5f) * rx - 0.5f, 0.0f, (float)(w - 1));
            int x0 = (int)sx, x1 = x0 + 1 < w ? x0 + 1 : w - 1;
            float fx = sx - x0;
            float top = row0[x0] + fx * (row0[x1] - row0[x0]);
            float bot = row1[x0] + fx * (row1[x1] - row1[x0]);
            dst[x] = scale * (top + fy * (bot - top));
        }
    }
}

static void resize_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpResizeParams *p = params;
    grid[0] = (uint32_t)p->ow;
    grid[1] = (uint32_t)p->oh;
    grid[2] = (uint32_t)p->c;
}

const OpInfo op_info_resize = {
    .name = "resize",
    .num_tensors = 2,
    .params_size = sizeof(OpResizeParams),
    .rows = resize_rows,
    .cpu = resize_cpu,
    .grid = resize_grid,
    .local = {16, 16, 1},
};

int op_resize(Device *d, WeftTensor *src, WeftTensor *dst, float scale_first, float scale_rest)
{
    if (!src || !dst || dst->c != src->c)
        return -EINVAL;
    OpResizeParams p = {.c = src->c,
                        .h = src->h,
                        .w = src->w,
                        .oh = dst->h,
                        .ow = dst->w,
                        .scale_first = scale_first,
                        .scale_rest = scale_rest};
    return device_run(d, &op_info_resize, &p, (WeftTensor *[]){src, dst});
}

int op_resize_flow(Device *d, WeftTensor *src, WeftTensor *dst)
{
    if (!src || !dst || src->c != 2)
        return -EINVAL;
    return op_resize(d, src, dst, (float)dst->w / (float)src->w, (float)dst->h / (float)src->h);
}

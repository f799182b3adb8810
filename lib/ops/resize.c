#include <math.h>

#include "ops/op_inline.h"
#include "ops/resize.h"

static int resize_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpResizeParams *p = params;
    return p->c * p->oh;
}

/* Output columns taken together; the horizontal taps of a block are computed once. */
#define RESIZE_BLOCK 256

/* Horizontal pass of one source row over a block of output columns. */
OP_INLINE void resize_row(const float *restrict row, const int *restrict x0, const int *restrict x1,
                          const float *restrict fx, int n, float *restrict out)
{
    for (int j = 0; j < n; j++)
        out[j] = row[x0[j]] + fx[j] * (row[x1[j]] - row[x0[j]]);
}

/* Rows are (channel, output row) pairs. A run of rows of one channel is done a block of
 * columns at a time, so each source row is resampled horizontally once per run (the rows
 * around an output row are shared by its neighbours when upsampling), then rows blend
 * vertically; the arithmetic is that of a single bilinear tap, term for term. */
OP_MULTIVERSION static void resize_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpResizeParams *p = params;
    const int w = p->w, h = p->h, ow = p->ow, oh = p->oh;
    const float rx = (float)w / (float)ow, ry = (float)h / (float)oh;
    int x0[RESIZE_BLOCK], x1[RESIZE_BLOCK];
    float fx[RESIZE_BLOCK], rows[2][RESIZE_BLOCK];
    while (r0 < r1) {
        /* the run of rows of channel c in [r0, r1) */
        const int c = r0 / oh, run_end = (c + 1) * oh < r1 ? (c + 1) * oh : r1;
        const float *src = t[0]->host + (size_t)c * h * w;
        const float scale = c == 0 ? p->scale_first : p->scale_rest;
        for (int bx = 0; bx < ow; bx += RESIZE_BLOCK) {
            const int n = ow - bx < RESIZE_BLOCK ? ow - bx : RESIZE_BLOCK;
            for (int j = 0; j < n; j++) {
                const float sx = clampf((bx + j + 0.5f) * rx - 0.5f, 0.0f, (float)(w - 1));
                x0[j] = (int)sx;
                x1[j] = x0[j] + 1 < w ? x0[j] + 1 : w - 1;
                fx[j] = sx - x0[j];
            }
            int have[2] = {-1, -1}; /* source rows held in rows[0], rows[1] */
            for (int r = r0; r < run_end; r++) {
                const int y = r - c * oh;
                const float sy = clampf((y + 0.5f) * ry - 0.5f, 0.0f, (float)(h - 1));
                const int y0 = (int)sy, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
                const float fy = sy - y0;
                if (have[0] != y0 && have[1] == y0) { /* moved down one source row */
                    for (int j = 0; j < n; j++)
                        rows[0][j] = rows[1][j];
                    have[0] = y0;
                }
                if (have[0] != y0) {
                    resize_row(src + (size_t)y0 * w, x0, x1, fx, n, rows[0]);
                    have[0] = y0;
                }
                if (have[1] != y1) {
                    resize_row(src + (size_t)y1 * w, x0, x1, fx, n, rows[1]);
                    have[1] = y1;
                }
                float *restrict dst = t[1]->host + ((size_t)c * oh + y) * ow + bx;
                const float *restrict top = rows[0], *restrict bot = rows[1];
                for (int j = 0; j < n; j++)
                    dst[j] = scale * (top[j] + fy * (bot[j] - top[j]));
            }
        }
        r0 = run_end;
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

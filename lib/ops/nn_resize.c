#include <math.h>
#include <stdlib.h>

#include "ops/nn_resize.h"

static int nn_resize_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnResizeParams *p = params;
    return p->c * p->oh;
}

/* Source index and weight of the second tap for output coordinate d (see the header). */
static inline void coeff(int d, float scale, int n, int *s0, float *frac)
{
    float f = ((float)d + 0.5f) * scale - 0.5f;
    int s = (int)f - (f < (float)(int)f); /* floor; f is in (-1, n) */
    f -= (float)s;
    if (s < 0) {
        s = 0;
        f = 0.0f;
    }
    if (s >= n - 1) {
        s = n - 1;
        f = 0.0f;
    }
    *s0 = s;
    *frac = f;
}

/* The column taps are worked out once per call (a run of rows), then every row is a
 * gather and two lerps per pixel. Same arithmetic as before per pixel, so results do not
 * depend on how rows are split. */
static void nn_resize_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnResizeParams *p = params;
    const size_t in_plane = (size_t)p->h * p->w, out_plane = (size_t)p->oh * p->ow;
    int *xs = malloc((size_t)p->ow * 2 * sizeof(int));
    float *xf = malloc((size_t)p->ow * sizeof(float));
    if (!xs || !xf) {
        free(xs);
        free(xf);
        return;
    }
    for (int ox = 0; ox < p->ow; ox++) {
        coeff(ox, p->scale_x, p->w, &xs[2 * ox], &xf[ox]);
        xs[2 * ox + 1] = xs[2 * ox] + 1 < p->w ? xs[2 * ox] + 1 : xs[2 * ox];
    }
    for (int row = r0; row < r1; row++) {
        int c = row / p->oh, oy = row % p->oh, sy;
        float fy;
        coeff(oy, p->scale_y, p->h, &sy, &fy);
        int sy1 = sy + 1 < p->h ? sy + 1 : sy;
        const float *in0 = t[0]->host + (size_t)c * in_plane + (size_t)sy * p->w;
        const float *in1 = t[0]->host + (size_t)c * in_plane + (size_t)sy1 * p->w;
        float *out = t[1]->host + (size_t)c * out_plane + (size_t)oy * p->ow;
        for (int ox = 0; ox < p->ow; ox++) {
            int sx = xs[2 * ox], sx1 = xs[2 * ox + 1];
            float fx = xf[ox];
            float top = in0[sx] * (1.0f - fx) + in0[sx1] * fx;
            float bot = in1[sx] * (1.0f - fx) + in1[sx1] * fx;
            out[ox] = top * (1.0f - fy) + bot * fy;
        }
    }
    free(xs);
    free(xf);
}

static void nn_resize_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnResizeParams *p = params;
    grid[0] = (uint32_t)p->ow;
    grid[1] = (uint32_t)p->oh;
    grid[2] = (uint32_t)p->c;
}

const OpInfo op_info_nn_resize = {
    .name = "nn_resize",
    .num_tensors = 2,
    .params_size = sizeof(OpNnResizeParams),
    .rows = nn_resize_rows,
    .cpu = nn_resize_cpu,
    .grid = nn_resize_grid,
    .local = {16, 16, 1},
};

int op_nn_resize(Device *d, WeftTensor *in, WeftTensor *out)
{
    if (!in || !out || in == out || in->c != out->c)
        return -EINVAL;
    OpNnResizeParams p = {.c = in->c,
                          .h = in->h,
                          .w = in->w,
                          .oh = out->h,
                          .ow = out->w,
                          .scale_y = (float)((double)in->h / out->h),
                          .scale_x = (float)((double)in->w / out->w)};
    return device_run(d, &op_info_nn_resize, &p, (WeftTensor *[]){in, out});
}

#include <math.h>
#include <stdlib.h>

#include "ops/nn_conv_kernel.h" /* NN_SIMD_CLONES */
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

/* Row i of the input interpolated along x: h[ox] = in[sx] (1 - fx) + in[sx1] fx. */
static void lerp_columns(const float *in, const int *xs, const float *xf, int ow, float *h)
{
    for (int ox = 0; ox < ow; ox++) {
        int sx = xs[2 * ox], sx1 = xs[2 * ox + 1];
        float fx = xf[ox];
        h[ox] = in[sx] * (1.0f - fx) + in[sx1] * fx;
    }
}

NN_SIMD_CLONES static void lerp_rows(const float *restrict top, const float *restrict bot, float fy,
                                     int n, float *restrict out)
{
    for (int i = 0; i < n; i++)
        out[i] = top[i] * (1.0f - fy) + bot[i] * fy;
}

/* The column taps are worked out once per call (a run of rows); every input row the run
 * reads is interpolated along x once (an upsampling reads each from several output rows),
 * into a cache of two rows; then an output row is a vertical lerp of two of them, which
 * vectorises. Same arithmetic per pixel as a direct bilinear sample, so results do not
 * depend on how rows are split. */
static void nn_resize_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnResizeParams *p = params;
    const size_t in_plane = (size_t)p->h * p->w, out_plane = (size_t)p->oh * p->ow;
    int *xs = malloc((size_t)p->ow * 2 * sizeof(int));
    float *xf = malloc((size_t)p->ow * 3 * sizeof(float));
    if (!xs || !xf) {
        free(xs);
        free(xf);
        return;
    }
    for (int ox = 0; ox < p->ow; ox++) {
        coeff(ox, p->scale_x, p->w, &xs[2 * ox], &xf[ox]);
        xs[2 * ox + 1] = xs[2 * ox] + 1 < p->w ? xs[2 * ox] + 1 : xs[2 * ox];
    }
    float *cache[2] = {xf + p->ow, xf + 2 * (size_t)p->ow};
    long cached[2] = {-1, -1}; /* c * h + input row held by each cache row */
    int next = 0;
    for (int row = r0; row < r1; row++) {
        int c = row / p->oh, oy = row % p->oh, sy;
        float fy;
        coeff(oy, p->scale_y, p->h, &sy, &fy);
        int sy1 = sy + 1 < p->h ? sy + 1 : sy;
        const float *hx[2];
        for (int k = 0; k < 2; k++) {
            long key = (long)c * p->h + (k ? sy1 : sy);
            int slot = cached[0] == key ? 0 : cached[1] == key ? 1 : -1;
            if (slot < 0) {
                /* replace the row the other tap does not use */
                slot = k == 1 && hx[0] == cache[next] ? 1 - next : next;
                lerp_columns(t[0]->host + (size_t)c * in_plane + (size_t)(k ? sy1 : sy) * p->w, xs,
                             xf, p->ow, cache[slot]);
                cached[slot] = key;
                next = 1 - slot;
            }
            hx[k] = cache[slot];
        }
        lerp_rows(hx[0], hx[1], fy, p->ow, t[1]->host + (size_t)c * out_plane + (size_t)oy * p->ow);
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

/* The op and its texel-input variant (shaders/nn_resize.comp built with TEXEL_INPUTS, for
 * CPU-hosted drivers) differ only in name and binding types. */
#define NN_RESIZE_INFO(NAME, TEXELS, HALVES)                                                       \
    {                                                                                              \
        .name = NAME, .num_tensors = 2, .params_size = sizeof(OpNnResizeParams),                   \
        .rows = nn_resize_rows, .cpu = nn_resize_cpu, .grid = nn_resize_grid,                      \
        .local = {16, 16, 1}, .texel_tensors = TEXELS, .half_tensors = HALVES,                     \
    }

const OpInfo op_info_nn_resize = NN_RESIZE_INFO("nn_resize", 0, 0);
const OpInfo op_info_nn_resize_f16 = NN_RESIZE_INFO("nn_resize_f16", 0, 3u);
const OpInfo op_info_nn_resize_tx = NN_RESIZE_INFO("nn_resize_tx", 1u << 0, 0);
const OpInfo op_info_nn_resize_tx_f16 = NN_RESIZE_INFO("nn_resize_tx_f16", 1u << 0, 3u); /* input */

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
    return device_run(d,
                      op_variant(d->cpu_hosted, out->type == TENSOR_F16, &op_info_nn_resize,
                                 &op_info_nn_resize_tx, &op_info_nn_resize_f16,
                                 &op_info_nn_resize_tx_f16),
                      &p, (WeftTensor *[]){in, out});
}

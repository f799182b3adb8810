#include <math.h>

#include "ops/anime_warp.h"
#include "ops/op_inline.h"

#define ANIME_MAX_CHANNELS 4

static int anime_warp_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpAnimeWarpParams *)params)->h;
}

/* The point of the source frame that `flow` scaled by s carries to (x, y); its residual.
 * Of the start and the iterates, the one with the smallest residual: where the flow is
 * discontinuous (an object's edge) the iteration can settle into a 2-cycle instead of
 * converging, and the last iterate is then only whichever side the count ends on. */
static inline float invert_flow(const float *flow, size_t plane, int w, int h, int x, int y,
                                float s, int iterations, float *px, float *py)
{
    const float *u = flow, *v = flow + plane;
    size_t i = (size_t)y * w + x;
    float sx = x - s * u[i], sy = y - s * v[i];
    float fu = bilinear_clamped(u, sx, sy, w, h), fv = bilinear_clamped(v, sx, sy, w, h);
    float rx = sx + s * fu - x, ry = sy + s * fv - y;
    float best = rx * rx + ry * ry, bx = sx, by = sy;
    for (int k = 0; k < iterations; k++) {
        sx = x - s * fu;
        sy = y - s * fv;
        fu = bilinear_clamped(u, sx, sy, w, h);
        fv = bilinear_clamped(v, sx, sy, w, h);
        rx = sx + s * fu - x;
        ry = sy + s * fv - y;
        float r2 = rx * rx + ry * ry;
        if (r2 < best) {
            best = r2;
            bx = sx;
            by = sy;
        }
    }
    *px = bx;
    *py = by;
    return sqrtf(best);
}

static void anime_warp_cpu(const void *params, WeftTensor *const *t, int y0, int y1)
{
    const OpAnimeWarpParams *p = params;
    const int w = p->w, h = p->h, c = p->c;
    const size_t plane = (size_t)w * h;
    const float *a = t[0]->host, *b = t[1]->host, *fwd = t[2]->host, *bwd = t[3]->host;
    const float *occ_a = t[4]->host, *occ_b = t[5]->host;
    float *out = t[6]->host;
    for (int y = y0; y < y1; y++) {
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float ya_x, ya_y, zb_x, zb_y;
            float res_a = invert_flow(fwd, plane, w, h, x, y, p->t, p->iterations, &ya_x, &ya_y);
            float res_b =
                invert_flow(bwd, plane, w, h, x, y, 1.0f - p->t, p->iterations, &zb_x, &zb_y);
            float d = 0.0f;
            for (int ch = 0; ch < c; ch++) {
                float va = bilinear_clamped(a + ch * plane, ya_x, ya_y, w, h);
                float vb = bilinear_clamped(b + ch * plane, zb_x, zb_y, w, h);
                out[ch * plane + i] = va;
                out[(c + ch) * plane + i] = vb;
                d = fmaxf(d, fabsf(va - vb));
            }
            float oa = bilinear_clamped(occ_a, ya_x, ya_y, w, h),
                  ob = bilinear_clamped(occ_b, zb_x, zb_y, w, h);
            float ca = (1.0f - p->t) * ((1.0f - oa) / (1.0f + res_a * res_a) + 1e-3f);
            float cb = p->t * ((1.0f - ob) / (1.0f + res_b * res_b) + 1e-3f);
            float q = d / p->sel;
            float agree = expf(-q * q);
            float pick = 1.0f / (1.0f + expf(-p->sharp * (ca - cb) / (ca + cb)));
            out[2 * c * plane + i] = agree * ca / (ca + cb) + (1.0f - agree) * pick;
        }
    }
}

static void anime_warp_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpAnimeWarpParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_anime_warp = {
    .name = "anime_warp",
    .num_tensors = 7,
    .params_size = sizeof(OpAnimeWarpParams),
    .rows = anime_warp_rows,
    .cpu = anime_warp_cpu,
    .grid = anime_warp_grid,
    .local = {16, 16, 1},
};

int op_anime_warp(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd,
                  WeftTensor *occ_a, WeftTensor *occ_b, const OpAnimeWarpParams *p,
                  WeftTensor *warped)
{
    if (!a || !b || !fwd || !bwd || !occ_a || !occ_b || !p || !warped)
        return -EINVAL;
    const int c = a->c, h = a->h, w = a->w;
    if (c < 1 || c > ANIME_MAX_CHANNELS || b->c != c || b->h != h || b->w != w || fwd->c != 2 ||
        fwd->h != h || fwd->w != w || bwd->c != 2 || bwd->h != h || bwd->w != w || occ_a->c != 1 ||
        occ_a->h != h || occ_a->w != w || occ_b->c != 1 || occ_b->h != h || occ_b->w != w ||
        warped->c != 2 * c + 1 || warped->h != h || warped->w != w || p->iterations < 0 ||
        !(p->t > 0.0f && p->t < 1.0f) || !(p->sel > 0.0f) || !(p->sharp > 0.0f))
        return -EINVAL;
    OpAnimeWarpParams q = *p;
    q.c = c;
    q.h = h;
    q.w = w;
    return device_run(d, &op_info_anime_warp, &q,
                      (WeftTensor *[]){a, b, fwd, bwd, occ_a, occ_b, warped});
}

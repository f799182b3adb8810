#include <math.h>
#include <string.h>

#include "ops/warp_homography.h"

static int warp_homography_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpWarpHomographyParams *)params)->oh;
}

static void warp_homography_cpu(const void *params, WeftTensor *const *t, int y0, int y1)
{
    const OpWarpHomographyParams *p = params;
    const int w = p->w, h = p->h, ow = p->ow;
    const size_t plane = (size_t)w * h, out_plane = (size_t)ow * p->oh;
    const float *src = t[0]->host, *m = p->m;
    float *dst = t[1]->host, *coverage = t[2]->host;
    for (int y = y0; y < y1; y++) {
        for (int x = 0; x < ow; x++) {
            size_t o = (size_t)y * ow + x;
            if (p->mode != WARP_HOMOGRAPHY_ALL && coverage[o] >= 1.0f)
                continue;
            float fx = (float)x, fy = (float)y;
            float den = m[6] * fx + m[7] * fy + m[8];
            float sx = 0.5f * (float)(w - 1), sy = 0.5f * (float)(h - 1);
            int inside = 0;
            if (den > 0.0f) {
                sx = (m[0] * fx + m[1] * fy + m[2]) / den;
                sy = (m[3] * fx + m[4] * fy + m[5]) / den;
                inside =
                    sx >= -0.5f && sx <= (float)w - 0.5f && sy >= -0.5f && sy <= (float)h - 0.5f;
            }
            if (p->mode == WARP_HOMOGRAPHY_HOLES && !inside)
                continue;
            float a = inside ? 1.0f : 0.0f;
            if (inside && p->feather > 0.0f) {
                float reach = fminf(fminf(sx + 0.5f, (float)w - 0.5f - sx),
                                    fminf(sy + 0.5f, (float)h - 0.5f - sy));
                a = fminf(reach / p->feather, 1.0f);
            }
            const float cov = coverage[o], b = (1.0f - cov) * a;
            if (p->mode == WARP_HOMOGRAPHY_HOLES && !(b > 0.0f))
                continue; /* on the source's very edge: nothing to add */
            sx = fminf(fmaxf(sx, 0.0f), (float)(w - 1));
            sy = fminf(fmaxf(sy, 0.0f), (float)(h - 1));
            int x0 = (int)sx, yi = (int)sy;
            int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1i = yi + 1 < h ? yi + 1 : h - 1;
            float ax = sx - (float)x0, ay = sy - (float)yi;
            for (int c = 0; c < p->c; c++) {
                const float *s = src + c * plane;
                float v00 = s[(size_t)yi * w + x0], v01 = s[(size_t)yi * w + x1];
                float v10 = s[(size_t)y1i * w + x0], v11 = s[(size_t)y1i * w + x1];
                float top = v00 + ax * (v01 - v00), bot = v10 + ax * (v11 - v10);
                float v = top + ay * (bot - top);
                float *out = &dst[c * out_plane + o];
                if (p->mode == WARP_HOMOGRAPHY_ALL)
                    *out = v;
                else if (p->mode == WARP_HOMOGRAPHY_HOLES)
                    *out = (cov * *out + b * v) / (cov + b);
                else
                    *out = cov * *out + (1.0f - cov) * v;
            }
            if (p->mode == WARP_HOMOGRAPHY_ALL)
                coverage[o] = a;
            else if (p->mode == WARP_HOMOGRAPHY_HOLES)
                coverage[o] = cov + b;
        }
    }
}

static void warp_homography_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpWarpHomographyParams *p = params;
    grid[0] = (uint32_t)p->ow;
    grid[1] = (uint32_t)p->oh;
    grid[2] = 1;
}

const OpInfo op_info_warp_homography = {
    .name = "warp_homography",
    .num_tensors = 3,
    .params_size = sizeof(OpWarpHomographyParams),
    .rows = warp_homography_rows,
    .cpu = warp_homography_cpu,
    .grid = warp_homography_grid,
    .local = {16, 16, 1},
};

int op_warp_homography(Device *d, WeftTensor *src, WeftTensor *dst, WeftTensor *coverage,
                       const float m[9], int mode, float feather)
{
    if (!src || !dst || !coverage || !m || dst->c != src->c || coverage->c != 1 ||
        coverage->h != dst->h || coverage->w != dst->w || mode < WARP_HOMOGRAPHY_ALL ||
        mode > WARP_HOMOGRAPHY_EDGE || !(feather >= 0.0f))
        return -EINVAL;
    OpWarpHomographyParams p = {
        .c = src->c, .h = src->h, .w = src->w, .oh = dst->h, .ow = dst->w, .mode = mode,
        .feather = feather};
    memcpy(p.m, m, sizeof(p.m));
    return device_run(d, &op_info_warp_homography, &p, (WeftTensor *[]){src, dst, coverage});
}

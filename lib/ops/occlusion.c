#include <math.h>

#include "ops/occlusion.h"
#include "ops/op_inline.h"

static int occlusion_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpOcclusionParams *)params)->h;
}

static void occlusion_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpOcclusionParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *fu = t[0]->host, *fv = t[0]->host + plane;
    const float *bu = t[1]->host, *bv = t[1]->host + plane;
    float *out = t[2]->host;
    for (int y = r0; y < r1; y++) {
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            const float u = fu[i], v = fv[i];
            float sx = x + u, sy = y + v;
            if (!(sx >= 0.0f && sx <= (float)(w - 1) && sy >= 0.0f && sy <= (float)(h - 1))) {
                out[i] = 1.0f;
                continue;
            }
            int x0 = (int)sx, y0 = (int)sy;
            int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
            float fx = sx - x0, fy = sy - y0;
            size_t a = (size_t)y0 * w + x0, b = (size_t)y0 * w + x1;
            size_t c = (size_t)y1 * w + x0, e = (size_t)y1 * w + x1;
            float gt = bu[a] + fx * (bu[b] - bu[a]), gb = bu[c] + fx * (bu[e] - bu[c]);
            float g = gt + fy * (gb - gt);
            float ht = bv[a] + fx * (bv[b] - bv[a]), hb = bv[c] + fx * (bv[e] - bv[c]);
            float hv = ht + fy * (hb - ht);
            float d2 = (u + g) * (u + g) + (v + hv) * (v + hv);
            float thr = p->rel * (u * u + v * v + g * g + hv * hv) + p->abs_sq;
            out[i] = clampf((d2 - thr) / thr, 0.0f, 1.0f);
        }
    }
}

static void occlusion_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpOcclusionParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_occlusion = {
    .name = "occlusion",
    .num_tensors = 3,
    .params_size = sizeof(OpOcclusionParams),
    .rows = occlusion_rows,
    .cpu = occlusion_cpu,
    .grid = occlusion_grid,
    .local = {16, 16, 1},
};

int op_occlusion(Device *d, WeftTensor *fwd, WeftTensor *bwd, float rel, float abs_sq,
                 WeftTensor *out)
{
    if (!fwd || !bwd || !out || fwd->c != 2 || bwd->c != 2 || out->c != 1 || bwd->h != fwd->h ||
        bwd->w != fwd->w || out->h != fwd->h || out->w != fwd->w || rel < 0.0f || !(abs_sq > 0.0f))
        return -EINVAL;
    OpOcclusionParams p = {.h = fwd->h, .w = fwd->w, .rel = rel, .abs_sq = abs_sq};
    return device_run(d, &op_info_occlusion, &p, (WeftTensor *[]){fwd, bwd, out});
}

#include <math.h>

#include "ops/anime_tiles.h"
#include "ops/op_inline.h"

static int anime_tiles_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpAnimeTilesParams *)params)->th;
}

static void anime_tiles_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpAnimeTilesParams *p = params;
    const int w = p->w, h = p->h, c = p->c, n = p->tile;
    const size_t plane = (size_t)w * h, tplane = (size_t)p->tw * p->th;
    const float *a = t[0]->host, *b = t[1]->host, *warped = t[2]->host;
    float *out = t[3]->host;
    const float inv_c = 1.0f / c;
    for (int ty = r0; ty < r1; ty++) {
        for (int tx = 0; tx < p->tw; tx++) {
            int ye = (ty + 1) * n < h ? (ty + 1) * n : h, xe = (tx + 1) * n < w ? (tx + 1) * n : w;
            float ew = 0, eb = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            for (int y = ty * n; y < ye; y++) {
                for (int x = tx * n; x < xe; x++) {
                    size_t i = (size_t)y * w + x;
                    float dw = 0, db = 0, ma = 0, mb = 0;
                    for (int ch = 0; ch < c; ch++) {
                        float va = a[ch * plane + i], vb = b[ch * plane + i];
                        dw =
                            fmaxf(dw, fabsf(warped[ch * plane + i] - warped[(c + ch) * plane + i]));
                        db = fmaxf(db, fabsf(va - vb));
                        ma += va;
                        mb += vb;
                    }
                    ma *= inv_c;
                    mb *= inv_c;
                    ew += dw;
                    eb += db;
                    sa += ma;
                    sb += mb;
                    saa += ma * ma;
                    sbb += mb * mb;
                    sab += ma * mb;
                }
            }
            float count = (float)((ye - ty * n) * (xe - tx * n));
            ew /= count;
            eb /= count;
            float mean_a = sa / count, mean_b = sb / count;
            float var_a = fmaxf(saa / count - mean_a * mean_a, 0.0f);
            float var_b = fmaxf(sbb / count - mean_b * mean_b, 0.0f);
            float cov = sab / count - mean_a * mean_b;
            float ncc = (cov + 1e-4f) / sqrtf((var_a + 1e-4f) * (var_b + 1e-4f));
            size_t o = (size_t)ty * p->tw + tx;
            out[o] = fmaxf(clampf((eb - ew) / (eb + 1e-3f) * p->slope, 0.0f, 1.0f),
                           clampf(1.0f - ew / p->agree, 0.0f, 1.0f));
            out[tplane + o] = clampf((ncc - 0.2f) / 0.5f, 0.0f, 1.0f);
        }
    }
}

static void anime_tiles_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpAnimeTilesParams *p = params;
    grid[0] = (uint32_t)p->tw;
    grid[1] = (uint32_t)p->th;
    grid[2] = 1;
}

const OpInfo op_info_anime_tiles = {
    .name = "anime_tiles",
    .num_tensors = 4,
    .params_size = sizeof(OpAnimeTilesParams),
    .rows = anime_tiles_rows,
    .cpu = anime_tiles_cpu,
    .grid = anime_tiles_grid,
    .local = {8, 8, 1},
};

int op_anime_tiles(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *warped, int tile,
                   float slope, float agree, WeftTensor *tiles)
{
    if (!a || !b || !warped || !tiles || tile < 1 || !(slope > 0.0f) || !(agree > 0.0f))
        return -EINVAL;
    const int c = a->c, h = a->h, w = a->w;
    const int th = (h + tile - 1) / tile, tw = (w + tile - 1) / tile;
    if (b->c != c || b->h != h || b->w != w || warped->c != 2 * c + 1 || warped->h != h ||
        warped->w != w || tiles->c != 2 || tiles->h != th || tiles->w != tw)
        return -EINVAL;
    OpAnimeTilesParams p = {
        .c = c, .h = h, .w = w, .tile = tile, .tw = tw, .th = th, .slope = slope, .agree = agree};
    return device_run(d, &op_info_anime_tiles, &p, (WeftTensor *[]){a, b, warped, tiles});
}

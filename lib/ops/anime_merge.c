#include <math.h>

#include "ops/anime_merge.h"
#include "ops/op_inline.h"

static int anime_merge_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpAnimeMergeParams *)params)->h;
}

/* How far a source pixel is from blank paper: 1 - its darkest colour channel, times its
 * alpha when it has one (4 channels: the last is alpha). */
static inline float source_ink(const float *src, size_t plane, size_t i, int c)
{
    const int colours = c == 4 ? 3 : c;
    float lowest = src[i];
    for (int ch = 1; ch < colours; ch++)
        lowest = fminf(lowest, src[ch * plane + i]);
    return (1.0f - lowest) * (c == 4 ? src[3 * plane + i] : 1.0f);
}

static void anime_merge_cpu(const void *params, WeftTensor *const *t, int y0, int y1)
{
    const OpAnimeMergeParams *p = params;
    const int w = p->w, h = p->h, c = p->c, tw = p->tw, th = p->th;
    const size_t plane = (size_t)w * h, tplane = (size_t)tw * th;
    const float *a = t[0]->host, *b = t[1]->host, *warped = t[2]->host, *tiles = t[3]->host;
    float *out = t[4]->host;
    const float inv_tile = 1.0f / p->tile;
    for (int y = y0; y < y1; y++) {
        float gy = clampf((y + 0.5f) * inv_tile - 0.5f, 0.0f, (float)(th - 1));
        int ty0 = (int)gy, ty1 = ty0 + 1 < th ? ty0 + 1 : th - 1;
        float fy = gy - ty0;
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float gx = clampf((x + 0.5f) * inv_tile - 0.5f, 0.0f, (float)(tw - 1));
            int tx0 = (int)gx, tx1 = tx0 + 1 < tw ? tx0 + 1 : tw - 1;
            float fx = gx - tx0;
            float g[2];
            for (int k = 0; k < 2; k++) {
                const float *r0 = tiles + k * tplane + (size_t)ty0 * tw;
                const float *r1 = tiles + k * tplane + (size_t)ty1 * tw;
                float top = r0[tx0] + fx * (r0[tx1] - r0[tx0]);
                float bot = r1[tx0] + fx * (r1[tx1] - r1[tx0]);
                g[k] = top + fy * (bot - top);
            }
            const float trust = g[0], fade = g[1], keep_a = warped[2 * c * plane + i];
            float da = 0.0f, db = 0.0f;
            for (int ch = 0; ch < c; ch++) {
                size_t j = ch * plane + i;
                float warp = keep_a * warped[j] + (1.0f - keep_a) * warped[c * plane + j];
                da = fmaxf(da, fabsf(a[j] - warp));
                db = fmaxf(db, fabsf(b[j] - warp));
            }
            db -= p->ink * source_ink(b, plane, i, c);
            da -= p->ink * source_ink(a, plane, i, c);
            const float hold_a =
                1.0f / (1.0f + expf(-p->sharp * ((1.0f - p->t) * db - p->t * da)));
            for (int ch = 0; ch < c; ch++) {
                size_t j = ch * plane + i;
                float warp = keep_a * warped[j] + (1.0f - keep_a) * warped[c * plane + j];
                float cross = (1.0f - p->t) * a[j] + p->t * b[j];
                float hold = hold_a * a[j] + (1.0f - hold_a) * b[j];
                float fallback = fade * cross + (1.0f - fade) * hold;
                out[j] = trust * warp + (1.0f - trust) * fallback;
            }
        }
    }
}

static void anime_merge_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpAnimeMergeParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_anime_merge = {
    .name = "anime_merge",
    .num_tensors = 5,
    .params_size = sizeof(OpAnimeMergeParams),
    .rows = anime_merge_rows,
    .cpu = anime_merge_cpu,
    .grid = anime_merge_grid,
    .local = {16, 16, 1},
};

int op_anime_merge(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *warped, WeftTensor *tiles,
                   int tile, float t, float sharp, float ink, WeftTensor *out)
{
    if (!a || !b || !warped || !tiles || !out || tile < 1 || !(t > 0.0f && t < 1.0f) ||
        !(sharp > 0.0f) || !(ink >= 0.0f))
        return -EINVAL;
    const int c = a->c, h = a->h, w = a->w;
    const int th = (h + tile - 1) / tile, tw = (w + tile - 1) / tile;
    if (b->c != c || b->h != h || b->w != w || warped->c != 2 * c + 1 || warped->h != h ||
        warped->w != w || tiles->c != 2 || tiles->h != th || tiles->w != tw || out->c != c ||
        out->h != h || out->w != w)
        return -EINVAL;
    OpAnimeMergeParams p = {
        .c = c, .h = h, .w = w, .tile = tile, .tw = tw, .th = th, .t = t, .sharp = sharp, .ink = ink};
    return device_run(d, &op_info_anime_merge, &p, (WeftTensor *[]){a, b, warped, tiles, out});
}

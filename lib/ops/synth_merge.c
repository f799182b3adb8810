#include <math.h>

#include "ops/op_inline.h"
#include "ops/synth_merge.h"

#define SYNTH_MAX_CHANNELS 4

static int synth_merge_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpSynthMergeParams *)params)->h;
}

/* Bilinear tap set of a clamped position. */
typedef struct Tap {
    size_t i00, i01, i10, i11;
    float w00, w01, w10, w11;
} Tap;

static inline Tap tap_at(float x, float y, int w, int h)
{
    x = clampf(x, 0.0f, (float)(w - 1));
    y = clampf(y, 0.0f, (float)(h - 1));
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
    float fx = x - x0, fy = y - y0;
    Tap k = {(size_t)y0 * w + x0, (size_t)y0 * w + x1, (size_t)y1 * w + x0, (size_t)y1 * w + x1,
             (1 - fx) * (1 - fy), fx * (1 - fy),       (1 - fx) * fy,       fx * fy};
    return k;
}

static inline float tap_read(const Tap *k, const float *plane)
{
    return k->w00 * plane[k->i00] + k->w01 * plane[k->i01] + k->w10 * plane[k->i10] +
           k->w11 * plane[k->i11];
}

/* Keys' cubic convolution weights (a = -0.5) for fraction f of the 4 taps -1, 0, 1, 2. */
static inline void cubic_weights(float f, float k[4])
{
    const float f2 = f * f, f3 = f2 * f;
    k[0] = -0.5f * f3 + f2 - 0.5f * f;
    k[1] = 1.5f * f3 - 2.5f * f2 + 1.0f;
    k[2] = -1.5f * f3 + 2.0f * f2 + 0.5f * f;
    k[3] = 0.5f * f3 - 0.5f * f2;
}

/* Bicubic sample of every channel at (x, y) (clamped taps), added with weight wt. */
static inline void add_cubic(const float *src, size_t plane, int channels, int w, int h, float x,
                             float y, float wt, float *acc)
{
    x = clampf(x, 0.0f, (float)(w - 1));
    y = clampf(y, 0.0f, (float)(h - 1));
    const int x0 = (int)x, y0 = (int)y;
    float kx[4], ky[4];
    cubic_weights(x - x0, kx);
    cubic_weights(y - y0, ky);
    size_t rows[4];
    int cols[4];
    for (int j = 0; j < 4; j++) {
        int yy = y0 - 1 + j, xx = x0 - 1 + j;
        rows[j] = (size_t)(yy < 0 ? 0 : yy > h - 1 ? h - 1 : yy) * w;
        cols[j] = xx < 0 ? 0 : xx > w - 1 ? w - 1 : xx;
    }
    for (int c = 0; c < channels; c++) {
        const float *s = src + c * plane;
        float sum = 0.0f;
        for (int j = 0; j < 4; j++) {
            const float *r = s + rows[j];
            sum += ky[j] * (kx[0] * r[cols[0]] + kx[1] * r[cols[1]] + kx[2] * r[cols[2]] +
                            kx[3] * r[cols[3]]);
        }
        acc[c] += wt * sum;
    }
}

/* Solves p + s flow(p) = (x, y) from a start; returns the score, the point and res. */
static float solve_side(const float *fu, const float *fv, const float *occ, int w, int h, float x,
                        float y, float s, float px, float py, int iterations, float occ_weight,
                        float *ox, float *oy, float *ores, Tap *otap)
{
    for (int it = 0; it < iterations; it++) {
        Tap k = tap_at(px, py, w, h);
        px = x - s * tap_read(&k, fu);
        py = y - s * tap_read(&k, fv);
    }
    Tap k = tap_at(px, py, w, h);
    float rx = px + s * tap_read(&k, fu) - x, ry = py + s * tap_read(&k, fv) - y;
    float res = sqrtf(rx * rx + ry * ry);
    *ox = px;
    *oy = py;
    *ores = res;
    *otap = k;
    /* occ == NULL: a single start, no ordering needed */
    return occ ? res + occ_weight * tap_read(&k, occ) : res;
}

static void synth_merge_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpSynthMergeParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *a = t[0]->host, *b = t[1]->host;
    const float *fu = t[2]->host, *fv = t[2]->host + plane;
    const float *bu = t[3]->host, *bv = t[3]->host + plane;
    const float *occ_a = t[4]->host, *occ_b = t[5]->host;
    float *out = t[6]->host;
    const float ta = p->t, tb = 1.0f - p->t;
    for (int y = r0; y < r1; y++) {
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            const float fx = (float)x, fy = (float)y;
            float ya_x, ya_y, res_a, yb_x, yb_y, res_b, cx = 0.0f, cy = 0.0f, cres = 0.0f;
            const int two = p->candidates > 1;
            Tap ka, kb, kc;
            /* side a: y + t fwd(y) = x */
            float sa = solve_side(fu, fv, two ? occ_a : NULL, w, h, fx, fy, ta, fx - ta * fu[i],
                                  fy - ta * fv[i], p->iterations, p->occ_weight, &ya_x, &ya_y,
                                  &res_a, &ka);
            if (two && solve_side(fu, fv, occ_a, w, h, fx, fy, ta, fx + ta * bu[i], fy + ta * bv[i],
                                  p->iterations, p->occ_weight, &cx, &cy, &cres, &kc) < sa) {
                ya_x = cx;
                ya_y = cy;
                res_a = cres;
                ka = kc;
            }
            /* side b: z + (1 - t) bwd(z) = x */
            float sb = solve_side(bu, bv, two ? occ_b : NULL, w, h, fx, fy, tb, fx - tb * bu[i],
                                  fy - tb * bv[i], p->iterations, p->occ_weight, &yb_x, &yb_y,
                                  &res_b, &kb);
            if (two && solve_side(bu, bv, occ_b, w, h, fx, fy, tb, fx + tb * fu[i], fy + tb * fv[i],
                                  p->iterations, p->occ_weight, &cx, &cy, &cres, &kc) < sb) {
                yb_x = cx;
                yb_y = cy;
                res_b = cres;
                kb = kc;
            }
            const float qa = res_a / p->res_scale, qb = res_b / p->res_scale;
            const float conf_a = 1.0f / (1.0f + qa * qa), conf_b = 1.0f / (1.0f + qb * qb);
            const float wa = tb * (conf_a * (1.0f - tap_read(&kb, occ_b)) + p->floor);
            const float wb = ta * (conf_b * (1.0f - tap_read(&ka, occ_a)) + p->floor);
            const float norm = 1.0f / (wa + wb), na = wa * norm, nb = wb * norm;
            float lin[SYNTH_MAX_CHANNELS], d2 = 0.0f;
            for (int c = 0; c < p->c; c++) {
                const float sa_c = tap_read(&ka, a + c * plane);
                const float sb_c = tap_read(&kb, b + c * plane);
                lin[c] = na * sa_c + nb * sb_c;
                d2 += (sa_c - sb_c) * (sa_c - sb_c);
            }
            if (p->cubic_sigma > 0.0f) {
                const float sharp = expf(-d2 / ((float)p->c * p->cubic_sigma * p->cubic_sigma));
                float cub[SYNTH_MAX_CHANNELS] = {0};
                add_cubic(a, plane, p->c, w, h, ya_x, ya_y, na, cub);
                add_cubic(b, plane, p->c, w, h, yb_x, yb_y, nb, cub);
                for (int c = 0; c < p->c; c++)
                    out[c * plane + i] = lin[c] + sharp * (cub[c] - lin[c]);
            } else {
                for (int c = 0; c < p->c; c++)
                    out[c * plane + i] = lin[c];
            }
        }
    }
}

static void synth_merge_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpSynthMergeParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_synth_merge = {
    .name = "synth_merge",
    .num_tensors = 7,
    .params_size = sizeof(OpSynthMergeParams),
    .rows = synth_merge_rows,
    .cpu = synth_merge_cpu,
    .grid = synth_merge_grid,
    .local = {16, 16, 1},
};

int op_synth_merge(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd,
                   WeftTensor *occ_a, WeftTensor *occ_b, const OpSynthMergeParams *params,
                   WeftTensor *out)
{
    if (!a || !b || !fwd || !bwd || !occ_a || !occ_b || !params || !out || b->c != a->c ||
        out->c != a->c || fwd->c != 2 || bwd->c != 2 || occ_a->c != 1 || occ_b->c != 1)
        return -EINVAL;
    WeftTensor *all[] = {b, fwd, bwd, occ_a, occ_b, out};
    for (int k = 0; k < 6; k++)
        if (all[k]->h != a->h || all[k]->w != a->w)
            return -EINVAL;
    if (!(params->t > 0.0f && params->t < 1.0f) || params->iterations < 0 ||
        params->candidates < 1 || params->candidates > 2 || !(params->floor > 0.0f) ||
        !(params->cubic_sigma >= 0.0f) || !(params->res_scale > 0.0f) || a->c > SYNTH_MAX_CHANNELS)
        return -EINVAL;
    OpSynthMergeParams p = *params;
    p.c = a->c;
    p.h = a->h;
    p.w = a->w;
    return device_run(d, &op_info_synth_merge, &p,
                      (WeftTensor *[]){a, b, fwd, bwd, occ_a, occ_b, out});
}

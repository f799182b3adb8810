#include <math.h>
#include <stdint.h>

#include "ops/op_inline.h"
#include "ops/synth_merge.h"

#define SYNTH_MAX_CHANNELS 4
/* Pixels of a row taken together: every step of the merge is a loop over a block, which the
 * compiler vectorises (the bilinear reads too, as gathers, where the ISA has them). */
#define SYNTH_BLOCK 64

static int synth_merge_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpSynthMergeParams *)params)->h;
}

/* Bilinear taps of a block of positions, clamped to the image: the index of the top-left
 * sample and the four weights. The right and lower neighbours are always the next column
 * and row: at the last column (row) the taps move one to the left (up) with fraction 1,
 * which weights the same samples as the clamped tap (0 * the extra sample, exactly), so
 * reading a plane needs one index per pixel; `one` and `row` give those neighbours'
 * offsets, 0 on an image one pixel wide (high). */
typedef struct Taps {
    int32_t i00[SYNTH_BLOCK];
    float w00[SYNTH_BLOCK], w01[SYNTH_BLOCK], w10[SYNTH_BLOCK], w11[SYNTH_BLOCK];
    int one, row;
} Taps;

OP_INLINE void taps_at(Taps *restrict k, const float *restrict px, const float *restrict py, int n,
                       int w, int h)
{
    const float xmax = (float)(w - 1), ymax = (float)(h - 1);
    const int x0max = w > 1 ? w - 2 : 0, y0max = h > 1 ? h - 2 : 0;
    k->one = w > 1;
    k->row = h > 1 ? w : 0;
    for (int j = 0; j < n; j++) {
        const float x = clampf(px[j], 0.0f, xmax), y = clampf(py[j], 0.0f, ymax);
        const int xi = (int)x, yi = (int)y;
        const int x0 = xi < x0max ? xi : x0max, y0 = yi < y0max ? yi : y0max;
        const float fx = x - (float)x0, fy = y - (float)y0;
        k->i00[j] = y0 * w + x0;
        k->w00[j] = (1 - fx) * (1 - fy);
        k->w01[j] = fx * (1 - fy);
        k->w10[j] = (1 - fx) * fy;
        k->w11[j] = fx * fy;
    }
}

OP_INLINE void taps_read(const Taps *restrict k, const float *restrict plane, float *restrict out,
                         int n)
{
    const float *restrict p01 = plane + k->one, *restrict p10 = plane + k->row,
                          *restrict p11 = p10 + k->one;
    for (int j = 0; j < n; j++) {
        const int i = k->i00[j];
        out[j] =
            k->w00[j] * plane[i] + k->w01[j] * p01[i] + k->w10[j] * p10[i] + k->w11[j] * p11[i];
    }
}

/* Keys' cubic convolution weights (a = -0.5) for fraction f of the 4 taps -1, 0, 1, 2. */
OP_INLINE void cubic_weights(float f, float k[4])
{
    const float f2 = f * f, f3 = f2 * f;
    k[0] = -0.5f * f3 + f2 - 0.5f * f;
    k[1] = 1.5f * f3 - 2.5f * f2 + 1.0f;
    k[2] = -1.5f * f3 + 2.0f * f2 + 0.5f * f;
    k[3] = 0.5f * f3 - 0.5f * f2;
}

/* Bicubic sample of every channel at (x, y) (clamped taps), added with weight wt. */
OP_INLINE void add_cubic(const float *src, size_t plane, int channels, int w, int h, float x,
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

/* One side of a block: the points q with q + s f(q) = (x, y) by the fixed-point iteration
 * q <- (x, y) - s f(q) from the start in (qx, qy), which ends holding them; res gets
 * |q + s f(q) - (x, y)| and k the taps of q. u and v are scratch. */
OP_INLINE void solve_block(const float *restrict fu, const float *restrict fv, int w, int h,
                           const float *restrict xs, float y, float s, int iterations,
                           float *restrict qx, float *restrict qy, float *restrict res,
                           Taps *restrict k, float *restrict u, float *restrict v, int n)
{
    for (int it = 0; it < iterations; it++) {
        taps_at(k, qx, qy, n, w, h);
        taps_read(k, fu, u, n);
        taps_read(k, fv, v, n);
        for (int j = 0; j < n; j++) {
            qx[j] = xs[j] - s * u[j];
            qy[j] = y - s * v[j];
        }
    }
    taps_at(k, qx, qy, n, w, h);
    taps_read(k, fu, u, n);
    taps_read(k, fv, v, n);
    for (int j = 0; j < n; j++) {
        const float rx = qx[j] + s * u[j] - xs[j], ry = qy[j] + s * v[j] - y;
        res[j] = sqrtf(rx * rx + ry * ry);
    }
}

/* Side of a block: solves from x - s f(x) and, with two candidates, also from x + s g(x),
 * keeping the start whose result scores lower (res + occ_weight occ(q)). f and g are the
 * row's own flow (f) and the other direction's (g); the result is in qx, qy, res, k. */
OP_INLINE void side_block(const OpSynthMergeParams *p, const float *restrict fu,
                          const float *restrict fv, const float *restrict occ,
                          const float *restrict f_row_u, const float *restrict f_row_v,
                          const float *restrict g_row_u, const float *restrict g_row_v,
                          const float *restrict xs, float y, float s, float *restrict qx,
                          float *restrict qy, float *restrict res, Taps *restrict k, int n)
{
    const int w = p->w, h = p->h;
    float u[SYNTH_BLOCK], v[SYNTH_BLOCK];
    for (int j = 0; j < n; j++) {
        qx[j] = xs[j] - s * f_row_u[j];
        qy[j] = y - s * f_row_v[j];
    }
    solve_block(fu, fv, w, h, xs, y, s, p->iterations, qx, qy, res, k, u, v, n);
    if (p->candidates < 2)
        return;
    float cx[SYNTH_BLOCK], cy[SYNTH_BLOCK], cres[SYNTH_BLOCK], score[SYNTH_BLOCK];
    Taps kc;
    taps_read(k, occ, score, n);
    for (int j = 0; j < n; j++) {
        score[j] = res[j] + p->occ_weight * score[j];
        cx[j] = xs[j] + s * g_row_u[j];
        cy[j] = y + s * g_row_v[j];
    }
    solve_block(fu, fv, w, h, xs, y, s, p->iterations, cx, cy, cres, &kc, u, v, n);
    taps_read(&kc, occ, u, n);
    for (int j = 0; j < n; j++) {
        const int take = cres[j] + p->occ_weight * u[j] < score[j];
        qx[j] = take ? cx[j] : qx[j];
        qy[j] = take ? cy[j] : qy[j];
        res[j] = take ? cres[j] : res[j];
    }
    taps_at(k, qx, qy, n, w, h);
}

/* The taps m of the points q + f(q) (f read with q's taps k): where q's own flow puts it in
 * the other frame. mx, my are scratch. */
OP_INLINE void match_taps(const Taps *restrict k, const float *restrict fu,
                          const float *restrict fv, const float *restrict qx,
                          const float *restrict qy, int w, int h, Taps *restrict m,
                          float *restrict mx, float *restrict my, int n)
{
    taps_read(k, fu, mx, n);
    taps_read(k, fv, my, n);
    for (int j = 0; j < n; j++) {
        mx[j] += qx[j];
        my[j] += qy[j];
    }
    taps_at(m, mx, my, n, w, h);
}

OP_MULTIVERSION static void synth_merge_cpu(const void *params, WeftTensor *const *t, int r0,
                                            int r1)
{
    const OpSynthMergeParams *p = params;
    const int w = p->w, h = p->h, channels = p->c;
    const size_t plane = (size_t)w * h;
    const float *a = t[0]->host, *b = t[1]->host;
    const float *fu = t[2]->host, *fv = t[2]->host + plane;
    const float *bu = t[3]->host, *bv = t[3]->host + plane;
    const float *occ_a = t[4]->host, *occ_b = t[5]->host;
    float *out = t[6]->host;
    const float ta = p->t, tb = 1.0f - p->t;
    float xs[SYNTH_BLOCK], ax[SYNTH_BLOCK], ay[SYNTH_BLOCK], ares[SYNTH_BLOCK];
    float bx[SYNTH_BLOCK], by[SYNTH_BLOCK], bres[SYNTH_BLOCK];
    float na[SYNTH_BLOCK], nb[SYNTH_BLOCK], d2[SYNTH_BLOCK], pa[SYNTH_BLOCK], pb[SYNTH_BLOCK];
    float mx[SYNTH_BLOCK], my[SYNTH_BLOCK];
    /* each side's bilinear samples, per channel */
    float sa[SYNTH_MAX_CHANNELS][SYNTH_BLOCK], sb[SYNTH_MAX_CHANNELS][SYNTH_BLOCK];
    Taps ka, kb, kab = {0}, kba = {0}; /* kab, kba: only with photo_sigma > 0 */
    for (int y = r0; y < r1; y++) {
        const float fy = (float)y;
        for (int x0 = 0; x0 < w; x0 += SYNTH_BLOCK) {
            const int n = w - x0 < SYNTH_BLOCK ? w - x0 : SYNTH_BLOCK;
            const size_t i0 = (size_t)y * w + x0;
            for (int j = 0; j < n; j++)
                xs[j] = (float)(x0 + j);
            /* side a: y + t fwd(y) = x; side b: z + (1 - t) bwd(z) = x */
            side_block(p, fu, fv, occ_a, fu + i0, fv + i0, bu + i0, bv + i0, xs, fy, ta, ax, ay,
                       ares, &ka, n);
            side_block(p, bu, bv, occ_b, bu + i0, bv + i0, fu + i0, fv + i0, xs, fy, tb, bx, by,
                       bres, &kb, n);
            /* photometric check of each side's point against its match in the other frame
             * (a(y) against b(y + fwd(y)), b(z) against a(z + bwd(z))) */
            const int photo = p->photo_sigma > 0.0f;
            if (photo) {
                match_taps(&ka, fu, fv, ax, ay, w, h, &kab, mx, my, n);
                match_taps(&kb, bu, bv, bx, by, w, h, &kba, mx, my, n);
            }
            for (int j = 0; j < n; j++) {
                d2[j] = 0.0f;
                pa[j] = 0.0f;
                pb[j] = 0.0f;
            }
            for (int c = 0; c < channels; c++) {
                float *restrict la = sa[c], *restrict lb = sb[c];
                taps_read(&ka, a + c * plane, la, n);
                taps_read(&kb, b + c * plane, lb, n);
                for (int j = 0; j < n; j++)
                    d2[j] += (la[j] - lb[j]) * (la[j] - lb[j]);
                if (photo) {
                    taps_read(&kab, b + c * plane, mx, n);
                    taps_read(&kba, a + c * plane, my, n);
                    for (int j = 0; j < n; j++) {
                        pa[j] += (la[j] - mx[j]) * (la[j] - mx[j]);
                        pb[j] += (lb[j] - my[j]) * (lb[j] - my[j]);
                    }
                }
            }
            taps_read(&kb, occ_b, mx, n);
            taps_read(&ka, occ_a, my, n);
            const float photo_scale =
                photo ? 1.0f / ((float)channels * p->photo_sigma * p->photo_sigma) : 0.0f;
            for (int j = 0; j < n; j++) {
                const float qa = ares[j] / p->res_scale, qb = bres[j] / p->res_scale;
                const float conf_a = 1.0f / (1.0f + qa * qa), conf_b = 1.0f / (1.0f + qb * qb);
                const float wa =
                    tb * (conf_a * (1.0f - mx[j]) + p->floor) * expf(-pa[j] * photo_scale);
                const float wb =
                    ta * (conf_b * (1.0f - my[j]) + p->floor) * expf(-pb[j] * photo_scale);
                const float norm = 1.0f / (wa + wb);
                na[j] = wa * norm;
                nb[j] = wb * norm;
            }
            for (int c = 0; c < channels; c++) {
                float *restrict o = out + c * plane + i0;
                for (int j = 0; j < n; j++)
                    o[j] = na[j] * sa[c][j] + nb[j] * sb[c][j];
            }
            if (p->cubic_sigma > 0.0f) {
                const float sigma_sq = (float)channels * p->cubic_sigma * p->cubic_sigma;
                for (int j = 0; j < n; j++) {
                    const float sharp = expf(-d2[j] / sigma_sq);
                    float cub[SYNTH_MAX_CHANNELS] = {0};
                    add_cubic(a, plane, channels, w, h, ax[j], ay[j], na[j], cub);
                    add_cubic(b, plane, channels, w, h, bx[j], by[j], nb[j], cub);
                    for (int c = 0; c < channels; c++) {
                        float *o = out + c * plane + i0 + j;
                        *o = *o + sharp * (cub[c] - *o);
                    }
                }
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
        !(params->cubic_sigma >= 0.0f) || !(params->photo_sigma >= 0.0f) ||
        !(params->res_scale > 0.0f) || a->c > SYNTH_MAX_CHANNELS)
        return -EINVAL;
    OpSynthMergeParams p = *params;
    p.c = a->c;
    p.h = a->h;
    p.w = a->w;
    return device_run(d, &op_info_synth_merge, &p,
                      (WeftTensor *[]){a, b, fwd, bwd, occ_a, occ_b, out});
}

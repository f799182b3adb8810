#include <math.h>

#include "ops/dis_search.h"
#include "ops/op_inline.h"

#define DIS_MAX_PATCH 16

int dis_grid_size(int h, int w, int patch_size, int stride, int *ph, int *pw)
{
    if (patch_size < 1 || patch_size > DIS_MAX_PATCH || stride < 1 || w < patch_size ||
        h < patch_size)
        return -EINVAL;
    *pw = (w - patch_size + stride - 1) / stride + 1;
    *ph = (h - patch_size + stride - 1) / stride + 1;
    return 0;
}

static int dis_search_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpDisSearchParams *)params)->ph;
}

typedef struct Patch {
    int px, py, n;
    float tmpl[DIS_MAX_PATCH * DIS_MAX_PATCH];
    float gx[DIS_MAX_PATCH * DIS_MAX_PATCH];
    float gy[DIS_MAX_PATCH * DIS_MAX_PATCH];
    float diff[DIS_MAX_PATCH * DIS_MAX_PATCH];
} Patch;

/* Fills patch->diff with the mean-normalised residual at u and returns its cost. */
static float patch_residual(Patch *pa, const float *i1, int w, int h, float u, float v)
{
    const int n = pa->n;
    float sum = 0.0f;
    int fast = pa->px + u >= 0.0f && pa->py + v >= 0.0f && pa->px + n - 1 + u < w - 1 &&
               pa->py + n - 1 + v < h - 1;
    if (fast) {
        /* the whole patch samples inside: one bilinear weight set for all its pixels */
        float fu = floorf(u), fv = floorf(v);
        int ix = pa->px + (int)fu, iy = pa->py + (int)fv;
        float fx = u - fu, fy = v - fv;
        float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        for (int y = 0; y < n; y++) {
            const float *r0 = i1 + (size_t)(iy + y) * w + ix, *r1 = r0 + w;
            for (int x = 0; x < n; x++) {
                float s = w00 * r0[x] + w01 * r0[x + 1] + w10 * r1[x] + w11 * r1[x + 1];
                float dval = s - pa->tmpl[y * n + x];
                pa->diff[y * n + x] = dval;
                sum += dval;
            }
        }
    } else {
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                float s = bilinear_clamped(i1, pa->px + x + u, pa->py + y + v, w, h);
                float dval = s - pa->tmpl[y * n + x];
                pa->diff[y * n + x] = dval;
                sum += dval;
            }
    }
    const float mean = sum / (float)(n * n);
    float cost = 0.0f;
    for (int k = 0; k < n * n; k++) {
        pa->diff[k] -= mean;
        cost += pa->diff[k] * pa->diff[k];
    }
    return cost;
}

static void dis_search_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpDisSearchParams *p = params;
    const int w = p->w, h = p->h, n = p->patch_size, pw = p->pw, ph = p->ph;
    const size_t plane = (size_t)w * h, pplane = (size_t)pw * ph;
    const float *i0 = t[0]->host, *i1 = t[1]->host, *prior = t[2]->host;
    const float *cand = p->use_candidates ? t[3]->host : NULL;
    float *out = t[4]->host;
    Patch pa;
    pa.n = n;
    for (int i = r0; i < r1; i++) {
        for (int j = 0; j < pw; j++) {
            pa.px = j * p->stride < w - n ? j * p->stride : w - n;
            pa.py = i * p->stride < h - n ? i * p->stride : h - n;
            /* template and its mean-free gradient */
            float mgx = 0.0f, mgy = 0.0f;
            for (int y = 0; y < n; y++) {
                int yy = pa.py + y;
                const float *row = i0 + (size_t)yy * w;
                const float *up = i0 + (size_t)(yy > 0 ? yy - 1 : yy) * w;
                const float *dn = i0 + (size_t)(yy < h - 1 ? yy + 1 : yy) * w;
                float sy = (yy > 0 && yy < h - 1) ? 0.5f : 1.0f;
                for (int x = 0; x < n; x++) {
                    int xx = pa.px + x;
                    int xl = xx > 0 ? xx - 1 : xx, xr = xx < w - 1 ? xx + 1 : xx;
                    float sx = (xx > 0 && xx < w - 1) ? 0.5f : 1.0f;
                    pa.tmpl[y * n + x] = row[xx];
                    pa.gx[y * n + x] = sx * (row[xr] - row[xl]);
                    pa.gy[y * n + x] = sy * (dn[xx] - up[xx]);
                    mgx += pa.gx[y * n + x];
                    mgy += pa.gy[y * n + x];
                }
            }
            mgx /= (float)(n * n);
            mgy /= (float)(n * n);
            float hxx = 1e-6f, hxy = 0.0f, hyy = 1e-6f;
            for (int k = 0; k < n * n; k++) {
                pa.gx[k] -= mgx;
                pa.gy[k] -= mgy;
                hxx += pa.gx[k] * pa.gx[k];
                hxy += pa.gx[k] * pa.gy[k];
                hyy += pa.gy[k] * pa.gy[k];
            }
            const float det = hxx * hyy - hxy * hxy;
            /* start: prior at the centre, then the candidates */
            size_t centre = (size_t)(pa.py + n / 2) * w + (size_t)(pa.px + n / 2);
            float u = prior[centre], v = prior[plane + centre];
            float best = patch_residual(&pa, i1, w, h, u, v);
            if (cand) {
                const int ci[5] = {i, i - 1, i + 1, i, i};
                const int cj[5] = {j, j, j, j - 1, j + 1};
                for (int k = 0; k < 5; k++) {
                    if (ci[k] < 0 || ci[k] >= ph || cj[k] < 0 || cj[k] >= pw)
                        continue;
                    size_t q = (size_t)ci[k] * pw + cj[k];
                    float cu = cand[q], cv = cand[pplane + q];
                    float cost = patch_residual(&pa, i1, w, h, cu, cv);
                    if (cost < best) {
                        best = cost;
                        u = cu;
                        v = cv;
                    }
                }
            }
            const float u_start = u, v_start = v, start_cost = best;
            float cost = start_cost;
            if (det > 1e-12f) {
                for (int it = 0; it < p->iterations; it++) {
                    if (it > 0)
                        cost = patch_residual(&pa, i1, w, h, u, v);
                    else
                        patch_residual(&pa, i1, w, h, u, v);
                    float bx = 0.0f, by = 0.0f;
                    for (int k = 0; k < n * n; k++) {
                        bx += pa.gx[k] * pa.diff[k];
                        by += pa.gy[k] * pa.diff[k];
                    }
                    float du = (hyy * bx - hxy * by) / det;
                    float dv = (hxx * by - hxy * bx) / det;
                    u -= du;
                    v -= dv;
                    if (du * du + dv * dv < 1e-4f)
                        break;
                }
                cost = patch_residual(&pa, i1, w, h, u, v);
            }
            float ddu = u - u_start, ddv = v - v_start;
            if (!(cost <= start_cost) || ddu * ddu + ddv * ddv > (float)(n * n)) {
                u = u_start;
                v = v_start;
            }
            out[(size_t)i * pw + j] = u;
            out[pplane + (size_t)i * pw + j] = v;
        }
    }
}

static void dis_search_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpDisSearchParams *p = params;
    grid[0] = (uint32_t)p->pw;
    grid[1] = (uint32_t)p->ph;
    grid[2] = 1;
}

const OpInfo op_info_dis_search = {
    .name = "dis_search",
    .num_tensors = 5,
    .params_size = sizeof(OpDisSearchParams),
    .rows = dis_search_rows,
    .cpu = dis_search_cpu,
    .grid = dis_search_grid,
    .local = {8, 8, 1},
};

int op_dis_search(Device *d, WeftTensor *i0, WeftTensor *i1, WeftTensor *prior,
                  WeftTensor *candidates, int patch_size, int stride, int iterations,
                  WeftTensor *out)
{
    int ph, pw;
    if (!i0 || !i1 || !prior || !out || i0->c != 1 || i1->c != 1 || i1->h != i0->h ||
        i1->w != i0->w || prior->c != 2 || prior->h != i0->h || prior->w != i0->w ||
        dis_grid_size(i0->h, i0->w, patch_size, stride, &ph, &pw) < 0 || out->c != 2 ||
        out->h != ph || out->w != pw || iterations < 0)
        return -EINVAL;
    if (candidates &&
        (candidates->c != 2 || candidates->h != ph || candidates->w != pw || candidates == out))
        return -EINVAL;
    OpDisSearchParams p = {.h = i0->h,
                           .w = i0->w,
                           .patch_size = patch_size,
                           .stride = stride,
                           .ph = ph,
                           .pw = pw,
                           .iterations = iterations,
                           .use_candidates = candidates != NULL};
    return device_run(d, &op_info_dis_search, &p,
                      (WeftTensor *[]){i0, i1, prior, candidates ? candidates : prior, out});
}

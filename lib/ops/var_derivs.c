#include "ops/var_derivs.h"
#include "ops/op_inline.h"

static int var_derivs_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpVarDerivsParams *)params)->h;
}

static void var_derivs_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpVarDerivsParams *p = params;
    const int w = p->w, h = p->h;
    const size_t plane = (size_t)w * h;
    const float *a = t[0]->host, *b = t[1]->host, *u = t[2]->host, *v = t[2]->host + plane;
    float *out = t[3]->host;
    const float k1 = 1.0f / 12.0f, k8 = 8.0f / 12.0f;
    for (int y = r0; y < r1; y++) {
        size_t rows[5];
        for (int j = 0; j < 5; j++)
            rows[j] = (size_t)clampi(y - 2 + j, 0, h - 1) * w;
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            const int xm2 = clampi(x - 2, 0, w - 1), xm1 = clampi(x - 1, 0, w - 1);
            const int xp1 = clampi(x + 1, 0, w - 1), xp2 = clampi(x + 2, 0, w - 1);
            const size_t c = rows[2];
            float ax = k1 * (a[c + xm2] - a[c + xp2]) + k8 * (a[c + xp1] - a[c + xm1]);
            float bx = k1 * (b[c + xm2] - b[c + xp2]) + k8 * (b[c + xp1] - b[c + xm1]);
            float ay =
                k1 * (a[rows[0] + x] - a[rows[4] + x]) + k8 * (a[rows[3] + x] - a[rows[1] + x]);
            float by =
                k1 * (b[rows[0] + x] - b[rows[4] + x]) + k8 * (b[rows[3] + x] - b[rows[1] + x]);
            float mc = a[c + x] + b[c + x];
            float mxx = 0.5f * (a[c + xm1] + b[c + xm1] + a[c + xp1] + b[c + xp1]) - mc;
            float myy =
                0.5f * (a[rows[1] + x] + b[rows[1] + x] + a[rows[3] + x] + b[rows[3] + x]) - mc;
            float mxy =
                0.125f *
                ((a[rows[3] + xp1] + b[rows[3] + xp1]) - (a[rows[3] + xm1] + b[rows[3] + xm1]) -
                 (a[rows[1] + xp1] + b[rows[1] + xp1]) + (a[rows[1] + xm1] + b[rows[1] + xm1]));
            float sx = x + u[i], sy = y + v[i];
            float valid = (sx >= 0.0f && sx <= (float)(w - 1) && sy >= 0.0f && sy <= (float)(h - 1))
                              ? 1.0f
                              : 0.0f;
            out[i] = valid * 0.5f * (ax + bx);
            out[plane + i] = valid * 0.5f * (ay + by);
            out[2 * plane + i] = valid * (b[c + x] - a[c + x]);
            out[3 * plane + i] = valid * mxx;
            out[4 * plane + i] = valid * mxy;
            out[5 * plane + i] = valid * myy;
            out[6 * plane + i] = valid * (bx - ax);
            out[7 * plane + i] = valid * (by - ay);
        }
    }
}

static void var_derivs_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpVarDerivsParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_var_derivs = {
    .name = "var_derivs",
    .num_tensors = 4,
    .params_size = sizeof(OpVarDerivsParams),
    .rows = var_derivs_rows,
    .cpu = var_derivs_cpu,
    .grid = var_derivs_grid,
    .local = {16, 16, 1},
};

int op_var_derivs(Device *d, WeftTensor *i0, WeftTensor *i1w, WeftTensor *flow, WeftTensor *out)
{
    if (!i0 || !i1w || !flow || !out || i0->c != 1 || i1w->c != 1 || flow->c != 2 || out->c != 8 ||
        i1w->h != i0->h || i1w->w != i0->w || flow->h != i0->h || flow->w != i0->w ||
        out->h != i0->h || out->w != i0->w)
        return -EINVAL;
    OpVarDerivsParams p = {.h = i0->h, .w = i0->w};
    return device_run(d, &op_info_var_derivs, &p, (WeftTensor *[]){i0, i1w, flow, out});
}

#include <math.h>

#include "ops/dis_densify.h"
#include "ops/dis_search.h"
#include "ops/op_inline.h"

static int dis_densify_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpDisDensifyParams *)params)->h;
}

/* Range of patch indices along one axis whose span [pos, pos + n) holds coordinate x. */
static void covering(int x, int n, int stride, int count, int size, int *first, int *last)
{
    int lo = x - n + 1 <= 0 ? 0 : (x - n + 1 + stride - 1) / stride;
    int hi = x / stride;
    if (hi > count - 1)
        hi = count - 1;
    /* the last patch is clamped to size - n and may cover x although hi < count - 1 */
    if (x >= size - n)
        hi = count - 1;
    if (lo > count - 1)
        lo = count - 1;
    *first = lo;
    *last = hi;
}

static void dis_densify_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpDisDensifyParams *p = params;
    const int w = p->w, h = p->h, n = p->patch_size, pw = p->pw, ph = p->ph;
    const size_t plane = (size_t)w * h, pplane = (size_t)pw * ph;
    const float *i0 = t[0]->host, *i1 = t[1]->host, *pf = t[2]->host;
    float *out = t[3]->host;
    for (int y = r0; y < r1; y++) {
        int ia, ib;
        covering(y, n, p->stride, ph, h, &ia, &ib);
        for (int x = 0; x < w; x++) {
            int ja, jb;
            covering(x, n, p->stride, pw, w, &ja, &jb);
            const float ref = i0[(size_t)y * w + x];
            float su = 0.0f, sv = 0.0f, sw = 0.0f;
            for (int i = ia; i <= ib; i++) {
                int py = i * p->stride < h - n ? i * p->stride : h - n;
                if (y < py || y >= py + n)
                    continue;
                for (int j = ja; j <= jb; j++) {
                    int px = j * p->stride < w - n ? j * p->stride : w - n;
                    if (x < px || x >= px + n)
                        continue;
                    size_t q = (size_t)i * pw + j;
                    float u = pf[q], v = pf[pplane + q];
                    float err = fabsf(bilinear_clamped(i1, x + u, y + v, w, h) - ref);
                    float wt = 1.0f / (err > 1.0f / 255.0f ? err : 1.0f / 255.0f);
                    su += wt * u;
                    sv += wt * v;
                    sw += wt;
                }
            }
            size_t o = (size_t)y * w + x;
            out[o] = sw > 0.0f ? su / sw : 0.0f;
            out[plane + o] = sw > 0.0f ? sv / sw : 0.0f;
        }
    }
}

static void dis_densify_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpDisDensifyParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

const OpInfo op_info_dis_densify = {
    .name = "dis_densify",
    .num_tensors = 4,
    .params_size = sizeof(OpDisDensifyParams),
    .rows = dis_densify_rows,
    .cpu = dis_densify_cpu,
    .grid = dis_densify_grid,
    .local = {16, 16, 1},
};

int op_dis_densify(Device *d, WeftTensor *i0, WeftTensor *i1, WeftTensor *patches, int patch_size,
                   int stride, WeftTensor *out)
{
    int ph, pw;
    if (!i0 || !i1 || !patches || !out || i0->c != 1 || i1->c != 1 || i1->h != i0->h ||
        i1->w != i0->w || dis_grid_size(i0->h, i0->w, patch_size, stride, &ph, &pw) < 0 ||
        patches->c != 2 || patches->h != ph || patches->w != pw || out->c != 2 || out->h != i0->h ||
        out->w != i0->w)
        return -EINVAL;
    OpDisDensifyParams p = {
        .h = i0->h, .w = i0->w, .patch_size = patch_size, .stride = stride, .ph = ph, .pw = pw};
    return device_run(d, &op_info_dis_densify, &p, (WeftTensor *[]){i0, i1, patches, out});
}

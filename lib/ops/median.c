#include "ops/median.h"
#include "ops/op_inline.h"

static int median_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpMedianParams *p = params;
    return p->c * p->h;
}

static void median_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpMedianParams *p = params;
    const int w = p->w, h = p->h, rad = p->radius, n = (2 * rad + 1) * (2 * rad + 1);
    float win[25];
    for (int r = r0; r < r1; r++) {
        const int c = r / h, y = r % h;
        const float *src = t[0]->host + (size_t)c * h * w;
        float *dst = t[1]->host + ((size_t)c * h + y) * w;
        for (int x = 0; x < w; x++) {
            int k = 0;
            for (int dy = -rad; dy <= rad; dy++) {
                const float *row = src + (size_t)clampi(y + dy, 0, h - 1) * w;
                for (int dx = -rad; dx <= rad; dx++) {
                    /* insertion sort as we go: n <= 25 */
                    float val = row[clampi(x + dx, 0, w - 1)];
                    int j = k++;
                    while (j > 0 && win[j - 1] > val) {
                        win[j] = win[j - 1];
                        j--;
                    }
                    win[j] = val;
                }
            }
            dst[x] = win[n / 2];
        }
    }
}

static void median_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpMedianParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = (uint32_t)p->c;
}

const OpInfo op_info_median = {
    .name = "median",
    .num_tensors = 2,
    .params_size = sizeof(OpMedianParams),
    .rows = median_rows,
    .cpu = median_cpu,
    .grid = median_grid,
    .local = {16, 16, 1},
};

int op_median(Device *d, WeftTensor *src, int radius, WeftTensor *dst)
{
    if (!src || !dst || src == dst || dst->c != src->c || dst->h != src->h || dst->w != src->w ||
        radius < 1 || radius > 2)
        return -EINVAL;
    OpMedianParams p = {.c = src->c, .h = src->h, .w = src->w, .radius = radius};
    return device_run(d, &op_info_median, &p, (WeftTensor *[]){src, dst});
}

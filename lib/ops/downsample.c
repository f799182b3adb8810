#include "ops/downsample.h"
#include "ops/op_inline.h"

static int downsample_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpDownsampleParams *p = params;
    return p->c * ((p->h + 1) / 2);
}

static void downsample_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpDownsampleParams *p = params;
    const int w = p->w, h = p->h, ow = (w + 1) / 2, oh = (h + 1) / 2;
    const float k[4] = {0.125f, 0.375f, 0.375f, 0.125f};
    for (int r = r0; r < r1; r++) {
        const int c = r / oh, y = r % oh;
        const float *src = t[0]->host + (size_t)c * h * w;
        float *dst = t[1]->host + ((size_t)c * oh + y) * ow;
        const float *rows[4];
        for (int j = 0; j < 4; j++)
            rows[j] = src + (size_t)clampi(2 * y - 1 + j, 0, h - 1) * w;
        /* interior: no clamping needed for 1 <= x, 2x + 2 <= w - 1 */
        for (int x = 0; x < ow; x++) {
            const int sx = 2 * x - 1;
            float acc = 0.0f;
            if (sx >= 0 && sx + 3 < w) {
                for (int j = 0; j < 4; j++)
                    acc += k[j] * (k[0] * rows[j][sx] + k[1] * rows[j][sx + 1] +
                                   k[2] * rows[j][sx + 2] + k[3] * rows[j][sx + 3]);
            } else {
                for (int j = 0; j < 4; j++) {
                    float s = 0.0f;
                    for (int i = 0; i < 4; i++)
                        s += k[i] * rows[j][clampi(sx + i, 0, w - 1)];
                    acc += k[j] * s;
                }
            }
            dst[x] = acc;
        }
    }
}

static void downsample_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpDownsampleParams *p = params;
    grid[0] = (uint32_t)((p->w + 1) / 2);
    grid[1] = (uint32_t)((p->h + 1) / 2);
    grid[2] = (uint32_t)p->c;
}

const OpInfo op_info_downsample = {
    .name = "downsample",
    .num_tensors = 2,
    .params_size = sizeof(OpDownsampleParams),
    .rows = downsample_rows,
    .cpu = downsample_cpu,
    .grid = downsample_grid,
    .local = {16, 16, 1},
};

int op_downsample(Device *d, WeftTensor *src, WeftTensor *dst)
{
    if (!src || !dst || dst->c != src->c || dst->h != (src->h + 1) / 2 ||
        dst->w != (src->w + 1) / 2)
        return -EINVAL;
    OpDownsampleParams p = {.c = src->c, .h = src->h, .w = src->w};
    return device_run(d, &op_info_downsample, &p, (WeftTensor *[]){src, dst});
}

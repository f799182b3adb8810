#include <math.h>

#include "ops/block_diff.h"

static int blocks_of(int size, int block)
{
    return (size + block - 1) / block;
}

static int block_diff_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpBlockDiffParams *p = params;
    return blocks_of(p->h, p->block);
}

static void block_diff_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpBlockDiffParams *p = params;
    const int bw = blocks_of(p->w, p->block);
    const float *a = (const float *)t[0]->host, *b = (const float *)t[1]->host;
    for (int by = r0; by < r1; by++) {
        float *out = (float *)t[2]->host + (size_t)by * bw;
        const int y0 = by * p->block, y1 = y0 + p->block < p->h ? y0 + p->block : p->h;
        for (int bx = 0; bx < bw; bx++) {
            const int x0 = bx * p->block, x1 = x0 + p->block < p->w ? x0 + p->block : p->w;
            float sum = 0.0f;
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    sum += fabsf(a[(size_t)y * p->w + x] - b[(size_t)y * p->w + x]);
            out[bx] = sum / (float)((y1 - y0) * (x1 - x0));
        }
    }
}

static void block_diff_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpBlockDiffParams *p = params;
    grid[0] = (uint32_t)blocks_of(p->w, p->block);
    grid[1] = (uint32_t)blocks_of(p->h, p->block);
    grid[2] = 1;
}

const OpInfo op_info_block_diff = {
    .name = "block_diff",
    .num_tensors = 3,
    .params_size = sizeof(OpBlockDiffParams),
    .rows = block_diff_rows,
    .cpu = block_diff_cpu,
    .grid = block_diff_grid,
    .local = {8, 8, 1},
};

int op_block_diff(Device *d, WeftTensor *a, WeftTensor *b, int block, WeftTensor *out)
{
    if (!a || !b || !out || block < 1 || a->c != 1 || b->c != 1 || b->h != a->h || b->w != a->w ||
        out->c != 1 || out->h != blocks_of(a->h, block) || out->w != blocks_of(a->w, block))
        return -EINVAL;
    OpBlockDiffParams p = {.h = a->h, .w = a->w, .block = block};
    return device_run(d, &op_info_block_diff, &p, (WeftTensor *[]){a, b, out});
}

float block_diff_max(const float *blocks, int n)
{
    float m = 0.0f;
    for (int i = 0; i < n; i++)
        m = blocks[i] > m ? blocks[i] : m;
    return m;
}

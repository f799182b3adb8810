#include "ops/nn_pixel_shuffle.h"

static int nn_pixel_shuffle_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnPixelShuffleParams *p = params;
    return p->c * p->h * p->r;
}

static void nn_pixel_shuffle_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnPixelShuffleParams *p = params;
    const int r = p->r, oh = p->h * r, ow = p->w * r;
    const size_t in_plane = (size_t)p->h * p->w, out_plane = (size_t)oh * ow;
    for (int row = r0; row < r1; row++) {
        int c = row / oh, oy = row % oh, y = oy / r, i = oy % r;
        float *out = t[1]->host + (size_t)c * out_plane + (size_t)oy * ow;
        for (int j = 0; j < r; j++) {
            const float *in =
                t[0]->host + (size_t)(c * r * r + i * r + j) * in_plane + (size_t)y * p->w;
            for (int x = 0; x < p->w; x++)
                out[x * r + j] = in[x];
        }
    }
}

static void nn_pixel_shuffle_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnPixelShuffleParams *p = params;
    grid[0] = (uint32_t)(p->w * p->r);
    grid[1] = (uint32_t)(p->h * p->r);
    grid[2] = (uint32_t)p->c;
}

/* The op and its texel-input variant (shaders/nn_pixel_shuffle.comp built with TEXEL_INPUTS, for
 * CPU-hosted drivers) differ only in name and binding types. */
#define NN_PIXEL_SHUFFLE_INFO(NAME, TEXELS, HALVES)                                                \
    {                                                                                              \
        .name = NAME, .num_tensors = 2, .params_size = sizeof(OpNnPixelShuffleParams),             \
        .rows = nn_pixel_shuffle_rows, .cpu = nn_pixel_shuffle_cpu, .grid = nn_pixel_shuffle_grid, \
        .local = {16, 16, 1}, .texel_tensors = TEXELS, .half_tensors = HALVES,                     \
    }

const OpInfo op_info_nn_pixel_shuffle = NN_PIXEL_SHUFFLE_INFO("nn_pixel_shuffle", 0, 0);
const OpInfo op_info_nn_pixel_shuffle_f16 = NN_PIXEL_SHUFFLE_INFO("nn_pixel_shuffle_f16", 0, 3u);
const OpInfo op_info_nn_pixel_shuffle_tx = NN_PIXEL_SHUFFLE_INFO("nn_pixel_shuffle_tx", 1u << 0, 0);
const OpInfo op_info_nn_pixel_shuffle_tx_f16 =
    NN_PIXEL_SHUFFLE_INFO("nn_pixel_shuffle_tx_f16", 1u << 0, 3u); /* input */

int op_nn_pixel_shuffle(Device *d, WeftTensor *in, int r, WeftTensor *out)
{
    if (!in || !out || in == out || r < 1 || in->c % (r * r) || out->c != in->c / (r * r) ||
        out->h != in->h * r || out->w != in->w * r)
        return -EINVAL;
    OpNnPixelShuffleParams p = {.c = out->c, .h = in->h, .w = in->w, .r = r};
    return device_run(d,
                      op_variant(d->cpu_hosted, out->type == TENSOR_F16, &op_info_nn_pixel_shuffle,
                                 &op_info_nn_pixel_shuffle_tx, &op_info_nn_pixel_shuffle_f16,
                                 &op_info_nn_pixel_shuffle_tx_f16),
                      &p, (WeftTensor *[]){in, out});
}

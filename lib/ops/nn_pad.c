#include <string.h>

#include "ops/nn_pad.h"

static int out_channels(const OpNnPadParams *p)
{
    return p->cout < 3 ? p->cout : 3;
}

static int nn_pad_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnPadParams *p = params;
    return out_channels(p) * p->oh;
}

static void nn_pad_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnPadParams *p = params;
    const int kin = p->cin < 3 ? p->cin : 3;
    const size_t in_plane = (size_t)p->h * p->w, out_plane = (size_t)p->oh * p->ow;
    for (int r = r0; r < r1; r++) {
        int c = r / p->oh, y = r % p->oh;
        float *out = t[1]->host + c * out_plane + (size_t)y * p->ow;
        int n = y < p->h ? (p->w < p->ow ? p->w : p->ow) : 0;
        const float *in = t[0]->host + (size_t)y * p->w;
        for (int x = 0; x < n; x++) {
            float v = p->off[c];
            for (int k = 0; k < kin; k++)
                v += p->m[c * 3 + k] * in[k * in_plane + x];
            out[x] = v;
        }
        for (int x = n; x < p->ow; x++)
            out[x] = 0.0f;
    }
}

static void nn_pad_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnPadParams *p = params;
    grid[0] = (uint32_t)p->ow;
    grid[1] = (uint32_t)p->oh;
    grid[2] = (uint32_t)out_channels(p);
}

/* The op and its texel-input variant (shaders/nn_pad.comp built with TEXEL_INPUTS, for
 * CPU-hosted drivers) differ only in name and binding types. */
#define NN_PAD_INFO(NAME, TEXELS, HALVES)                                                          \
    {                                                                                              \
        .name = NAME, .num_tensors = 2, .params_size = sizeof(OpNnPadParams), .rows = nn_pad_rows, \
        .cpu = nn_pad_cpu, .grid = nn_pad_grid, .local = {16, 16, 1}, .texel_tensors = TEXELS,     \
        .half_tensors = HALVES,                                                                    \
    }

const OpInfo op_info_nn_pad = NN_PAD_INFO("nn_pad", 0, 0);
const OpInfo op_info_nn_pad_tx = NN_PAD_INFO("nn_pad_tx", 1u << 0, 0); /* input */
/* a picture into an fp16 network input, and an fp16 network output into a picture */
const OpInfo op_info_nn_pad_f16 = NN_PAD_INFO("nn_pad_f16", 0, 1u << 1);
const OpInfo op_info_nn_pad_tx_f16 = NN_PAD_INFO("nn_pad_tx_f16", 1u << 0, 1u << 1);
const OpInfo op_info_nn_pad_out_f16 = NN_PAD_INFO("nn_pad_out_f16", 0, 1u << 0);
const OpInfo op_info_nn_pad_out_tx_f16 = NN_PAD_INFO("nn_pad_out_tx_f16", 1u << 0, 1u << 0);

int op_nn_pad(Device *d, WeftTensor *in, const float m[9], const float off[3], WeftTensor *out)
{
    static const float identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, zero[3] = {0, 0, 0};
    if (!in || !out || in == out)
        return -EINVAL;
    OpNnPadParams p = {
        .cin = in->c, .h = in->h, .w = in->w, .cout = out->c, .oh = out->h, .ow = out->w};
    memcpy(p.m, m ? m : identity, sizeof(p.m));
    memcpy(p.off, off ? off : zero, sizeof(p.off));
    const OpInfo *op;
    if (in->type == TENSOR_F16 && out->type == TENSOR_F16)
        return -EINVAL; /* fp16 on one side only: the picture's is fp32 */
    if (out->type == TENSOR_F16)
        op = d->cpu_hosted ? &op_info_nn_pad_tx_f16 : &op_info_nn_pad_f16;
    else if (in->type == TENSOR_F16)
        op = d->cpu_hosted ? &op_info_nn_pad_out_tx_f16 : &op_info_nn_pad_out_f16;
    else
        op = d->cpu_hosted ? &op_info_nn_pad_tx : &op_info_nn_pad;
    return device_run(d, op, &p, (WeftTensor *[]){in, out});
}

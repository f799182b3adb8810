#include <math.h>

#include "ops/nn_conv_kernel.h"
#include "ops/nn_unary.h"

static int nn_unary_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnUnaryParams *p = params;
    return p->c * p->h;
}

NN_LOOPS_ATTR
static void nn_unary_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnUnaryParams *p = params;
    const size_t begin = (size_t)r0 * p->w, end = (size_t)r1 * p->w;
    const float *in = t[0]->host;
    float *out = t[1]->host;
    const float slope = p->slope;
    if (p->mode == NN_UNARY_SIGMOID) {
        for (size_t i = begin; i < end; i++)
            out[i] = 1.0f / (1.0f + expf(-in[i]));
    } else {
        for (size_t i = begin; i < end; i++) {
            float v = in[i], scaled = v * slope; /* unconditional: the loop vectorises */
            out[i] = v > 0.0f ? v : scaled;
        }
    }
}

static void nn_unary_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnUnaryParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = (uint32_t)p->c;
}

/* The op and its fp16-tensor variant (shaders/nn_unary.comp built with NN_F16). */
#define NN_UNARY_INFO(NAME, HALVES)                                                                \
    {                                                                                              \
        .name = NAME, .num_tensors = 2, .params_size = sizeof(OpNnUnaryParams),                    \
        .rows = nn_unary_rows, .cpu = nn_unary_cpu, .grid = nn_unary_grid, .local = {16, 16, 1},   \
        .half_tensors = HALVES,                                                                    \
    }

const OpInfo op_info_nn_unary = NN_UNARY_INFO("nn_unary", 0);
const OpInfo op_info_nn_unary_f16 = NN_UNARY_INFO("nn_unary_f16", 3u);

int op_nn_unary(Device *d, WeftTensor *in, int mode, float slope, WeftTensor *out)
{
    if (!in || !out || in == out || out->c != in->c || out->h != in->h || out->w != in->w ||
        (mode != NN_UNARY_LEAKY && mode != NN_UNARY_SIGMOID))
        return -EINVAL;
    OpNnUnaryParams p = {.c = in->c, .h = in->h, .w = in->w, .mode = mode, .slope = slope};
    return device_run(d, out->type == TENSOR_F16 ? &op_info_nn_unary_f16 : &op_info_nn_unary, &p,
                      (WeftTensor *[]){in, out});
}

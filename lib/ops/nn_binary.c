#include <math.h>

#include "ops/nn_binary.h"

static int nn_binary_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnBinaryParams *p = params;
    return p->c * p->h;
}

/* One loop per op so each is vectorised (no switch per element). */
#define BINARY_LOOP(expr)                                                                          \
    for (int x = 0; x < w; x++) {                                                                  \
        float xa = ca * a[x], yb = scalar_mode ? scalar : cb * b[x];                               \
        out[x] = (expr);                                                                           \
    }

static void binary_row(int op, const float *a, const float *b, float *out, int w, float ca,
                       float cb, int scalar_mode, float scalar)
{
    switch (op) {
    case NN_BIN_ADD:
        BINARY_LOOP(xa + yb) break;
    case NN_BIN_SUB:
        BINARY_LOOP(xa - yb) break;
    case NN_BIN_MUL:
        BINARY_LOOP(xa * yb) break;
    case NN_BIN_DIV:
        BINARY_LOOP(xa / yb) break;
    case NN_BIN_MAX:
        BINARY_LOOP(fmaxf(xa, yb)) break;
    case NN_BIN_MIN:
        BINARY_LOOP(fminf(xa, yb)) break;
    case NN_BIN_RSUB:
        BINARY_LOOP(yb - xa) break;
    default:
        BINARY_LOOP(yb / xa) break;
    }
}

static void nn_binary_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnBinaryParams *p = params;
    const size_t plane = (size_t)p->h * p->w;
    for (int r = r0; r < r1; r++) {
        int ch = r / p->h, y = r % p->h;
        size_t row = (size_t)ch * plane + (size_t)y * p->w;
        size_t brow = (p->b_channels == 1 ? 0 : (size_t)ch * plane) + (size_t)y * p->w;
        binary_row(p->op, t[0]->host + row, t[1]->host + brow, t[2]->host + row, p->w, p->coef_a,
                   p->coef_b, p->use_scalar, p->scalar);
    }
}

static void nn_binary_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnBinaryParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = (uint32_t)p->c;
}

/* The op and its variants (shaders/nn_binary.comp built with TEXEL_INPUTS, for CPU-hosted
 * drivers, and with NN_F16, fp16 tensors) differ only in name and binding types. */
#define NN_BINARY_INFO(NAME, TEXELS, HALVES)                                                       \
    {                                                                                              \
        .name = NAME, .num_tensors = 3, .params_size = sizeof(OpNnBinaryParams),                   \
        .rows = nn_binary_rows, .cpu = nn_binary_cpu, .grid = nn_binary_grid,                      \
        .local = {16, 16, 1}, .texel_tensors = TEXELS, .half_tensors = HALVES,                     \
    }
#define NN_BINARY_INPUTS (1u << 0 | 1u << 1) /* a and b */

const OpInfo op_info_nn_binary = NN_BINARY_INFO("nn_binary", 0, 0);
const OpInfo op_info_nn_binary_tx = NN_BINARY_INFO("nn_binary_tx", NN_BINARY_INPUTS, 0);
const OpInfo op_info_nn_binary_f16 = NN_BINARY_INFO("nn_binary_f16", 0, 7u);
const OpInfo op_info_nn_binary_tx_f16 = NN_BINARY_INFO("nn_binary_tx_f16", NN_BINARY_INPUTS, 7u);

int op_nn_binary(Device *d, int op, WeftTensor *a, float coef_a, WeftTensor *b, float coef_b,
                 float scalar, WeftTensor *out)
{
    if (!a || !out || out == a || out == b || op < NN_BIN_ADD || op > NN_BIN_RDIV ||
        out->c != a->c || out->h != a->h || out->w != a->w)
        return -EINVAL;
    if (b && (b->h != a->h || b->w != a->w || (b->c != a->c && b->c != 1)))
        return -EINVAL;
    OpNnBinaryParams p = {.c = a->c,
                          .h = a->h,
                          .w = a->w,
                          .op = op,
                          .b_channels = b ? b->c : 1,
                          .use_scalar = b == NULL,
                          .scalar = scalar,
                          .coef_a = coef_a,
                          .coef_b = coef_b};
    /* the scalar form binds a in b's place: the shader never reads it */
    const OpInfo *info =
        op_variant(d->cpu_hosted, out->type == TENSOR_F16, &op_info_nn_binary,
                   &op_info_nn_binary_tx, &op_info_nn_binary_f16, &op_info_nn_binary_tx_f16);
    return device_run(d, info, &p, (WeftTensor *[]){a, b ? b : a, out});
}

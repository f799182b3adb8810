/* C path: an output row of parity py needs two input rows; both column parities are
 * computed by the shared tile kernel over zero-padded copies of those rows and
 * interleaved on store. */
#include <stdlib.h>
#include <string.h>

#include "ops/nn_conv_kernel.h"
#include "ops/nn_deconv.h"

/* kernel row (or column) of tap a for output parity p, and the input offset it reads */
static inline int tap_k(int p, int a)
{
    return p == 0 ? (a == 0 ? 1 : 3) : (a == 0 ? 0 : 2);
}

static inline int tap_d(int p, int a)
{
    return (p + 1 - tap_k(p, a)) / 2;
}

size_t nn_deconv_packed_count(int cout, int cin)
{
    return (size_t)4 * nn_round_up(cout, NN_CONV_OB) * cin * 4;
}

void nn_deconv_pack(const float *w, int cout, int cin, float *packed)
{
    int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    size_t k = 0;
    for (int par = 0; par < 4; par++)
        for (int b = 0; b < blocks; b++)
            for (int i = 0; i < cin; i++)
                for (int tap = 0; tap < 4; tap++)
                    for (int o = 0; o < NN_CONV_OB; o++) {
                        int oc = b * NN_CONV_OB + o;
                        int ky = tap_k(par >> 1, tap >> 1), kx = tap_k(par & 1, tap & 1);
                        packed[k++] =
                            oc < cout ? w[(((size_t)oc * cin + i) * 4 + ky) * 4 + kx] : 0.0f;
                    }
}

void nn_deconv_as_conv3x3(const float *w, int cout, int cin, float *w3)
{
    memset(w3, 0, (size_t)4 * cout * cin * 9 * sizeof(float));
    for (int oc = 0; oc < cout; oc++)
        for (int py = 0; py < 2; py++)
            for (int px = 0; px < 2; px++)
                for (int i = 0; i < cin; i++)
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++) {
                            /* output (2y + py, 2x + px) reads input (y + tap_d(py, a),
                             * x + tap_d(px, b)): the 3x3 tap (tap_d + 1) of a padding-1
                             * convolution */
                            int ky = tap_k(py, a), kx = tap_k(px, b);
                            int ty = tap_d(py, a) + 1, tx = tap_d(px, b) + 1;
                            w3[(((size_t)oc * 4 + py * 2 + px) * cin + i) * 9 + ty * 3 + tx] =
                                w[(((size_t)oc * cin + i) * 4 + ky) * 4 + kx];
                        }
}

static int nn_deconv_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return 2 * ((const OpNnDeconvParams *)params)->h;
}

NN_LOOPS_ATTR
static void nn_deconv_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnDeconvParams *p = params;
    const int cin = p->cin, w = p->w, h = p->h, ow = 2 * w, oh = 2 * h;
    const NnConvKernel kern = nn_conv_kernel();
    const int tiles_w = nn_round_up(w, kern.px);
    const int row_len = tiles_w + 2; /* q[j] = in[j - 1] */
    const size_t ic_stride = (size_t)2 * row_len;
    const int blocks = nn_round_up(p->cout, NN_CONV_OB) / NN_CONV_OB;
    const size_t par_size = (size_t)blocks * cin * 4 * NN_CONV_OB;
    int tap_off[2][4];
    for (int px = 0; px < 2; px++)
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                tap_off[px][a * 2 + b] = a * row_len + 1 + tap_d(px, b);
    float *scratch =
        aligned_alloc(64, ((size_t)cin * ic_stride * sizeof(float) + 63) & ~(size_t)63);
    float *tile = aligned_alloc(64, 2 * NN_CONV_OB * NN_CONV_TILE_MAX * sizeof(float));
    if (!scratch || !tile) {
        free(scratch);
        free(tile);
        return;
    }
    const float *in = t[0]->host, *wp = t[1]->host, *bias = t[2]->host;
    float *out = t[3]->host;
    /* what negative values are multiplied by: 1 (no activation), 0 (ReLU) or the slope */
    const float neg = p->act == 0 ? 1.0f : p->act == 1 ? 0.0f : p->slope;
    const size_t in_plane = (size_t)h * w, out_plane = (size_t)oh * ow;
    for (int oy = r0; oy < r1; oy++) {
        int py = oy & 1, i = oy >> 1;
        for (int ic = 0; ic < cin; ic++)
            for (int a = 0; a < 2; a++) {
                float *dst = scratch + ic * ic_stride + (size_t)a * row_len;
                int iy = i + tap_d(py, a);
                if (iy < 0 || iy >= h) {
                    memset(dst, 0, (size_t)row_len * sizeof(float));
                    continue;
                }
                dst[0] = 0.0f;
                memcpy(dst + 1, in + ic * in_plane + (size_t)iy * w, (size_t)w * sizeof(float));
                memset(dst + 1 + w, 0, (size_t)(row_len - 1 - w) * sizeof(float));
            }
        for (int b = 0; b < blocks; b++) {
            int n_oc =
                p->cout - b * NN_CONV_OB < NN_CONV_OB ? p->cout - b * NN_CONV_OB : NN_CONV_OB;
            for (int x0 = 0; x0 < w; x0 += kern.px) {
                for (int px = 0; px < 2; px++) {
                    const float *wb =
                        wp + (size_t)(py * 2 + px) * par_size + (size_t)b * cin * 4 * NN_CONV_OB;
                    kern.tile(scratch + x0, tap_off[px], 4, ic_stride, cin, wb,
                              tile + px * NN_CONV_OB * kern.px);
                }
                int n_x = w - x0 < kern.px ? w - x0 : kern.px;
                for (int o = 0; o < n_oc; o++) {
                    int oc = b * NN_CONV_OB + o;
                    float *dst = out + oc * out_plane + (size_t)oy * ow + 2 * x0;
                    const float *even = tile + o * kern.px, *odd = even + NN_CONV_OB * kern.px;
                    const float bo = bias[oc];
                    /* selects, not branches on the sign (half mispredicted): the loop
                     * vectorises */
                    for (int x = 0; x < n_x; x++) {
                        float v0 = even[x] + bo, v1 = odd[x] + bo;
                        float s0 = v0 * neg, s1 = v1 * neg;
                        dst[2 * x] = v0 < 0.0f ? s0 : v0;
                        dst[2 * x + 1] = v1 < 0.0f ? s1 : v1;
                    }
                }
            }
        }
    }
    free(scratch);
    free(tile);
}

static void nn_deconv_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnDeconvParams *p = params;
    grid[0] = (uint32_t)(2 * p->w);
    grid[1] = (uint32_t)(2 * p->h);
    grid[2] = (uint32_t)((p->cout + NN_CONV_OB - 1) / NN_CONV_OB);
}

/* fp16 tensors of the _f16 variants: input and output */
#define NN_DECONV_HALVES (1u << 0 | 1u << 3)

/* nn_deconv and its fp16-activation variant (the shader built with NN_F16) */
#define NN_DECONV_INFO_BASE(NAME, HALVES)                                                          \
    {                                                                                              \
        .name = NAME, .num_tensors = 4, .params_size = sizeof(OpNnDeconvParams),                   \
        .rows = nn_deconv_rows, .cpu = nn_deconv_cpu, .grid = nn_deconv_grid, .local = {8, 8, 1},  \
        .half_tensors = HALVES,                                                                    \
    }
const OpInfo op_info_nn_deconv = NN_DECONV_INFO_BASE("nn_deconv", 0);
const OpInfo op_info_nn_deconv_f16 = NN_DECONV_INFO_BASE("nn_deconv_f16", NN_DECONV_HALVES);

/* The subgroup variant (shaders/nn_deconv_sg.comp): 16 pixels of one output parity x 16
 * channels per invocation; a workgroup (one subgroup of 8) has one parity and one pair of
 * blocks; invocations numbered along the input rows in x, continued in y past 4096
 * workgroups. */
static void nn_deconv_sg_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnDeconvParams *p = params;
    int blocks = (p->cout + NN_CONV_OB - 1) / NN_CONV_OB;
    uint32_t n = (uint32_t)((p->w + 15) / 16) * (uint32_t)p->h, row = 8 * 4096;
    grid[0] = n < row ? n : row;
    grid[1] = (n + row - 1) / row;
    grid[2] = (uint32_t)((blocks + 1) / 2 * 4);
}

/* nn_deconv_sg and its fp16-activation variant (the shader built with NN_F16) */
#define NN_DECONV_INFO_SG(NAME, HALVES)                                                            \
    {                                                                                              \
        .name = NAME, .num_tensors = 4, .params_size = sizeof(OpNnDeconvParams),                   \
        .rows = nn_deconv_rows, .cpu = nn_deconv_cpu, .grid = nn_deconv_sg_grid,                   \
        .local = {8, 1, 1}, .min_subgroup_size = 8, .texel_tensors = 1u << 0 | 1u << 1,            \
        .half_tensors = HALVES,                                                                    \
    }
const OpInfo op_info_nn_deconv_sg = NN_DECONV_INFO_SG("nn_deconv_sg", 0);
const OpInfo op_info_nn_deconv_sg_f16 = NN_DECONV_INFO_SG("nn_deconv_sg_f16", NN_DECONV_HALVES);

int op_nn_deconv(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int act,
                 float slope, WeftTensor *out)
{
    if (!in || !weights || !bias || !out || out == in || act < 0 || act > 2 ||
        out->h != 2 * in->h || out->w != 2 * in->w ||
        tensor_count(weights) != nn_deconv_packed_count(out->c, in->c) ||
        tensor_count(bias) != (size_t)nn_round_up(out->c, NN_CONV_OB))
        return -EINVAL;
    OpNnDeconvParams p = {
        .cin = in->c, .h = in->h, .w = in->w, .cout = out->c, .act = act, .slope = slope};
    /* as op_nn_conv_res(): the subgroup variant on CPU-hosted drivers only */
    int half = out->type == TENSOR_F16;
    const OpInfo *sg = half ? &op_info_nn_deconv_sg_f16 : &op_info_nn_deconv_sg;
    const OpInfo *op = d->cpu_hosted && device_supports(d, sg) ? sg
                       : half                                  ? &op_info_nn_deconv_f16
                                                               : &op_info_nn_deconv;
    return device_run(d, op, &p, (WeftTensor *[]){in, weights, bias, out});
}

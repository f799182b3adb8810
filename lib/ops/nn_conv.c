/* C path: each row builds zero-padded copies of the three input rows it needs (stride-2
 * rows split into even and odd columns so every tap reads consecutive floats), then runs
 * the tile kernel (8 channels x the kernel's width) over output-channel blocks and pixel
 * tiles. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ops/nn_conv.h"
#include "ops/nn_conv_kernel.h"

size_t nn_conv_packed_count(int cout, int cin)
{
    return (size_t)nn_round_up(cout, NN_CONV_OB) * cin * 9;
}

void nn_conv_pack(const float *w, int cout, int cin, float *packed)
{
    int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    for (int b = 0; b < blocks; b++)
        for (int i = 0; i < cin; i++)
            for (int t = 0; t < 9; t++)
                for (int o = 0; o < NN_CONV_OB; o++) {
                    int oc = b * NN_CONV_OB + o;
                    packed[(((size_t)b * cin + i) * 9 + t) * NN_CONV_OB + o] =
                        oc < cout ? w[((size_t)oc * cin + i) * 9 + t] : 0.0f;
                }
}

/* A stride-2 scratch row: E[j] = in[2 j - 1], O[j] = in[2 j] (j < half), zero outside the
 * input; E at dst, O at dst + half. Straight loops over the columns inside the picture, so
 * they vectorise (a select per element did not). */
NN_SIMD_CLONES static void split_columns(const float *restrict in, int w, int half,
                                         float *restrict dst)
{
    float *restrict even = dst, *restrict odd = dst + half;
    const int ne = w / 2 + 1 < half ? w / 2 + 1 : half;     /* 2 j - 1 < w */
    const int no = (w + 1) / 2 < half ? (w + 1) / 2 : half; /* 2 j < w */
    even[0] = 0.0f;
    for (int j = 1; j < ne; j++)
        even[j] = in[2 * j - 1];
    for (int j = ne; j < half; j++)
        even[j] = 0.0f;
    for (int j = 0; j < no; j++)
        odd[j] = in[2 * j];
    for (int j = no; j < half; j++)
        odd[j] = 0.0f;
}

static int nn_conv_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return ((const OpNnConvParams *)params)->oh;
}

NN_LOOPS_ATTR
static void nn_conv_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnConvParams *p = params;
    const int cin = p->cin, w = p->w, h = p->h, s = p->stride;
    const NnConvKernel kern = nn_conv_kernel();
    const int tiles_w = nn_round_up(p->ow, kern.px);
    /* row length in the scratch: stride 1 holds p[j] = in[j - 1]; stride 2 holds the even
     * columns E[j] = p[2j] then the odd ones O[j] = p[2j + 1] */
    const int half = tiles_w + 1;
    const int row_len = s == 1 ? tiles_w + 2 : 2 * half;
    const size_t ic_stride = (size_t)3 * row_len;
    /* the scratch is a ring of 3 rows per input channel: input row iy lives in slot
     * iy mod 3, so the next output row re-copies only the rows it does not share */
    int tap_off[9], slot_row[3] = {INT_MIN, INT_MIN, INT_MIN};
    float *scratch =
        aligned_alloc(64, ((size_t)cin * ic_stride * sizeof(float) + 63) & ~(size_t)63);
    float *tile = aligned_alloc(64, NN_CONV_OB * NN_CONV_TILE_MAX * sizeof(float));
    if (!scratch || !tile) {
        /* no memory for the fast path: nothing sensible to do but leave zeros */
        free(scratch);
        free(tile);
        return;
    }
    const float *in = t[0]->host, *wp = t[1]->host, *bias = t[2]->host;
    const float *res = p->has_res ? t[3]->host : NULL;
    /* what negative values are multiplied by: 1 (no activation), 0 (ReLU) or the slope */
    const float neg = p->act == 0 ? 1.0f : p->act == 1 ? 0.0f : p->slope;
    const float res_neg = p->res_act == 0 ? 1.0f : p->res_act == 1 ? 0.0f : p->res_slope;
    float *out = t[4]->host;
    const size_t in_plane = (size_t)h * w, out_plane = (size_t)p->oh * p->ow;
    for (int y = r0; y < r1; y++) {
        for (int ky = 0; ky < 3; ky++) {
            int iy = y * s + ky - 1, slot = ((iy % 3) + 3) % 3;
            for (int kx = 0; kx < 3; kx++)
                tap_off[ky * 3 + kx] = slot * row_len + (s == 1 ? kx : (kx == 1 ? half : kx / 2));
            if (slot_row[slot] == iy)
                continue;
            slot_row[slot] = iy;
            for (int ic = 0; ic < cin; ic++) {
                float *dst = scratch + ic * ic_stride + (size_t)slot * row_len;
                if (iy < 0 || iy >= h) {
                    memset(dst, 0, (size_t)row_len * sizeof(float));
                    continue;
                }
                const float *src = in + ic * in_plane + (size_t)iy * w;
                if (s == 1) {
                    dst[0] = 0.0f;
                    memcpy(dst + 1, src, (size_t)w * sizeof(float));
                    memset(dst + 1 + w, 0, (size_t)(row_len - 1 - w) * sizeof(float));
                } else {
                    split_columns(src, w, half, dst);
                }
            }
        }
        for (int b = 0; b * NN_CONV_OB < p->cout; b++) {
            const float *wb = wp + (size_t)b * cin * 9 * NN_CONV_OB;
            int n_oc =
                p->cout - b * NN_CONV_OB < NN_CONV_OB ? p->cout - b * NN_CONV_OB : NN_CONV_OB;
            for (int x0 = 0; x0 < p->ow; x0 += kern.px) {
                kern.tile(scratch + x0, tap_off, 9, ic_stride, cin, wb, tile);
                int n_x = p->ow - x0 < kern.px ? p->ow - x0 : kern.px;
                for (int o = 0; o < n_oc; o++) {
                    int oc = b * NN_CONV_OB + o;
                    size_t at = oc * out_plane + (size_t)y * p->ow + x0;
                    float *dst = out + at;
                    const float *acc = tile + o * kern.px;
                    const float bo = bias[oc];
                    /* the product is computed unconditionally, so the choice is a select
                     * and the loops vectorise (a conditional multiply may trap) */
                    for (int x = 0; x < n_x; x++) {
                        float v = acc[x] + bo, scaled = v * neg;
                        dst[x] = v < 0.0f ? scaled : v;
                    }
                    if (res) {
                        const float *r = res + at;
                        for (int x = 0; x < n_x; x++) {
                            float v = dst[x] + r[x], scaled = v * res_neg;
                            dst[x] = v < 0.0f ? scaled : v;
                        }
                    }
                }
            }
        }
    }
    free(scratch);
    free(tile);
}

static void nn_conv_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnConvParams *p = params;
    grid[0] = (uint32_t)((p->ow + 3) / 4); /* the shader makes 4 pixels per invocation */
    grid[1] = (uint32_t)p->oh;
    grid[2] = (uint32_t)((p->cout + NN_CONV_OB - 1) / NN_CONV_OB);
}

/* fp16 tensors of the _f16 variants: input, residual (or the input in its place), output */
#define NN_CONV_HALVES (1u << 0 | 1u << 3 | 1u << 4)

/* nn_conv and its fp16-activation variant (the shader built with NN_F16) */
#define NN_CONV_INFO_BASE(NAME, HALVES)                                                            \
    {                                                                                              \
        .name = NAME, .num_tensors = 5, .params_size = sizeof(OpNnConvParams),                     \
        .rows = nn_conv_rows, .cpu = nn_conv_cpu, .grid = nn_conv_grid, .local = {64, 1, 1},       \
        .half_tensors = HALVES,                                                                    \
    }
const OpInfo op_info_nn_conv = NN_CONV_INFO_BASE("nn_conv", 0);
const OpInfo op_info_nn_conv_f16 = NN_CONV_INFO_BASE("nn_conv_f16", NN_CONV_HALVES);

/* The subgroup variant (shaders/nn_conv_sg.comp): 16 pixels x 16 channels per invocation,
 * invocations numbered along the rows (n = y * groups + group) in x, continued in y where
 * x would pass 4096 workgroups of 8. */
static void nn_conv_sg_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnConvParams *p = params;
    int blocks = (p->cout + NN_CONV_OB - 1) / NN_CONV_OB;
    uint32_t n = (uint32_t)((p->ow + 15) / 16) * (uint32_t)p->oh, row = 8 * 4096;
    grid[0] = n < row ? n : row;
    grid[1] = (n + row - 1) / row;
    grid[2] = (uint32_t)((blocks + 1) / 2);
}

/* nn_conv_sg and its fp16-activation variant (the shader built with NN_F16) */
#define NN_CONV_INFO_SG(NAME, HALVES)                                                              \
    {                                                                                              \
        .name = NAME, .num_tensors = 5, .params_size = sizeof(OpNnConvParams),                     \
        .rows = nn_conv_rows, .cpu = nn_conv_cpu, .grid = nn_conv_sg_grid, .local = {8, 1, 1},     \
        .min_subgroup_size = 8, .texel_tensors = 1u << 0 | 1u << 1, .half_tensors = HALVES,        \
    }
const OpInfo op_info_nn_conv_sg = NN_CONV_INFO_SG("nn_conv_sg", 0);
const OpInfo op_info_nn_conv_sg_f16 = NN_CONV_INFO_SG("nn_conv_sg_f16", NN_CONV_HALVES);

int op_nn_conv_res(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int stride,
                   int act, float slope, WeftTensor *residual, int res_act, float res_slope,
                   WeftTensor *out)
{
    if (!in || !weights || !bias || !out || (stride != 1 && stride != 2) || act < 0 || act > 2 ||
        res_act < 0 || res_act > 2)
        return -EINVAL;
    if (out == in || out->h != (in->h - 1) / stride + 1 || out->w != (in->w - 1) / stride + 1 ||
        tensor_count(weights) != nn_conv_packed_count(out->c, in->c) ||
        tensor_count(bias) != (size_t)nn_round_up(out->c, NN_CONV_OB))
        return -EINVAL;
    if (residual && (residual == out || residual->c != out->c || residual->h != out->h ||
                     residual->w != out->w))
        return -EINVAL;
    OpNnConvParams p = {.cin = in->c,
                        .h = in->h,
                        .w = in->w,
                        .cout = out->c,
                        .oh = out->h,
                        .ow = out->w,
                        .stride = stride,
                        .act = act,
                        .slope = slope,
                        .has_res = residual != NULL,
                        .res_act = res_act,
                        .res_slope = res_slope};
    /* the subgroup shader shares weights between 8 lanes of a subgroup and keeps 256
     * accumulators per invocation: made for CPU-hosted drivers (a GPU would spill them) */
    int half = out->type == TENSOR_F16;
    const OpInfo *sg = half ? &op_info_nn_conv_sg_f16 : &op_info_nn_conv_sg;
    const OpInfo *op = d->cpu_hosted && device_supports(d, sg) ? sg
                       : half                                  ? &op_info_nn_conv_f16
                                                               : &op_info_nn_conv;
    /* without a residual, binding 3 is the input (never read) */
    return device_run(d, op, &p,
                      (WeftTensor *[]){in, weights, bias, residual ? residual : in, out});
}

int op_nn_conv(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int stride,
               int act, float slope, WeftTensor *out)
{
    return op_nn_conv_res(d, in, weights, bias, stride, act, slope, NULL, 0, 0.0f, out);
}

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/nn_conv_kernel.h"
#include "ops/nn_warp.h"

/* floor without a libm call (baseline x86-64 has no rounding instruction); the argument
 * is clamped first so the conversion is defined for any input, NaN included. Selects, not
 * branches, so the loop around it vectorises. */
static inline int floor_int(float f)
{
    f = f > -1e9f ? f : -1e9f; /* NaN too */
    f = f < 1e9f ? f : 1e9f;
    int i = (int)f;
    return i - (f < (float)i);
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The same for 8 pixels at a time in GCC/clang vector types (GCC does not if-convert the
 * scalar loop): comparisons give -1 / 0 lanes, selects are bit operations. Macros, not
 * functions: a 32-byte vector argument changes the ABI between the two builds. */
typedef float vf8 __attribute__((vector_size(32)));
typedef int32_t vi8 __attribute__((vector_size(32)));

#define SELECT_I(mask, a, b) (((mask) & (a)) | (~(mask) & (b)))
#define SELECT_F(mask, a, b) ((vf8)SELECT_I(mask, (vi8)(a), (vi8)(b)))
/* out = floor_int() of each lane of f (f is clamped in place) */
#define FLOOR_INT8(out, f)                                                                         \
    do {                                                                                           \
        const vf8 lo_ = (vf8){0} - 1e9f, hi_ = (vf8){0} + 1e9f;                                    \
        f = SELECT_F(f > lo_, f, lo_); /* NaN too */                                               \
        f = SELECT_F(f < hi_, f, hi_);                                                             \
        out = __builtin_convertvector(f, vi8);                                                     \
        out += f < __builtin_convertvector(out, vf8); /* true lanes are -1 */                      \
    } while (0)
#define CLAMP_INT8(v, lo, hi)                                                                      \
    do {                                                                                           \
        const vi8 lo_ = (vi8){0} + (lo), hi_ = (vi8){0} + (hi);                                    \
        v = SELECT_I(v < lo_, lo_, v);                                                             \
        v = SELECT_I(v > hi_, hi_, v);                                                             \
    } while (0)

static int nn_warp_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnWarpParams *p = params;
    return p->h;
}

/* Rows are image rows: the sample positions of a row are worked out once for all
 * channels (into per-row arrays), then each channel is a loop of gathers that vectorises.
 * Indices are int32: op_nn_warp() refuses planes of 2^31 elements or more. */
NN_LOOPS_ATTR NN_SIMD_CLONES static void nn_warp_cpu(const void *params, WeftTensor *const *t,
                                                     int r0, int r1)
{
    const OpNnWarpParams *p = params;
    const int w = p->w, h = p->h, channels = p->c;
    const size_t plane = (size_t)w * h;
    const float *fx = t[1]->host, *fy = t[1]->host + plane;
    const float *image = t[0]->host;
    float *out = t[2]->host;
    int32_t *idx = malloc((size_t)w * 4 * sizeof(int32_t));
    float *ab = malloc((size_t)w * 2 * sizeof(float));
    if (!idx || !ab || plane > INT32_MAX) {
        free(idx);
        free(ab);
        return;
    }
    int32_t *i00 = idx, *i01 = idx + w, *i10 = idx + 2 * w, *i11 = idx + 3 * w;
    float *alpha = ab, *beta = ab + w;
    const vf8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int y = r0; y < r1; y++) {
        int x8 = 0;
        for (; x8 + 8 <= w; x8 += 8) {
            const int x = x8;
            size_t i = (size_t)y * w + x;
            vf8 vfx, vfy;
            memcpy(&vfx, fx + i, sizeof(vfx));
            memcpy(&vfy, fy + i, sizeof(vfy));
            vf8 sx = (lane + (float)x) + vfx, sy = ((vf8){0} + (float)y) + vfy;
            vi8 x0, y0;
            FLOOR_INT8(x0, sx);
            FLOOR_INT8(y0, sy);
            vi8 x1 = x0 + 1, y1 = y0 + 1;
            CLAMP_INT8(x1, 0, w - 1);
            CLAMP_INT8(y1, 0, h - 1);
            CLAMP_INT8(x0, 0, w - 1);
            CLAMP_INT8(y0, 0, h - 1);
            vf8 a = sx - __builtin_convertvector(x0, vf8),
                b = sy - __builtin_convertvector(y0, vf8);
            vi8 r0w = y0 * w, r1w = y1 * w;
            vi8 v00 = r0w + x0, v01 = r0w + x1, v10 = r1w + x0, v11 = r1w + x1;
            memcpy(alpha + x, &a, sizeof(a));
            memcpy(beta + x, &b, sizeof(b));
            memcpy(i00 + x, &v00, sizeof(v00));
            memcpy(i01 + x, &v01, sizeof(v01));
            memcpy(i10 + x, &v10, sizeof(v10));
            memcpy(i11 + x, &v11, sizeof(v11));
        }
        for (int x = x8; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float sx = (float)x + fx[i], sy = (float)y + fy[i];
            int x0 = floor_int(sx), y0 = floor_int(sy);
            int x1 = clampi(x0 + 1, 0, w - 1), y1 = clampi(y0 + 1, 0, h - 1);
            x0 = clampi(x0, 0, w - 1);
            y0 = clampi(y0, 0, h - 1);
            alpha[x] = sx - (float)x0;
            beta[x] = sy - (float)y0;
            i00[x] = y0 * w + x0;
            i01[x] = y0 * w + x1;
            i10[x] = y1 * w + x0;
            i11[x] = y1 * w + x1;
        }
        for (int c = 0; c < channels; c++) {
            const float *img = image + (size_t)c * plane;
            float *dst = out + (size_t)c * plane + (size_t)y * w;
            for (int x = 0; x < w; x++) {
                float a = alpha[x], b = beta[x];
                float v4 = img[i00[x]] * (1.0f - a) + img[i01[x]] * a;
                float v5 = img[i10[x]] * (1.0f - a) + img[i11[x]] * a;
                dst[x] = v4 * (1.0f - b) + v5 * b;
            }
        }
    }
    free(idx);
    free(ab);
}

static void nn_warp_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnWarpParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = (uint32_t)p->c;
}

/* nn_warp and its fp16-activation variant (the shader built with NN_F16) */
#define NN_WARP_INFO_BASE(NAME, HALVES)                                                            \
    {                                                                                              \
        .name = NAME, .num_tensors = 3, .params_size = sizeof(OpNnWarpParams),                     \
        .rows = nn_warp_rows, .cpu = nn_warp_cpu, .grid = nn_warp_grid, .local = {16, 16, 1},      \
        .half_tensors = HALVES,                                                                    \
    }
const OpInfo op_info_nn_warp = NN_WARP_INFO_BASE("nn_warp", 0);
const OpInfo op_info_nn_warp_f16 = NN_WARP_INFO_BASE("nn_warp_f16", 7u);

/* Texel-input variant (nn_warp.comp built with TEXEL_INPUTS) for CPU-hosted drivers: an
 * invocation per pixel for all channels. */
static void nn_warp_tx_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnWarpParams *p = params;
    grid[0] = (uint32_t)p->w;
    grid[1] = (uint32_t)p->h;
    grid[2] = 1;
}

/* nn_warp_tx and its fp16-activation variant (the shader built with NN_F16) */
#define NN_WARP_INFO_TX(NAME, HALVES)                                                              \
    {                                                                                              \
        .name = NAME, .num_tensors = 3, .params_size = sizeof(OpNnWarpParams),                     \
        .rows = nn_warp_rows, .cpu = nn_warp_cpu, .grid = nn_warp_tx_grid, .local = {16, 16, 1},   \
        .texel_tensors = 1u << 0 | 1u << 1, .half_tensors = HALVES,                                \
    }
const OpInfo op_info_nn_warp_tx = NN_WARP_INFO_TX("nn_warp_tx", 0);
const OpInfo op_info_nn_warp_tx_f16 = NN_WARP_INFO_TX("nn_warp_tx_f16", 7u);

int op_nn_warp(Device *d, WeftTensor *image, WeftTensor *flow, WeftTensor *out)
{
    if (!image || !flow || !out || out == image || out == flow || flow->c < 2 ||
        flow->h != image->h || flow->w != image->w || out->c != image->c || out->h != image->h ||
        out->w != image->w || (size_t)image->w * image->h > INT32_MAX)
        return -EINVAL;
    OpNnWarpParams p = {.c = image->c, .h = image->h, .w = image->w};
    const OpInfo *op =
        op_variant(d->cpu_hosted, out->type == TENSOR_F16, &op_info_nn_warp, &op_info_nn_warp_tx,
                   &op_info_nn_warp_f16, &op_info_nn_warp_tx_f16);
    return device_run(d, op, &p, (WeftTensor *[]){image, flow, out});
}

/* C path of nn_conv_wino: per row of tiles, the input transform of every tile and channel
 * into 36 planes, then 36 matrix products (output block x input channels x tiles) by the
 * shared tile kernel, then the output transform with bias, activation and residual. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/nn_conv_kernel.h"
#include "ops/nn_conv_wino.h"

size_t nn_conv_wino_packed_count(int cout, int cin)
{
    return (size_t)36 * nn_round_up(cout, NN_CONV_OB) * cin;
}

void nn_conv_wino_pack(const float *w, int cout, int cin, float *packed)
{
    static const float G[6][3] = {{1.0f / 4, 0, 0},
                                  {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                                  {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                                  {1.0f / 24, 1.0f / 12, 1.0f / 6},
                                  {1.0f / 24, -1.0f / 12, 1.0f / 6},
                                  {0, 0, 1}};
    int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    for (int oc = 0; oc < blocks * NN_CONV_OB; oc++)
        for (int i = 0; i < cin; i++) {
            float u[6][6] = {{0}};
            if (oc < cout) {
                const float *g = w + ((size_t)oc * cin + i) * 9;
                float t[6][3]; /* G g */
                for (int r = 0; r < 6; r++)
                    for (int c = 0; c < 3; c++)
                        t[r][c] = G[r][0] * g[c] + G[r][1] * g[3 + c] + G[r][2] * g[6 + c];
                for (int r = 0; r < 6; r++) /* (G g) G^T */
                    for (int c = 0; c < 6; c++)
                        u[r][c] = t[r][0] * G[c][0] + t[r][1] * G[c][1] + t[r][2] * G[c][2];
            }
            int b = oc / NN_CONV_OB, o = oc % NN_CONV_OB;
            for (int xi = 0; xi < 36; xi++)
                packed[(((size_t)xi * blocks + b) * cin + i) * NN_CONV_OB + o] = u[xi / 6][xi % 6];
        }
}

static int nn_conv_wino_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return (((const OpNnConvWinoParams *)params)->h + 3) / 4;
}

/* The rows of B^T written out so the loops vectorise: out_k[j] = (B^T e)_k for the
 * 6-vectors e_c = in_c[j] (c = 0..5) over n columns (bt6), or e_c = in[4 j + c] (bt6_tiles:
 * the 6 columns of tile j of a row). */
#define BT6_BODY                                                                                   \
    out[0][j] = 4 * e0 - 5 * e2 + e4;                                                              \
    out[1][j] = -4 * e1 - 4 * e2 + e3 + e4;                                                        \
    out[2][j] = 4 * e1 - 4 * e2 - e3 + e4;                                                         \
    out[3][j] = -2 * e1 - e2 + 2 * e3 + e4;                                                        \
    out[4][j] = 2 * e1 - e2 - 2 * e3 + e4;                                                         \
    out[5][j] = 4 * e1 - 5 * e3 + e5;

NN_LOOPS_ATTR NN_SIMD_CLONES static void bt6_tiles(const float *in, float *const out[6], int n)
{
    for (int j = 0; j < n; j++) {
        const float *e = in + 4 * j;
        float e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], e4 = e[4], e5 = e[5];
        BT6_BODY
    }
}

NN_LOOPS_ATTR NN_SIMD_CLONES static void bt6(const float *const in[6], float *const out[6], int n)
{
    for (int j = 0; j < n; j++) {
        float e0 = in[0][j], e1 = in[1][j], e2 = in[2][j], e3 = in[3][j], e4 = in[4][j],
              e5 = in[5][j];
        BT6_BODY
    }
}

NN_LOOPS_ATTR NN_SIMD_CLONES static void nn_conv_wino_cpu(const void *params, WeftTensor *const *t,
                                                          int r0, int r1)
{
    const OpNnConvWinoParams *p = params;
    const int cin = p->cin, h = p->h, w = p->w, cout = p->cout;
    const NnConvKernel kern = nn_conv_kernel();
    const int tile_floats = NN_CONV_OB * kern.px;
    const int tw = (w + 3) / 4, tw_pad = nn_round_up(tw, kern.px);
    const int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    const int chunks = tw_pad / kern.px;
    /* M holds the kernel's tiles as they come: [xi][block][chunk][8][px] */
    const size_t v_plane = (size_t)cin * tw_pad, m_plane = (size_t)blocks * NN_CONV_OB * tw_pad;
    float *v = aligned_alloc(64, ((36 * v_plane + 16) * sizeof(float) + 63) & ~(size_t)63);
    float *m = aligned_alloc(64, ((36 * m_plane) * sizeof(float) + 63) & ~(size_t)63);
    /* 6 padded input rows, their column transform, 4 output rows */
    const size_t len = (size_t)4 * tw + 2;
    float *row = malloc((12 * len + 16 * (size_t)tw_pad) * sizeof(float));
    if (!v || !m || !row) {
        free(v);
        free(m);
        free(row);
        return;
    }
    float *q[6], *tr[6], *yr[4];
    for (int r = 0; r < 6; r++) {
        q[r] = row + r * len;
        tr[r] = row + (6 + r) * len;
    }
    for (int r = 0; r < 4; r++)
        yr[r] = row + 12 * len + (size_t)r * 4 * tw_pad;
    const float *in = t[0]->host, *u = t[1]->host, *bias = t[2]->host;
    const float *res = p->has_res ? t[3]->host : NULL;
    float *out = t[4]->host;
    const float neg = p->act == 0 ? 1.0f : p->act == 1 ? 0.0f : p->slope;
    const float res_neg = p->res_act == 0 ? 1.0f : p->res_act == 1 ? 0.0f : p->res_slope;
    const size_t plane = (size_t)h * w;
    const int zero_tap = 0;
    for (int ty = r0; ty < r1; ty++) {
        /* input transform V = B^T d B of every channel and tile of this row: first down the
         * columns of the 6 input rows (q[r][j] = in[4 ty - 1 + r][j - 1], zero-padded), then
         * along each transformed row, whose tile tx reads columns 4 tx .. 4 tx + 5 */
        for (int ic = 0; ic < cin; ic++) {
            for (int r = 0; r < 6; r++) {
                int iy = 4 * ty - 1 + r;
                if (iy < 0 || iy >= h) {
                    memset(q[r], 0, len * sizeof(float));
                    continue;
                }
                q[r][0] = 0.0f;
                memcpy(q[r] + 1, in + ic * plane + (size_t)iy * w, (size_t)w * sizeof(float));
                memset(q[r] + 1 + w, 0, (len - 1 - (size_t)w) * sizeof(float));
            }
            bt6((const float *const *)q, tr, (int)len);
            float *vb = v + (size_t)ic * tw_pad;
            for (int i = 0; i < 6; i++) {
                float *o[6];
                for (int k = 0; k < 6; k++)
                    o[k] = vb + (size_t)(6 * i + k) * v_plane;
                bt6_tiles(tr[i], o, tw);
            }
            for (int xi = 0; xi < 36; xi++) /* defined contents in the tile padding */
                memset(vb + (size_t)xi * v_plane + tw, 0, (size_t)(tw_pad - tw) * sizeof(float));
        }
        /* 36 products M_xi = U_xi V_xi */
        for (int xi = 0; xi < 36; xi++)
            for (int b = 0; b < blocks; b++) {
                const float *ub = u + ((size_t)xi * blocks + b) * cin * NN_CONV_OB;
                for (int x0 = 0; x0 < tw; x0 += kern.px)
                    kern.tile(v + xi * v_plane + x0, &zero_tap, 1, (size_t)tw_pad, cin, ub,
                              m + xi * m_plane + ((size_t)b * chunks + x0 / kern.px) * tile_floats);
            }
        /* output transform Y = A^T M A, bias, activation, residual: per output channel
         * and chunk of px tiles, every M_xi is a run of consecutive tiles */
        for (int oc = 0; oc < cout; oc++) {
            for (int x0 = 0; x0 < tw; x0 += kern.px) {
                size_t at_m = ((size_t)(oc / NN_CONV_OB) * chunks + x0 / kern.px) * tile_floats +
                              (size_t)(oc % NN_CONV_OB) * kern.px;
                const float *mx[36];
                for (int xi = 0; xi < 36; xi++)
                    mx[xi] = m + xi * m_plane + at_m;
                int n = tw - x0 < kern.px ? tw - x0 : kern.px;
                for (int i = 0; i < n; i++) {
                    float s[4][6]; /* A^T M */
                    for (int c = 0; c < 6; c++) {
                        float m0 = mx[c][i], m1 = mx[6 + c][i], m2 = mx[12 + c][i],
                              m3 = mx[18 + c][i], m4 = mx[24 + c][i], m5 = mx[30 + c][i];
                        s[0][c] = m0 + m1 + m2 + m3 + m4;
                        s[1][c] = m1 - m2 + 2 * m3 - 2 * m4;
                        s[2][c] = m1 + m2 + 4 * m3 + 4 * m4;
                        s[3][c] = m1 - m2 + 8 * m3 - 8 * m4 + m5;
                    }
                    int x = 4 * (x0 + i);
                    for (int r = 0; r < 4; r++) { /* (A^T M) A */
                        const float *sr = s[r];
                        yr[r][x] = sr[0] + sr[1] + sr[2] + sr[3] + sr[4];
                        yr[r][x + 1] = sr[1] - sr[2] + 2 * sr[3] - 2 * sr[4];
                        yr[r][x + 2] = sr[1] + sr[2] + 4 * sr[3] + 4 * sr[4];
                        yr[r][x + 3] = sr[1] - sr[2] + 8 * sr[3] - 8 * sr[4] + sr[5];
                    }
                }
            }
            const float bo = bias[oc];
            for (int r = 0; r < 4; r++) {
                int y = 4 * ty + r;
                if (y >= h)
                    break;
                const float *src = yr[r];
                size_t at = oc * plane + (size_t)y * w;
                float *dst = out + at;
                for (int x = 0; x < w; x++) {
                    float val = src[x] + bo, scaled = val * neg;
                    dst[x] = val < 0.0f ? scaled : val;
                }
                if (res) {
                    const float *rr = res + at;
                    for (int x = 0; x < w; x++) {
                        float val = dst[x] + rr[x], scaled = val * res_neg;
                        dst[x] = val < 0.0f ? scaled : val;
                    }
                }
            }
        }
    }
    free(v);
    free(m);
    free(row);
}

static void nn_conv_wino_grid(const void *params, WeftTensor *const *t, uint32_t grid[3])
{
    (void)t;
    const OpNnConvWinoParams *p = params;
    grid[0] = (uint32_t)((p->w + 3) / 4);
    grid[1] = (uint32_t)((p->h + 3) / 4);
    grid[2] = (uint32_t)((p->cout + NN_CONV_OB - 1) / NN_CONV_OB);
}

const OpInfo op_info_nn_conv_wino = {
    .name = "nn_conv_wino",
    .num_tensors = 5,
    .params_size = sizeof(OpNnConvWinoParams),
    .rows = nn_conv_wino_rows,
    .cpu = nn_conv_wino_cpu,
    .grid = nn_conv_wino_grid,
    .local = {8, 8, 1},
};

int op_nn_conv_wino(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int act,
                    float slope, WeftTensor *residual, int res_act, float res_slope,
                    WeftTensor *out)
{
    if (!in || !weights || !bias || !out || out == in || act < 0 || act > 2 || res_act < 0 ||
        res_act > 2 || out->h != in->h || out->w != in->w ||
        tensor_count(weights) != nn_conv_wino_packed_count(out->c, in->c) ||
        tensor_count(bias) != (size_t)nn_round_up(out->c, NN_CONV_OB))
        return -EINVAL;
    if (residual && (residual == out || residual->c != out->c || residual->h != out->h ||
                     residual->w != out->w))
        return -EINVAL;
    OpNnConvWinoParams p = {.cin = in->c,
                            .h = in->h,
                            .w = in->w,
                            .cout = out->c,
                            .act = act,
                            .slope = slope,
                            .has_res = residual != NULL,
                            .res_act = res_act,
                            .res_slope = res_slope};
    return device_run(d, &op_info_nn_conv_wino, &p,
                      (WeftTensor *[]){in, weights, bias, residual ? residual : in, out});
}

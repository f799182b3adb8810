/* C path of nn_conv_wino: per row of tiles, the input transform of every tile and channel
 * into 16 planes, then 16 matrix products (output block x input channels x tiles) by the
 * shared tile kernel, then the output transform with bias, activation and residual. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/nn_conv_kernel.h"
#include "ops/nn_conv_wino.h"

size_t nn_conv_wino_packed_count(int cout, int cin)
{
    return (size_t)16 * nn_round_up(cout, NN_CONV_OB) * cin;
}

void nn_conv_wino_pack(const float *w, int cout, int cin, float *packed)
{
    static const float G[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
    int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    for (int oc = 0; oc < blocks * NN_CONV_OB; oc++)
        for (int i = 0; i < cin; i++) {
            float u[4][4] = {{0}};
            if (oc < cout) {
                const float *g = w + ((size_t)oc * cin + i) * 9;
                float t[4][3]; /* G g */
                for (int r = 0; r < 4; r++)
                    for (int c = 0; c < 3; c++)
                        t[r][c] = G[r][0] * g[c] + G[r][1] * g[3 + c] + G[r][2] * g[6 + c];
                for (int r = 0; r < 4; r++) /* (G g) G^T */
                    for (int c = 0; c < 4; c++)
                        u[r][c] = t[r][0] * G[c][0] + t[r][1] * G[c][1] + t[r][2] * G[c][2];
            }
            int b = oc / NN_CONV_OB, o = oc % NN_CONV_OB;
            for (int xi = 0; xi < 16; xi++)
                packed[(((size_t)xi * blocks + b) * cin + i) * NN_CONV_OB + o] = u[xi / 4][xi % 4];
        }
}

static int nn_conv_wino_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    return (((const OpNnConvWinoParams *)params)->h + 1) / 2;
}

NN_LOOPS_ATTR
static void nn_conv_wino_cpu(const void *params, WeftTensor *const *t, int r0, int r1)
{
    const OpNnConvWinoParams *p = params;
    const int cin = p->cin, h = p->h, w = p->w, cout = p->cout;
    const NnConvKernel kern = nn_conv_kernel();
    const int tile_floats = NN_CONV_OB * kern.px;
    const int tw = (w + 1) / 2, tw_pad = nn_round_up(tw, kern.px);
    const int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    const int chunks = tw_pad / kern.px;
    /* M holds the kernel's tiles as they come: [xi][block][chunk][8][px] */
    const size_t v_plane = (size_t)cin * tw_pad, m_plane = (size_t)blocks * NN_CONV_OB * tw_pad;
    float *v = aligned_alloc(64, ((16 * v_plane + 16) * sizeof(float) + 63) & ~(size_t)63);
    float *m = aligned_alloc(64, ((16 * m_plane) * sizeof(float) + 63) & ~(size_t)63);
    /* 4 input rows split in even/odd columns, then one padded row */
    float *row = malloc(((size_t)8 * (tw_pad + 1) + 2 * (size_t)tw + 2) * sizeof(float));
    if (!v || !m || !row) {
        free(v);
        free(m);
        free(row);
        return;
    }
    const float *in = t[0]->host, *u = t[1]->host, *bias = t[2]->host;
    const float *res = p->has_res ? t[3]->host : NULL;
    float *out = t[4]->host;
    const float neg = p->act == 0 ? 1.0f : p->act == 1 ? 0.0f : p->slope;
    const float res_neg = p->res_act == 0 ? 1.0f : p->res_act == 1 ? 0.0f : p->res_slope;
    const size_t plane = (size_t)h * w;
    const int zero_tap = 0;
    for (int ty = r0; ty < r1; ty++) {
        /* input transform V = B^T d B for every channel and tile of this row; the four
         * input rows are split into even and odd columns so every term is a run of
         * consecutive tiles and the loops vectorise: d[r][c] of tile tx is E[tx], O[tx],
         * E[tx + 1], O[tx + 1] for c = 0..3 */
        float *q = row + (size_t)8 * (tw_pad + 1);
        for (int ic = 0; ic < cin; ic++) {
            float *ev[4], *od[4];
            for (int r = 0; r < 4; r++) {
                ev[r] = row + (size_t)r * 2 * (tw_pad + 1);
                od[r] = ev[r] + tw_pad + 1;
                int iy = 2 * ty - 1 + r;
                if (iy < 0 || iy >= h) {
                    memset(ev[r], 0, (size_t)2 * (tw_pad + 1) * sizeof(float));
                    continue;
                }
                /* q[j] = in[j - 1], zero-padded; then E[j] = q[2j], O[j] = q[2j + 1] */
                q[0] = 0.0f;
                memcpy(q + 1, in + ic * plane + (size_t)iy * w, (size_t)w * sizeof(float));
                memset(q + 1 + w, 0, (size_t)(2 * tw + 2 - 1 - w) * sizeof(float));
                for (int j = 0; j <= tw; j++) {
                    ev[r][j] = q[2 * j];
                    od[r][j] = q[2 * j + 1];
                }
            }
            float *vb = v + (size_t)ic * tw_pad;
            for (int r = 0; r < 4; r++) {
                /* row r of B^T d, per column c: e_r = combination of input rows */
                static const int8_t bt[4][4] = {
                    {1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
                float *o0 = vb + (size_t)(4 * r + 0) * v_plane,
                      *o1 = vb + (size_t)(4 * r + 1) * v_plane;
                float *o2 = vb + (size_t)(4 * r + 2) * v_plane,
                      *o3 = vb + (size_t)(4 * r + 3) * v_plane;
                int ra = -1, rb = -1;
                float sa = 0, sb = 0;
                for (int k = 0; k < 4; k++)
                    if (bt[r][k]) {
                        if (ra < 0) {
                            ra = k;
                            sa = bt[r][k];
                        } else {
                            rb = k;
                            sb = bt[r][k];
                        }
                    }
                const float *ea = ev[ra], *oa = od[ra], *eb = ev[rb], *ob = od[rb];
                for (int tx = 0; tx < tw; tx++) {
                    float e0 = sa * ea[tx] + sb * eb[tx], e1 = sa * oa[tx] + sb * ob[tx];
                    float e2 = sa * ea[tx + 1] + sb * eb[tx + 1];
                    float e3 = sa * oa[tx + 1] + sb * ob[tx + 1];
                    o0[tx] = e0 - e2;
                    o1[tx] = e1 + e2;
                    o2[tx] = e2 - e1;
                    o3[tx] = e1 - e3;
                }
            }
            for (int xi = 0; xi < 16; xi++) /* defined contents in the tile padding */
                memset(vb + (size_t)xi * v_plane + tw, 0, (size_t)(tw_pad - tw) * sizeof(float));
        }
        /* 16 products M_xi = U_xi V_xi */
        for (int xi = 0; xi < 16; xi++)
            for (int b = 0; b < blocks; b++) {
                const float *ub = u + ((size_t)xi * blocks + b) * cin * NN_CONV_OB;
                for (int x0 = 0; x0 < tw; x0 += kern.px)
                    kern.tile(v + xi * v_plane + x0, &zero_tap, 1, (size_t)tw_pad, cin, ub,
                           m + xi * m_plane + ((size_t)b * chunks + x0 / kern.px) * tile_floats);
            }
        /* output transform Y = A^T M A, bias, activation, residual: per output channel
         * and chunk of px tiles, every M_xi is a run of consecutive tiles */
        for (int oc = 0; oc < cout; oc++) {
            float *y0 = row, *y1 = row + 2 * tw_pad; /* the two output rows, interleaved */
            for (int x0 = 0; x0 < tw; x0 += kern.px) {
                size_t at_m = ((size_t)(oc / NN_CONV_OB) * chunks + x0 / kern.px) * tile_floats +
                              (size_t)(oc % NN_CONV_OB) * kern.px;
                const float *mx[16];
                for (int xi = 0; xi < 16; xi++)
                    mx[xi] = m + xi * m_plane + at_m;
                int n = tw - x0 < kern.px ? tw - x0 : kern.px;
                for (int i = 0; i < n; i++) {
                    float s0[4], s1[4];
                    for (int c = 0; c < 4; c++) {
                        s0[c] = mx[c][i] + mx[4 + c][i] + mx[8 + c][i];
                        s1[c] = mx[4 + c][i] - mx[8 + c][i] - mx[12 + c][i];
                    }
                    int x = 2 * (x0 + i);
                    y0[x] = s0[0] + s0[1] + s0[2];
                    y0[x + 1] = s0[1] - s0[2] - s0[3];
                    y1[x] = s1[0] + s1[1] + s1[2];
                    y1[x + 1] = s1[1] - s1[2] - s1[3];
                }
            }
            const float bo = bias[oc];
            for (int r = 0; r < 2; r++) {
                int y = 2 * ty + r;
                if (y >= h)
                    break;
                const float *src = r ? y1 : y0;
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
    grid[0] = (uint32_t)((p->w + 1) / 2);
    grid[1] = (uint32_t)((p->h + 1) / 2);
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

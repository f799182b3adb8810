/* C path of nn_conv_wino: per group of tiles, the input transform of every tile and channel
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

/* The C path counts tiles across the whole picture (tile t is row t / tw, column t % tw) and
 * a C row is a group of the kernel's width of consecutive tiles: one matrix product per
 * group keeps every lane of the kernel busy however narrow the picture (a group per row of
 * tiles wasted up to two thirds of the products on padding at the coarse levels). Groups
 * of 2 to 4 kernel widths measured slower (the group's planes leave the L2 cache). */
static int nn_conv_wino_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnConvWinoParams *p = params;
    long tiles = (long)((p->h + 3) / 4) * ((p->w + 3) / 4);
    int px = nn_conv_kernel().px;
    return (int)((tiles + px - 1) / px);
}

/* The rows of B^T written out so the loops vectorise: out_k[j] = (B^T e)_k for the
 * 6-vectors e_c = in_c[j] (c = 0..5) over n columns (bt6), or, along a row of tiles, e_c =
 * column 4 j + c of the row (bt6_tiles). That row comes split by column phase (p[c * np + j]
 * = column 4 j + c, c = 0..3; see deinterleave4()), so tile j reads p0[j] .. p3[j], p0[j + 1],
 * p1[j + 1]: contiguous loads, where a stride-4 gather did not vectorise. Every output is a
 * restrict parameter of its own: GCC gives up on the run-time overlap checks of six
 * pointers from an array. */
#define BT6_BODY                                                                                   \
    o0[j] = 4 * e0 - 5 * e2 + e4;                                                                  \
    o1[j] = -4 * e1 - 4 * e2 + e3 + e4;                                                            \
    o2[j] = 4 * e1 - 4 * e2 - e3 + e4;                                                             \
    o3[j] = -2 * e1 - e2 + 2 * e3 + e4;                                                            \
    o4[j] = 2 * e1 - e2 - 2 * e3 + e4;                                                             \
    o5[j] = 4 * e1 - 5 * e3 + e5;

#define BT6_OUTS                                                                                   \
    float *restrict o0, float *restrict o1, float *restrict o2, float *restrict o3,                \
        float *restrict o4, float *restrict o5

NN_LOOPS_ATTR NN_SIMD_CLONES static void bt6_tiles(const float *restrict p, int np, int n, BT6_OUTS)
{
    const float *p0 = p, *p1 = p + np, *p2 = p + 2 * np, *p3 = p + 3 * np;
    for (int j = 0; j < n; j++) {
        float e0 = p0[j], e1 = p1[j], e2 = p2[j], e3 = p3[j], e4 = p0[j + 1], e5 = p1[j + 1];
        BT6_BODY
    }
}

NN_LOOPS_ATTR NN_SIMD_CLONES static void bt6(const float *restrict i0, const float *restrict i1,
                                             const float *restrict i2, const float *restrict i3,
                                             const float *restrict i4, const float *restrict i5,
                                             int n, BT6_OUTS)
{
    for (int j = 0; j < n; j++) {
        float e0 = i0[j], e1 = i1[j], e2 = i2[j], e3 = i3[j], e4 = i4[j], e5 = i5[j];
        BT6_BODY
    }
}

/* p[c * n + j] = in[4 j + c] for c = 0..3, j < n */
NN_LOOPS_ATTR NN_SIMD_CLONES static void deinterleave4(const float *restrict in, int n,
                                                       float *restrict p)
{
    for (int j = 0; j < n; j++) {
        p[j] = in[4 * j];
        p[n + j] = in[4 * j + 1];
        p[2 * n + j] = in[4 * j + 2];
        p[3 * n + j] = in[4 * j + 3];
    }
}

/* Y = A^T M A for n consecutive tiles, in two passes that vectorise over the tiles: M_xi of
 * tile i is m[xi * xi_stride + i]; S = A^T M goes to s[(6 r + c) * n + i], then
 * Y = S A to y[(4 r + k) * n + i] (output row r, column k of the tile). Both passes apply
 * the rows of A^T to 6-vectors of planes: at4_column(). */
/* One column c of A^T M over n tiles: m_k = M[k][c] (k = 0..5) to s_r = (A^T M)[r][c]. */
NN_LOOPS_ATTR NN_SIMD_CLONES static void
at4_column(const float *restrict m0, const float *restrict m1, const float *restrict m2,
           const float *restrict m3, const float *restrict m4, const float *restrict m5, int n,
           float *restrict s0, float *restrict s1, float *restrict s2, float *restrict s3)
{
    for (int i = 0; i < n; i++) {
        s0[i] = m0[i] + m1[i] + m2[i] + m3[i] + m4[i];
        s1[i] = m1[i] - m2[i] + 2 * m3[i] - 2 * m4[i];
        s2[i] = m1[i] + m2[i] + 4 * m3[i] + 4 * m4[i];
        s3[i] = m1[i] - m2[i] + 8 * m3[i] - 8 * m4[i] + m5[i];
    }
}

static void at4_tiles(const float *m, size_t xi_stride, int n, float *s, float *y)
{
    for (int c = 0; c < 6; c++) {
        const float *mc = m + c * xi_stride;
        at4_column(mc, mc + 6 * xi_stride, mc + 12 * xi_stride, mc + 18 * xi_stride,
                   mc + 24 * xi_stride, mc + 30 * xi_stride, n, s + c * n, s + (6 + c) * n,
                   s + (12 + c) * n, s + (18 + c) * n);
    }
    /* Y = S A: row r of S is a column of the same form */
    for (int r = 0; r < 4; r++) {
        const float *e = s + 6 * r * n;
        float *yr = y + 4 * r * n;
        at4_column(e, e + n, e + 2 * n, e + 3 * n, e + 4 * n, e + 5 * n, n, yr, yr + n, yr + 2 * n,
                   yr + 3 * n);
    }
}

/* The interleave of nn_wino_store_row for a tile width of K (a constant once inlined). */
#define STORE_TILES(K)                                                                             \
    for (int i = 0; i < full; i++)                                                                 \
        for (int k = 0; k < (K); k++) {                                                            \
            float val = y[k * n + i] + bias, scaled = val * neg;                                   \
            dst[(K)*i + k] = val < 0.0f ? scaled : val;                                            \
        }

NN_LOOPS_ATTR NN_SIMD_CLONES void nn_wino_store_row(const float *restrict y, int n, int tile_w,
                                                    int nx, float bias, float neg,
                                                    const float *restrict res, float res_neg,
                                                    float *restrict dst)
{
    const int full = nx / tile_w;
    if (tile_w == 4) {
        STORE_TILES(4)
    } else {
        STORE_TILES(6)
    }
    for (int x = tile_w * full; x < nx; x++) {
        float val = y[(x % tile_w) * n + x / tile_w] + bias, scaled = val * neg;
        dst[x] = val < 0.0f ? scaled : val;
    }
    if (res)
        for (int x = 0; x < nx; x++) {
            float val = dst[x] + res[x], scaled = val * res_neg;
            dst[x] = val < 0.0f ? scaled : val;
        }
}

NN_LOOPS_ATTR NN_SIMD_CLONES static void nn_conv_wino_cpu(const void *params, WeftTensor *const *t,
                                                          int g0, int g1)
{
    const OpNnConvWinoParams *p = params;
    const int cin = p->cin, h = p->h, w = p->w, cout = p->cout;
    const NnConvKernel kern = nn_conv_kernel();
    const int px = kern.px, tile_floats = NN_CONV_OB * px;
    const int tw = (w + 3) / 4, th = (h + 3) / 4;
    const long tiles = (long)tw * th;
    const int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    /* V: [xi][ic][px] (a group's transformed inputs); M: [xi][block][8][px], the kernel's
     * tiles as they come */
    const size_t v_plane = (size_t)cin * px, m_plane = (size_t)blocks * tile_floats;
    float *v = aligned_alloc(64, ((36 * v_plane + 16) * sizeof(float) + 63) & ~(size_t)63);
    float *m = aligned_alloc(64, ((36 * m_plane) * sizeof(float) + 63) & ~(size_t)63);
    /* 6 padded input rows and their column transform (a group spans at most px tiles of a
     * row: 4 px + 2 columns), 4 output rows */
    const size_t len = (size_t)4 * px + 4;
    float *row = malloc((13 * len + 40 * (size_t)px) * sizeof(float));
    if (!v || !m || !row) {
        free(v);
        free(m);
        free(row);
        return;
    }
    float *q[6], *tr[6], *lin = row + 12 * len, *st = lin + len, *yt = st + 24 * (size_t)px;
    for (int r = 0; r < 6; r++) {
        q[r] = row + r * len;
        tr[r] = row + (6 + r) * len;
    }
    const float *in = t[0]->host, *u = t[1]->host, *bias = t[2]->host;
    const float *res = p->has_res ? t[3]->host : NULL;
    float *out = t[4]->host;
    const float neg = p->act == 0 ? 1.0f : p->act == 1 ? 0.0f : p->slope;
    const float res_neg = p->res_act == 0 ? 1.0f : p->res_act == 1 ? 0.0f : p->res_slope;
    const size_t plane = (size_t)h * w;
    const int zero_tap = 0;
    for (int g = g0; g < g1; g++) {
        const long first = (long)g * px;
        const int n = tiles - first < px ? (int)(tiles - first) : px;
        /* input transform V = B^T d B of every channel and tile of the group, by runs of
         * tiles within a row of tiles: first down the columns of the 6 input rows
         * (lin[j] = in[4 ty - 1 + r][4 tx0 - 1 + j], zero-padded, split by column phase into
         * q[r]), then along each transformed row */
        for (int ic = 0; ic < cin; ic++) {
            const float *src = in + ic * plane;
            float *vb = v + (size_t)ic * px;
            for (int i = 0; i < n;) {
                const int ty = (int)((first + i) / tw), tx0 = (int)((first + i) % tw);
                const int run = tw - tx0 < n - i ? tw - tx0 : n - i;
                /* run + 1 columns of each phase: 4 run + 2 columns used, 2 more of zeros */
                const int x0 = 4 * tx0 - 1, np = run + 1, cols = 4 * np;
                /* the columns of the input inside the picture: j in [j0, j1) */
                const int j0 = x0 < 0 ? -x0 : 0, j1 = w - x0 < cols ? w - x0 : cols;
                for (int r = 0; r < 6; r++) {
                    int iy = 4 * ty - 1 + r;
                    if (iy < 0 || iy >= h) {
                        memset(q[r], 0, (size_t)cols * sizeof(float));
                        continue;
                    }
                    if (j0)
                        lin[0] = 0.0f;
                    memcpy(lin + j0, src + (size_t)iy * w + x0 + j0,
                           (size_t)(j1 - j0) * sizeof(float));
                    memset(lin + j1, 0, (size_t)(cols - j1) * sizeof(float));
                    deinterleave4(lin, np, q[r]);
                }
                bt6(q[0], q[1], q[2], q[3], q[4], q[5], cols, tr[0], tr[1], tr[2], tr[3], tr[4],
                    tr[5]);
                for (int a = 0; a < 6; a++) {
                    float *o = vb + (size_t)6 * a * v_plane + i;
                    bt6_tiles(tr[a], np, run, o, o + v_plane, o + 2 * v_plane, o + 3 * v_plane,
                              o + 4 * v_plane, o + 5 * v_plane);
                }
                i += run;
            }
            if (n < px) /* defined contents past the last tile */
                for (int xi = 0; xi < 36; xi++)
                    memset(vb + (size_t)xi * v_plane + n, 0, (size_t)(px - n) * sizeof(float));
        }
        /* 36 products M_xi = U_xi V_xi */
        for (int xi = 0; xi < 36; xi++)
            for (int b = 0; b < blocks; b++)
                kern.tile(v + xi * v_plane, &zero_tap, 1, (size_t)px, cin,
                          u + ((size_t)xi * blocks + b) * cin * NN_CONV_OB,
                          m + xi * m_plane + (size_t)b * tile_floats);
        /* output transform Y = A^T M A, bias, activation, residual: per output channel and
         * run of tiles within a row of tiles */
        for (int oc = 0; oc < cout; oc++) {
            const float *mo =
                m + (size_t)(oc / NN_CONV_OB) * tile_floats + (size_t)(oc % NN_CONV_OB) * px;
            const float bo = bias[oc];
            for (int i = 0; i < n;) {
                const int ty = (int)((first + i) / tw), tx0 = (int)((first + i) % tw);
                const int run = tw - tx0 < n - i ? tw - tx0 : n - i;
                at4_tiles(mo + i, m_plane, run, st, yt);
                const int x0 = 4 * tx0, nx = w - x0 < 4 * run ? w - x0 : 4 * run;
                for (int r = 0; r < 4 && 4 * ty + r < h; r++) {
                    size_t at = oc * plane + (size_t)(4 * ty + r) * w + x0;
                    nn_wino_store_row(yt + 4 * r * run, run, 4, nx, bo, neg, res ? res + at : NULL,
                                      res_neg, out + at);
                }
                i += run;
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

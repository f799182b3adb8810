/* C path of nn_conv_wino: per group of tiles, the input transform of every tile and channel
 * into 64 planes, then 64 matrix products (output block x input channels x tiles) by the
 * shared tile kernel, then the output transform with bias, activation and residual. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/nn_conv_kernel.h"
#include "ops/nn_conv_wino.h"

size_t nn_conv_wino_packed_count(int cout, int cin)
{
    return (size_t)64 * nn_round_up(cout, NN_CONV_OB) * cin;
}

void nn_conv_wino_pack(const float *w, int cout, int cin, float *packed)
{
    static const double G[8][3] = {{1, 0, 0},
                                   {-2.0 / 9, -2.0 / 9, -2.0 / 9},
                                   {-2.0 / 9, 2.0 / 9, -2.0 / 9},
                                   {1.0 / 90, 1.0 / 45, 2.0 / 45},
                                   {1.0 / 90, -1.0 / 45, 2.0 / 45},
                                   {32.0 / 45, 16.0 / 45, 8.0 / 45},
                                   {32.0 / 45, -16.0 / 45, 8.0 / 45},
                                   {0, 0, 1}};
    int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    /* the 8 outputs of a block innermost: each position's 8 floats are written together
     * (output-major order scattered single floats over the whole packed array: 7 % of a
     * RIFE run's CPU time went to packing) */
    for (int b = 0; b < blocks; b++)
        for (int i = 0; i < cin; i++)
            for (int o = 0; o < NN_CONV_OB; o++) {
                const int oc = b * NN_CONV_OB + o;
                double u[8][8] = {{0}};
                if (oc < cout) {
                    const float *g = w + ((size_t)oc * cin + i) * 9;
                    double t[8][3]; /* G g */
                    for (int r = 0; r < 8; r++)
                        for (int c = 0; c < 3; c++)
                            t[r][c] = G[r][0] * g[c] + G[r][1] * g[3 + c] + G[r][2] * g[6 + c];
                    for (int r = 0; r < 8; r++) /* (G g) G^T */
                        for (int c = 0; c < 8; c++)
                            u[r][c] = t[r][0] * G[c][0] + t[r][1] * G[c][1] + t[r][2] * G[c][2];
                }
                for (int xi = 0; xi < 64; xi++)
                    packed[(((size_t)xi * blocks + b) * cin + i) * NN_CONV_OB + o] =
                        (float)u[xi / 8][xi % 8];
            }
}

/* The C path counts tiles across the whole picture (tile t is row t / tw, column t % tw) and
 * a C row is a group of the kernel's width of consecutive tiles: one matrix product per
 * group keeps every lane of the kernel busy however narrow the picture (a group per row of
 * tiles wasted up to two thirds of the products on padding at the coarse levels; groups of
 * 2 to 4 kernel widths measured slower, their planes leave the L2 cache). A picture
 * of one group (the coarse level: 15 tiles at 30x17) splits its output blocks into 2 parts,
 * so two threads share it (each part repeats the group's input transform: +30 % CPU time
 * at 192 channels, measured; 4 parts, or parts for 2-3 groups, cost more than they gave).
 * Row = group * parts + part. */
static int wino_groups(const OpNnConvWinoParams *p, int px)
{
    long tiles = (long)((p->h + 5) / 6) * ((p->w + 5) / 6);
    return (int)((tiles + px - 1) / px);
}

static int wino_parts(const OpNnConvWinoParams *p, int groups)
{
    int blocks = nn_round_up(p->cout, NN_CONV_OB) / NN_CONV_OB;
    return groups >= 2 ? 1 : blocks < 2 ? blocks : 2;
}

static int nn_conv_wino_rows(const void *params, WeftTensor *const *t)
{
    (void)t;
    const OpNnConvWinoParams *p = params;
    int groups = wino_groups(p, nn_conv_kernel().px);
    return groups * wino_parts(p, groups);
}

/* o_k[j] = (B^T e)_k for the 8-vector e (rows of B^T in nn_conv_wino.h, factored). The loops
 * vectorise: every output is a restrict parameter of its own (GCC gives up on the run-time
 * overlap checks of pointers from an array), and a row of tiles comes split by column phase
 * (p[c * np + j] = column 6 j + c, c = 0..5), so tile j reads p0[j] .. p5[j], p0[j + 1],
 * p1[j + 1]: contiguous loads, where a stride-6 gather does not vectorise. */
#define BT8_BODY(e0, e1, e2, e3, e4, e5, e6, e7)                                                   \
    {                                                                                              \
        float t1 = e2 + e6 - e4 * 4.25f, t2 = e1 + e5 - e3 * 4.25f;                                \
        float t3 = e6 + e2 * 0.25f - e4 * 1.25f, t4 = e1 * 0.5f - e3 * 2.5f + e5 * 2.0f;           \
        float t5 = e6 + (e2 - e4 * 1.25f) * 4.0f, t6 = e1 * 2.0f - e3 * 2.5f + e5 * 0.5f;          \
        o0[j] = e0 - e6 + (e4 - e2) * 5.25f;                                                       \
        o1[j] = t1 + t2;                                                                           \
        o2[j] = t1 - t2;                                                                           \
        o3[j] = t3 + t4;                                                                           \
        o4[j] = t3 - t4;                                                                           \
        o5[j] = t5 + t6;                                                                           \
        o6[j] = t5 - t6;                                                                           \
        o7[j] = e7 - e1 + (e3 - e5) * 5.25f;                                                       \
    }

#define BT8_OUTS                                                                                   \
    float *restrict o0, float *restrict o1, float *restrict o2, float *restrict o3,                \
        float *restrict o4, float *restrict o5, float *restrict o6, float *restrict o7

/* down the columns: e_r = i_r[j] over n columns */
NN_LOOPS_ATTR NN_SIMD_CLONES static void bt8(const float *restrict i0, const float *restrict i1,
                                             const float *restrict i2, const float *restrict i3,
                                             const float *restrict i4, const float *restrict i5,
                                             const float *restrict i6, const float *restrict i7,
                                             int n, BT8_OUTS)
{
    for (int j = 0; j < n; j++)
        BT8_BODY(i0[j], i1[j], i2[j], i3[j], i4[j], i5[j], i6[j], i7[j])
}

/* along a transformed row of n tiles split by column phase (np columns a phase) */
NN_LOOPS_ATTR NN_SIMD_CLONES static void bt8_tiles(const float *restrict p, int np, int n, BT8_OUTS)
{
    const float *p0 = p, *p1 = p + np, *p2 = p + 2 * np, *p3 = p + 3 * np, *p4 = p + 4 * np,
                *p5 = p + 5 * np;
    for (int j = 0; j < n; j++)
        BT8_BODY(p0[j], p1[j], p2[j], p3[j], p4[j], p5[j], p0[j + 1], p1[j + 1])
}

/* p[c * n + j] = in[6 j + c] for c = 0..5, j < n */
NN_LOOPS_ATTR NN_SIMD_CLONES static void deinterleave6(const float *restrict in, int n,
                                                       float *restrict p)
{
    for (int j = 0; j < n; j++)
        for (int c = 0; c < 6; c++)
            p[c * n + j] = in[6 * j + c];
}

/* Rows of A^T applied to 8-vectors of planes m_k over n tiles, to s_r (r = 0..5). */
NN_LOOPS_ATTR NN_SIMD_CLONES static void
at8_column(const float *restrict m0, const float *restrict m1, const float *restrict m2,
           const float *restrict m3, const float *restrict m4, const float *restrict m5,
           const float *restrict m6, const float *restrict m7, int n, float *restrict s0,
           float *restrict s1, float *restrict s2, float *restrict s3, float *restrict s4,
           float *restrict s5)
{
    for (int i = 0; i < n; i++) {
        float a1 = m1[i] + m2[i], b1 = m1[i] - m2[i], a2 = m3[i] + m4[i], b2 = m3[i] - m4[i];
        float a3 = m5[i] + m6[i], b3 = m5[i] - m6[i];
        s0[i] = m0[i] + a1 + a2 + a3;
        s1[i] = b1 + 2.0f * b2 + 0.5f * b3;
        s2[i] = a1 + 4.0f * a2 + 0.25f * a3;
        s3[i] = b1 + 8.0f * b2 + 0.125f * b3;
        s4[i] = a1 + 16.0f * a2 + 0.0625f * a3;
        s5[i] = b1 + 32.0f * b2 + 0.03125f * b3 + m7[i];
    }
}

/* Y = A^T M A for n consecutive tiles: M_xi of tile i is m[xi * xi_stride + i];
 * S = A^T M goes to s[(8 r + c) * n + i], then Y = S A to y[(6 r + k) * n + i]. */
static void at6_tiles(const float *m, size_t xi_stride, int n, float *s, float *y)
{
    for (int c = 0; c < 8; c++) {
        const float *mc = m + c * xi_stride;
        float *sc = s + c * n;
        size_t st = 8 * xi_stride;
        at8_column(mc, mc + st, mc + 2 * st, mc + 3 * st, mc + 4 * st, mc + 5 * st, mc + 6 * st,
                   mc + 7 * st, n, sc, sc + 8 * n, sc + 16 * n, sc + 24 * n, sc + 32 * n,
                   sc + 40 * n);
    }
    for (int r = 0; r < 6; r++) {
        const float *e = s + 8 * r * n;
        float *yr = y + 6 * r * n;
        at8_column(e, e + n, e + 2 * n, e + 3 * n, e + 4 * n, e + 5 * n, e + 6 * n, e + 7 * n, n,
                   yr, yr + n, yr + 2 * n, yr + 3 * n, yr + 4 * n, yr + 5 * n);
    }
}

/* dst[6 i + k] = act(y_k[i] + bias) for the nx columns of a row of outputs (the six planes
 * y_k of Y's row, n apart), then the residual and its activation (res NULL: none). */
NN_LOOPS_ATTR NN_SIMD_CLONES static void store_row(const float *restrict y, int n, int nx,
                                                   float bias, float neg, const float *restrict res,
                                                   float res_neg, float *restrict dst)
{
    const int full = nx / 6;
    for (int i = 0; i < full; i++)
        for (int k = 0; k < 6; k++) {
            float val = y[k * n + i] + bias, scaled = val * neg;
            dst[6 * i + k] = val < 0.0f ? scaled : val;
        }
    for (int x = 6 * full; x < nx; x++) {
        float val = y[(x % 6) * n + x / 6] + bias, scaled = val * neg;
        dst[x] = val < 0.0f ? scaled : val;
    }
    if (res)
        for (int x = 0; x < nx; x++) {
            float val = dst[x] + res[x], scaled = val * res_neg;
            dst[x] = val < 0.0f ? scaled : val;
        }
}

NN_LOOPS_ATTR NN_SIMD_CLONES static void nn_conv_wino_cpu(const void *params, WeftTensor *const *t,
                                                          int r0, int r1)
{
    const OpNnConvWinoParams *p = params;
    const int cin = p->cin, h = p->h, w = p->w, cout = p->cout;
    const NnConvKernel kern = nn_conv_kernel();
    const int px = kern.px, tile_floats = NN_CONV_OB * px;
    const int tw = (w + 5) / 6, th = (h + 5) / 6;
    const long tiles = (long)tw * th;
    const int blocks = nn_round_up(cout, NN_CONV_OB) / NN_CONV_OB;
    /* V: [xi][ic][px] (a group's transformed inputs); M: [xi][block][8][px] */
    const size_t v_plane = (size_t)cin * px, m_plane = (size_t)blocks * tile_floats;
    float *v = aligned_alloc(64, ((64 * v_plane + 16) * sizeof(float) + 63) & ~(size_t)63);
    float *m = aligned_alloc(64, ((64 * m_plane) * sizeof(float) + 63) & ~(size_t)63);
    /* 8 padded input rows and their column transform (6 px + 2 columns), S and Y */
    const size_t len = (size_t)6 * px + 6;
    float *row = malloc((17 * len + 84 * (size_t)px) * sizeof(float));
    if (!v || !m || !row) {
        free(v);
        free(m);
        free(row);
        return;
    }
    float *q[8], *tr[8], *lin = row + 16 * len, *st = lin + len, *yt = st + 48 * (size_t)px;
    for (int r = 0; r < 8; r++) {
        q[r] = row + r * len;
        tr[r] = row + (8 + r) * len;
    }
    const float *in = t[0]->host, *u = t[1]->host, *bias = t[2]->host;
    const float *res = p->has_res ? t[3]->host : NULL;
    float *out = t[4]->host;
    const float neg = p->act == 0 ? 1.0f : p->act == 1 ? 0.0f : p->slope;
    const float res_neg = p->res_act == 0 ? 1.0f : p->res_act == 1 ? 0.0f : p->res_slope;
    const size_t plane = (size_t)h * w;
    const int zero_tap = 0;
    const int parts = wino_parts(p, wino_groups(p, px));
    for (int item = r0; item < r1; item++) {
        const int g = item / parts, part = item % parts;
        const int b0 = part * blocks / parts, b1 = (part + 1) * blocks / parts;
        const int oc1 = b1 * NN_CONV_OB < cout ? b1 * NN_CONV_OB : cout;
        const long first = (long)g * px;
        const int n = tiles - first < px ? (int)(tiles - first) : px;
        /* input transform by runs of tiles within a row of tiles: q[r][j] =
         * in[6 ty - 1 + r][6 tx0 - 1 + j] (zero-padded), down the columns, then along the
         * transformed rows */
        for (int ic = 0; ic < cin; ic++) {
            const float *src = in + ic * plane;
            float *vb = v + (size_t)ic * px;
            for (int i = 0; i < n;) {
                const int ty = (int)((first + i) / tw), tx0 = (int)((first + i) % tw);
                const int run = tw - tx0 < n - i ? tw - tx0 : n - i;
                /* run + 1 columns of each phase: 6 run + 2 used, 4 more of zeros */
                const int x0 = 6 * tx0 - 1, np = run + 1, cols = 6 * np;
                const int j0 = x0 < 0 ? -x0 : 0, j1 = w - x0 < cols ? w - x0 : cols;
                for (int r = 0; r < 8; r++) {
                    int iy = 6 * ty - 1 + r;
                    if (iy < 0 || iy >= h) {
                        memset(q[r], 0, (size_t)cols * sizeof(float));
                        continue;
                    }
                    if (j0)
                        lin[0] = 0.0f;
                    memcpy(lin + j0, src + (size_t)iy * w + x0 + j0,
                           (size_t)(j1 - j0) * sizeof(float));
                    memset(lin + j1, 0, (size_t)(cols - j1) * sizeof(float));
                    deinterleave6(lin, np, q[r]);
                }
                bt8(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], cols, tr[0], tr[1], tr[2],
                    tr[3], tr[4], tr[5], tr[6], tr[7]);
                for (int a = 0; a < 8; a++) {
                    float *o = vb + (size_t)8 * a * v_plane + i;
                    const size_t vp = v_plane;
                    bt8_tiles(tr[a], np, run, o, o + vp, o + 2 * vp, o + 3 * vp, o + 4 * vp,
                              o + 5 * vp, o + 6 * vp, o + 7 * vp);
                }
                i += run;
            }
            if (n < px) /* defined contents past the last tile */
                for (int xi = 0; xi < 64; xi++)
                    memset(vb + (size_t)xi * v_plane + n, 0, (size_t)(px - n) * sizeof(float));
        }
        /* 64 products M_xi = U_xi V_xi */
        for (int xi = 0; xi < 64; xi++)
            for (int b = b0; b < b1; b++)
                kern.tile(v + xi * v_plane, &zero_tap, 1, (size_t)px, cin,
                          u + ((size_t)xi * blocks + b) * cin * NN_CONV_OB,
                          m + xi * m_plane + (size_t)b * tile_floats);
        /* output transform, bias, activation, residual: per output channel and run */
        for (int oc = b0 * NN_CONV_OB; oc < oc1; oc++) {
            const float *mo =
                m + (size_t)(oc / NN_CONV_OB) * tile_floats + (size_t)(oc % NN_CONV_OB) * px;
            const float bo = bias[oc];
            for (int i = 0; i < n;) {
                const int ty = (int)((first + i) / tw), tx0 = (int)((first + i) % tw);
                const int run = tw - tx0 < n - i ? tw - tx0 : n - i;
                at6_tiles(mo + i, m_plane, run, st, yt);
                const int x0 = 6 * tx0, nx = w - x0 < 6 * run ? w - x0 : 6 * run;
                for (int r = 0; r < 6 && 6 * ty + r < h; r++) {
                    size_t at = oc * plane + (size_t)(6 * ty + r) * w + x0;
                    store_row(yt + 6 * r * run, run, nx, bo, neg, res ? res + at : NULL, res_neg,
                              out + at);
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
    grid[0] = (uint32_t)((p->w + 5) / 6);
    grid[1] = (uint32_t)((p->h + 5) / 6);
    grid[2] = (uint32_t)((p->cout + NN_CONV_OB - 1) / NN_CONV_OB);
}

/* The op and its fp16-activation variant (the shader built with NN_F16). */
#define NN_CONV_WINO_INFO(NAME, HALVES)                                                            \
    {                                                                                              \
        .name = NAME, .num_tensors = 5, .params_size = sizeof(OpNnConvWinoParams),                 \
        .rows = nn_conv_wino_rows, .cpu = nn_conv_wino_cpu, .grid = nn_conv_wino_grid,             \
        .local = {8, 8, 1}, .half_tensors = HALVES,                                                \
    }
const OpInfo op_info_nn_conv_wino = NN_CONV_WINO_INFO("nn_conv_wino", 0);
const OpInfo op_info_nn_conv_wino_f16 = NN_CONV_WINO_INFO(
    "nn_conv_wino_f16", (1u << 0 | 1u << 3 | 1u << 4) /* input, residual, output */);

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
    return device_run(d,
                      out->type == TENSOR_F16 ? &op_info_nn_conv_wino_f16 : &op_info_nn_conv_wino,
                      &p, (WeftTensor *[]){in, weights, bias, residual ? residual : in, out});
}

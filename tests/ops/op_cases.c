/* One case generator per op (see op_case.h). Parameters and ranges follow each op's
 * contract in lib/ops/<op>.h: pictures in [0, 1] with texture, flows in pixels reaching
 * beyond the image edge (edge clamping is exercised), parameters over their valid range. */
#include <math.h>
#include <string.h>

#include "core/half.h"
#include "op_case.h"
#include "ops/add_scaled.h"
#include "ops/anime_arc.h"
#include "ops/anime_merge.h"
#include "ops/anime_tiles.h"
#include "ops/anime_warp.h"
#include "ops/dis_densify.h"
#include "ops/dis_search.h"
#include "ops/downsample.h"
#include "ops/median.h"
#include "ops/nn_binary.h"
#include "ops/nn_conv.h"
#include "ops/nn_conv_wino.h"
#include "ops/nn_copy.h"
#include "ops/nn_deconv.h"
#include "ops/nn_pad.h"
#include "ops/nn_pixel_shuffle.h"
#include "ops/nn_resize.h"
#include "ops/nn_unary.h"
#include "ops/nn_warp.h"
#include "ops/occlusion.h"
#include "ops/resize.h"
#include "ops/scene_stats.h"
#include "ops/block_diff.h"
#include "ops/synth_merge.h"
#include "ops/var_derivs.h"
#include "ops/var_sor.h"
#include "ops/var_weights.h"
#include "ops/warp.h"
#include "ops/warp_homography.h"

uint64_t rng_next(CaseRng *r)
{
    /* splitmix64 */
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

float rng_uniform(CaseRng *r, float lo, float hi)
{
    return lo + (hi - lo) * (float)((double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0));
}

int rng_int(CaseRng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

void case_params(OpCase *k, const void *params, size_t size)
{
    memcpy(k->params, params, size);
    k->params_size = size;
}

void case_tensor(OpCase *k, int c, int h, int w, float lo, float hi)
{
    int i = k->num_tensors++;
    k->shape[i][0] = c;
    k->shape[i][1] = h;
    k->shape[i][2] = w;
    k->lo[i] = lo;
    k->hi[i] = hi;
    k->smooth[i] = 0;
}

void case_tensor_smooth(OpCase *k, int c, int h, int w, float lo, float hi)
{
    case_tensor(k, c, h, w, lo, hi);
    k->smooth[k->num_tensors - 1] = 1;
}

void case_round_half(const OpInfo *op, int i, const int shape[3], float *data)
{
    if (!(op->half_tensors >> i & 1u))
        return;
    size_t n = (size_t)shape[0] * shape[1] * shape[2];
    for (size_t j = 0; j < n; j++)
        data[j] = half_to_float(float_to_half(data[j]));
}

const char *case_unsupported_reason(const OpInfo *op)
{
    return op->half_tensors ? "needs 16-bit storage buffers"
                            : "needs subgroups with ballot of the op's minimum size";
}

void case_fill(CaseRng *r, const int shape[3], float lo, float hi, int smooth, float *data)
{
    const int c = shape[0], h = shape[1], w = shape[2];
    for (int ch = 0; ch < c; ch++) {
        float *plane = data + (size_t)ch * h * w;
        if (!smooth) {
            for (size_t i = 0; i < (size_t)h * w; i++)
                plane[i] = rng_uniform(r, lo, hi);
            continue;
        }
        /* two random plane waves of 4..40 px wavelength, plus 5% noise */
        float fx[2], fy[2], phase[2];
        for (int k = 0; k < 2; k++) {
            float len = rng_uniform(r, 4.0f, 40.0f), ang = rng_uniform(r, 0.0f, 6.2831853f);
            fx[k] = 6.2831853f / len * cosf(ang);
            fy[k] = 6.2831853f / len * sinf(ang);
            phase[k] = rng_uniform(r, 0.0f, 6.2831853f);
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float s = 0.45f * sinf(fx[0] * x + fy[0] * y + phase[0]) +
                          0.3f * sinf(fx[1] * x + fy[1] * y + phase[1]) +
                          rng_uniform(r, -0.05f, 0.05f);
                plane[(size_t)y * w + x] = lo + (hi - lo) * (0.5f + 0.625f * s);
            }
    }
}

/* ---- one generator per op ---- */

static void make_warp(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpWarpParams p = {.c = c, .h = h, .w = w, .scale = rng_uniform(r, -1.5f, 1.5f)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, 0, 1);
    case_tensor(k, 2, h, w, -0.3f * (float)(w + h), 0.3f * (float)(w + h));
    case_tensor(k, c, h, w, 0, 1);
}

static void make_downsample(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpDownsampleParams p = {.c = c, .h = h, .w = w};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, 0, 1);
    case_tensor(k, c, (h + 1) / 2, (w + 1) / 2, 0, 1);
}

static void make_resize(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 3);
    OpResizeParams p = {.c = c,
                        .h = h,
                        .w = w,
                        .oh = rng_int(r, 1, 2 * h + 1),
                        .ow = rng_int(r, 1, 2 * w + 1),
                        .scale_first = rng_uniform(r, 0.25f, 4.0f),
                        .scale_rest = rng_uniform(r, 0.25f, 4.0f)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, -1, 1);
    case_tensor(k, c, p.oh, p.ow, 0, 1);
}

static void make_add_scaled(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpAddScaledParams p = {.c = c, .h = h, .w = w, .scale = rng_uniform(r, -2.0f, 2.0f)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, -1, 1);
    case_tensor(k, c, h, w, -1, 1);
    case_tensor(k, c, h, w, 0, 1);
}

static void make_scene_stats(CaseRng *r, int w, int h, OpCase *k)
{
    (void)r;
    OpSceneStatsParams p = {.h = h, .w = w};
    case_params(k, &p, sizeof(p));
    /* values a little outside [0, 1] exercise the clamping of the end bins */
    case_tensor(k, 1, h, w, -0.05f, 1.05f);
    case_tensor(k, 1, h, w, -0.05f, 1.05f);
    case_tensor(k, 1, h, 1 + 2 * SCENE_STATS_BINS, 0, 1);
}

static void make_block_diff(CaseRng *r, int w, int h, OpCase *k)
{
    /* blocks that do not divide odd sizes exercise the partial edge blocks */
    OpBlockDiffParams p = {.h = h, .w = w, .block = rng_int(r, 1, 9)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, 1, h, w, 0, 1);
    case_tensor(k, 1, h, w, 0, 1);
    case_tensor(k, 1, (h + p.block - 1) / p.block, (w + p.block - 1) / p.block, 0, 1);
}

static void make_median(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 2);
    OpMedianParams p = {.c = c, .h = h, .w = w, .radius = rng_int(r, 1, 2)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, -3, 3);
    case_tensor(k, c, h, w, 0, 1);
}

/* DIS patch grid: a patch size that fits the image, so every image size has a case. */
static void dis_grid(CaseRng *r, int w, int h, int *n, int *stride, int *ph, int *pw)
{
    int most = w < h ? w : h;
    if (most > 16)
        most = 16;
    *n = rng_int(r, most > 4 ? 4 : 1, most);
    *stride = rng_int(r, 1, *n);
    dis_grid_size(h, w, *n, *stride, ph, pw);
}

static void make_dis_search(CaseRng *r, int w, int h, OpCase *k)
{
    int n, stride, ph, pw;
    dis_grid(r, w, h, &n, &stride, &ph, &pw);
    OpDisSearchParams p = {.h = h,
                           .w = w,
                           .patch_size = n,
                           .stride = stride,
                           .ph = ph,
                           .pw = pw,
                           .iterations = rng_int(r, 0, 12),
                           .use_candidates = rng_int(r, 0, 1)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, 1, h, w, 0, 1);
    case_tensor_smooth(k, 1, h, w, 0, 1);
    case_tensor_smooth(k, 2, h, w, -4, 4);
    case_tensor(k, 2, ph, pw, -4, 4);
    case_tensor(k, 2, ph, pw, 0, 1);
}

static void make_dis_densify(CaseRng *r, int w, int h, OpCase *k)
{
    int n, stride, ph, pw;
    dis_grid(r, w, h, &n, &stride, &ph, &pw);
    OpDisDensifyParams p = {.h = h, .w = w, .patch_size = n, .stride = stride, .ph = ph, .pw = pw};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, 1, h, w, 0, 1);
    case_tensor_smooth(k, 1, h, w, 0, 1);
    case_tensor(k, 2, ph, pw, -6, 6);
    case_tensor(k, 2, h, w, 0, 1);
}

static void make_var_derivs(CaseRng *r, int w, int h, OpCase *k)
{
    (void)r;
    OpVarDerivsParams p = {.h = h, .w = w};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, 1, h, w, 0, 1);
    case_tensor_smooth(k, 1, h, w, 0, 1);
    /* about a third of the pixels point outside the image */
    case_tensor(k, 2, h, w, -0.2f * (float)(w + h), 0.2f * (float)(w + h));
    case_tensor(k, 8, h, w, 0, 1);
}

static void make_var_weights(CaseRng *r, int w, int h, OpCase *k)
{
    OpVarWeightsParams p = {.h = h,
                            .w = w,
                            .alpha = rng_uniform(r, 0.5f, 30.0f),
                            .delta = rng_uniform(r, 0.0f, 1.0f),
                            .gamma = rng_uniform(r, 0.0f, 10.0f),
                            .zeta_sq = rng_uniform(r, 1e-4f, 1e-2f),
                            .eps_data_sq = rng_uniform(r, 1e-6f, 1e-3f),
                            .eps_smooth_sq = rng_uniform(r, 1e-6f, 1e-3f)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, 8, h, w, -0.3f, 0.3f);
    case_tensor_smooth(k, 2, h, w, -5, 5);
    case_tensor(k, 2, h, w, -0.5f, 0.5f);
    case_tensor(k, 6, h, w, 0, 1);
}

/* var_sor's system: a11, a22 >= 0, s > 0 (as var_weights makes them). */
static void fill_var_sor(CaseRng *r, const OpCase *k, int i, float *const *data)
{
    if (i != 0)
        return;
    static const float lo[6] = {0.0f, -0.5f, 0.0f, -1.0f, -1.0f, 0.01f};
    static const float hi[6] = {2.0f, 0.5f, 2.0f, 1.0f, 1.0f, 5.0f};
    size_t plane = (size_t)k->shape[0][1] * k->shape[0][2];
    for (int c = 0; c < 6; c++)
        for (size_t j = 0; j < plane; j++)
            data[0][c * plane + j] = rng_uniform(r, lo[c], hi[c]);
}

static void make_var_sor(CaseRng *r, int w, int h, OpCase *k)
{
    OpVarSorParams p = {
        .h = h, .w = w, .colour = rng_int(r, 0, 1), .omega = rng_uniform(r, 0.5f, 1.95f)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, 6, h, w, 0, 1);
    case_tensor_smooth(k, 2, h, w, -5, 5);
    case_tensor(k, 2, h, w, -1, 1);
    case_tensor(k, 2, h, w, -1, 1);
    k->fill = fill_var_sor;
}

/* A backward flow near the negated forward flow, so both consistent and inconsistent
 * pixels occur (and values near the threshold). */
static void backward_from_forward(CaseRng *r, const OpCase *k, const float *fwd, float *bwd)
{
    size_t n = 2 * (size_t)k->shape[0][1] * k->shape[0][2];
    for (size_t j = 0; j < n; j++)
        bwd[j] = -fwd[j] + rng_uniform(r, -0.5f, 0.5f);
}

static void fill_occlusion(CaseRng *r, const OpCase *k, int i, float *const *data)
{
    if (i == 1)
        backward_from_forward(r, k, data[0], data[1]);
}

static void make_occlusion(CaseRng *r, int w, int h, OpCase *k)
{
    OpOcclusionParams p = {
        .h = h, .w = w, .rel = rng_uniform(r, 0.0f, 0.1f), .abs_sq = rng_uniform(r, 0.05f, 1.0f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, 2, h, w, -6, 6);
    case_tensor_smooth(k, 2, h, w, -6, 6); /* made close to -fwd by its fill */
    case_tensor(k, 1, h, w, 0, 1);
    k->fill = fill_occlusion;
}

/* Tensors 0-5 of synth_merge and anime_warp: frames a, b, flows fwd, bwd (bwd made close
 * to -fwd by fill_pair_flows), occlusions of a and b. */
static void case_pair_flows(OpCase *k, int c, int h, int w)
{
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor_smooth(k, 2, h, w, -8, 8);
    case_tensor_smooth(k, 2, h, w, -8, 8);
    case_tensor(k, 1, h, w, 0, 1);
    case_tensor(k, 1, h, w, 0, 1);
}

static void fill_pair_flows(CaseRng *r, const OpCase *k, int i, float *const *data)
{
    if (i == 3)
        backward_from_forward(r, k, data[2], data[3]);
}

static void make_synth_merge(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpSynthMergeParams p = {.c = c,
                            .h = h,
                            .w = w,
                            .iterations = rng_int(r, 0, 6),
                            .candidates = rng_int(r, 1, 2),
                            .t = rng_uniform(r, 0.05f, 0.95f),
                            .occ_weight = rng_uniform(r, 0.0f, 4.0f),
                            .res_scale = rng_uniform(r, 0.1f, 2.0f),
                            .floor = rng_uniform(r, 1e-4f, 0.2f),
                            .cubic_sigma = rng_int(r, 0, 1) ? rng_uniform(r, 0.02f, 0.5f) : 0.0f,
                            .photo_sigma = rng_int(r, 0, 1) ? rng_uniform(r, 0.1f, 1.0f) : 0.0f};
    case_params(k, &p, sizeof(p));
    case_pair_flows(k, c, h, w);
    case_tensor(k, c, h, w, 0, 1);
    k->fill = fill_pair_flows;
}

/* Anime mode (lib/ops/anime_*.h): flows reaching past the edges, disagreeing warped
 * pairs, tile sizes that do not divide the picture, and t on both sides of 0.5 (hold). */
static void make_anime_warp(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpAnimeWarpParams p = {.c = c,
                           .h = h,
                           .w = w,
                           .iterations = rng_int(r, 0, 4),
                           .t = rng_uniform(r, 0.05f, 0.95f),
                           .sel = rng_uniform(r, 0.05f, 0.5f),
                           .sharp = rng_uniform(r, 1.0f, 20.0f)};
    case_params(k, &p, sizeof(p));
    case_pair_flows(k, c, h, w);
    case_tensor(k, 2 * c + 1, h, w, 0, 1);
    k->fill = fill_pair_flows;
}

static void make_anime_tiles(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4), tile = rng_int(r, 1, 40);
    OpAnimeTilesParams p = {.c = c,
                            .h = h,
                            .w = w,
                            .tile = tile,
                            .tw = (w + tile - 1) / tile,
                            .th = (h + tile - 1) / tile,
                            .slope = rng_uniform(r, 0.5f, 8.0f),
                            .agree = rng_uniform(r, 0.005f, 0.5f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor_smooth(k, 2 * c + 1, h, w, 0, 1);
    case_tensor(k, 2, p.th, p.tw, 0, 1);
}

static void make_anime_merge(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4), tile = rng_int(r, 1, 40);
    OpAnimeMergeParams p = {.c = c,
                            .h = h,
                            .w = w,
                            .tile = tile,
                            .tw = (w + tile - 1) / tile,
                            .th = (h + tile - 1) / tile,
                            .t = rng_uniform(r, 0.05f, 0.95f),
                            .sharp = rng_uniform(r, 1.0f, 64.0f),
                            .ink = rng_uniform(r, 0.0f, 1.0f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor(k, 2 * c + 1, h, w, 0, 1);
    case_tensor(k, 2, p.th, p.tw, 0, 1);
    case_tensor(k, c, h, w, 0, 1);
}

/* Flows with rotations up to the clamp and beyond (smooth fields of +-24 px over a few
 * pixels turn by large angles), radii past the picture's edge, t on both sides of 0.5. */
static void make_anime_arc(CaseRng *r, int w, int h, OpCase *k)
{
    OpAnimeArcParams p = {.h = h,
                          .w = w,
                          .radius = rng_int(r, 1, 40),
                          .t = rng_uniform(r, 0.05f, 0.95f),
                          .max_angle = rng_uniform(r, 0.0f, 3.1f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, 2, h, w, -24, 24);
    case_tensor(k, 1, h, w, 0, 1);
    case_tensor(k, 2, h, w, 0, 1);
}

/* Network ops (lib/ops/nn_*.h): channel counts that are not multiples of the 8-channel
 * weight blocks, both strides, every activation, broadcast and scalar operands. */
static void make_nn_conv_channels(CaseRng *r, int w, int h, OpCase *k, int max_cin, int max_cout)
{
    int cin = rng_int(r, 1, max_cin), cout = rng_int(r, 1, max_cout), s = rng_int(r, 1, 2);
    OpNnConvParams p = {.cin = cin,
                        .h = h,
                        .w = w,
                        .cout = cout,
                        .oh = (h - 1) / s + 1,
                        .ow = (w - 1) / s + 1,
                        .stride = s,
                        .act = rng_int(r, 0, 2),
                        .slope = rng_uniform(r, 0.0f, 0.5f),
                        .has_res = rng_int(r, 0, 1),
                        .res_act = rng_int(r, 0, 2),
                        .res_slope = rng_uniform(r, 0.0f, 0.5f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, cin, h, w, -1, 1);
    case_tensor(k, 1, 1, (int)nn_conv_packed_count(cout, cin), -0.4f, 0.4f);
    case_tensor(k, 1, 1, (cout + 7) / 8 * 8, -0.1f, 0.1f);
    case_tensor(k, cout, p.oh, p.ow, -1, 1);
    case_tensor(k, cout, p.oh, p.ow, 0, 1);
}

static void make_nn_conv(CaseRng *r, int w, int h, OpCase *k)
{
    make_nn_conv_channels(r, w, h, k, 6, 13);
}

/* The subgroup shader works on pairs of 8-channel blocks: up to 5 blocks, odd counts. */
static void make_nn_conv_sg(CaseRng *r, int w, int h, OpCase *k)
{
    make_nn_conv_channels(r, w, h, k, 9, 37);
}

/* Random packed weights are no G g G^T of 3x3 weights, and F(6x6)'s transforms have
 * coefficients up to 5.25 and 32: a small range (0.05) keeps the outputs of the order of
 * real ones, so the tolerance means what it does for the other convolutions */
static void make_nn_conv_wino(CaseRng *r, int w, int h, OpCase *k)
{
    int cin = rng_int(r, 1, 6), cout = rng_int(r, 1, 13);
    OpNnConvWinoParams p = {.cin = cin, .h = h, .w = w, .cout = cout, .act = rng_int(r, 0, 2),
                            .slope = rng_uniform(r, 0.0f, 0.5f), .has_res = rng_int(r, 0, 1),
                            .res_act = rng_int(r, 0, 2), .res_slope = rng_uniform(r, 0.0f, 0.5f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, cin, h, w, -1, 1);
    case_tensor(k, 1, 1, (int)nn_conv_wino_packed_count(cout, cin), -0.05f, 0.05f);
    case_tensor(k, 1, 1, (cout + 7) / 8 * 8, -0.1f, 0.1f);
    case_tensor(k, cout, h, w, -1, 1);
    case_tensor(k, cout, h, w, 0, 1);
}

static void make_nn_deconv_channels(CaseRng *r, int w, int h, OpCase *k, int max_cin,
                                    int max_cout)
{
    int cin = rng_int(r, 1, max_cin), cout = rng_int(r, 1, max_cout);
    OpNnDeconvParams p = {.cin = cin,
                          .h = h,
                          .w = w,
                          .cout = cout,
                          .act = rng_int(r, 0, 2),
                          .slope = rng_uniform(r, 0.0f, 0.5f)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, cin, h, w, -1, 1);
    case_tensor(k, 1, 1, (int)nn_deconv_packed_count(cout, cin), -0.4f, 0.4f);
    case_tensor(k, 1, 1, (cout + 7) / 8 * 8, -0.1f, 0.1f);
    case_tensor(k, cout, 2 * h, 2 * w, 0, 1);
}

static void make_nn_deconv(CaseRng *r, int w, int h, OpCase *k)
{
    make_nn_deconv_channels(r, w, h, k, 6, 13);
}

/* The subgroup shader works on pairs of 8-channel blocks: up to 5 blocks, odd counts. */
static void make_nn_deconv_sg(CaseRng *r, int w, int h, OpCase *k)
{
    make_nn_deconv_channels(r, w, h, k, 9, 37);
}

static void make_nn_unary(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    OpNnUnaryParams p = {
        .c = c, .h = h, .w = w, .mode = rng_int(r, 0, 1), .slope = rng_uniform(r, 0.0f, 0.5f)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c, h, w, -4, 4);
    case_tensor(k, c, h, w, 0, 1);
}

static void make_nn_pixel_shuffle(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 3), f = rng_int(r, 1, 3);
    OpNnPixelShuffleParams p = {.c = c, .h = h, .w = w, .r = f};
    case_params(k, &p, sizeof(p));
    case_tensor(k, c * f * f, h, w, -1, 1);
    case_tensor(k, c, h * f, w * f, 0, 1);
}

static void make_nn_resize(CaseRng *r, int w, int h, OpCase *k)
{
    /* the network's scales (powers of two both ways) and arbitrary ones */
    static const float scales[] = {0.125f, 0.25f, 0.5f, 2.0f, 4.0f, 8.0f};
    int c = rng_int(r, 1, 3);
    float s = scales[rng_int(r, 0, 5)];
    int oh = (int)(h * s), ow = (int)(w * s);
    if (rng_int(r, 0, 2) == 0 || oh < 1 || ow < 1) {
        oh = rng_int(r, 1, 2 * h + 1);
        ow = rng_int(r, 1, 2 * w + 1);
    }
    OpNnResizeParams p = {.c = c,
                          .h = h,
                          .w = w,
                          .oh = oh,
                          .ow = ow,
                          .scale_y = (float)((double)h / oh),
                          .scale_x = (float)((double)w / ow)};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, c, h, w, -1, 1);
    case_tensor(k, c, oh, ow, 0, 1);
}

static void make_nn_copy(CaseRng *r, int w, int h, OpCase *k)
{
    int in_c = rng_int(r, 1, 6), out_c = rng_int(r, 1, 6);
    int n = rng_int(r, 1, in_c < out_c ? in_c : out_c);
    OpNnCopyParams p = {.n = n,
                        .h = h,
                        .w = w,
                        .in_c = in_c,
                        .src_c = rng_int(r, 0, in_c - n),
                        .out_c = out_c,
                        .dst_c = rng_int(r, 0, out_c - n)};
    case_params(k, &p, sizeof(p));
    case_tensor(k, in_c, h, w, -1, 1);
    case_tensor(k, out_c, h, w, 0, 1);
}

static void make_nn_binary(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4), bc = rng_int(r, 0, 1) ? 1 : c;
    OpNnBinaryParams p = {.c = c,
                          .h = h,
                          .w = w,
                          .op = rng_int(r, 0, 7),
                          .b_channels = bc,
                          .use_scalar = rng_int(r, 0, 2) == 0,
                          .scalar = rng_uniform(r, 0.5f, 8.0f),
                          .coef_a = rng_uniform(r, 0.5f, 4.0f),
                          .coef_b = rng_uniform(r, 0.5f, 4.0f)};
    case_params(k, &p, sizeof(p));
    /* operands kept away from zero so the divisions stay well conditioned */
    case_tensor(k, c, h, w, 0.5f, 2.0f);
    case_tensor(k, bc, h, w, 0.5f, 2.0f);
    case_tensor(k, c, h, w, 0, 1);
}

static void make_nn_warp(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 3);
    OpNnWarpParams p = {.c = c, .h = h, .w = w};
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, c, h, w, 0, 1);
    /* flows that reach well outside the image: the edge extrapolation is exercised */
    case_tensor_smooth(k, 2, h, w, -6, 6);
    case_tensor(k, c, h, w, 0, 1);
}

static void make_nn_pad(CaseRng *r, int w, int h, OpCase *k)
{
    int cin = rng_int(r, 1, 4), cout = rng_int(r, 1, 4);
    /* padding (to the next multiple of 32) or cropping */
    int oh = rng_int(r, 0, 1) ? (h + 31) / 32 * 32 : rng_int(r, 1, h);
    int ow = rng_int(r, 0, 1) ? (w + 31) / 32 * 32 : rng_int(r, 1, w);
    OpNnPadParams p = {.cin = cin, .h = h, .w = w, .cout = cout, .oh = oh, .ow = ow};
    for (int i = 0; i < 9; i++)
        p.m[i] = rng_uniform(r, -2.0f, 2.0f);
    for (int i = 0; i < 3; i++)
        p.off[i] = rng_uniform(r, -1.0f, 1.0f);
    case_params(k, &p, sizeof(p));
    case_tensor(k, cin, h, w, 0, 1);
    case_tensor(k, cout, oh, ow, 0, 1);
}

/* A near-identity map (a stabilisation correction: shift, turn, zoom, slight perspective)
 * that leaves part of the output uncovered, on a coverage map with holes: every mode's
 * branches (inside, edge, behind the camera never) are exercised. */
static void make_warp_homography(CaseRng *r, int w, int h, OpCase *k)
{
    int c = rng_int(r, 1, 4);
    int oh = rng_int(r, 1, h + 3), ow = rng_int(r, 1, w + 3);
    float angle = rng_uniform(r, -0.1f, 0.1f), zoom = rng_uniform(r, 0.8f, 1.25f);
    OpWarpHomographyParams p = {.c = c, .h = h, .w = w, .oh = oh, .ow = ow,
                                .mode = rng_int(r, 0, 2)};
    p.feather = rng_int(r, 0, 1) ? rng_uniform(r, 0.5f, 12.0f) : 0.0f;
    p.m[0] = zoom * cosf(angle);
    p.m[1] = -zoom * sinf(angle);
    p.m[2] = rng_uniform(r, -0.2f, 0.2f) * (float)w + 0.0123f;
    p.m[3] = zoom * sinf(angle);
    p.m[4] = zoom * cosf(angle);
    p.m[5] = rng_uniform(r, -0.2f, 0.2f) * (float)h + 0.0371f;
    p.m[6] = rng_uniform(r, -2e-4f, 2e-4f);
    p.m[7] = rng_uniform(r, -2e-4f, 2e-4f);
    p.m[8] = 1.0f;
    case_params(k, &p, sizeof(p));
    case_tensor_smooth(k, c, h, w, 0, 1);
    case_tensor(k, c, oh, ow, 0, 1);
    case_tensor(k, 1, oh, ow, 0, 1);
}

const OpCaseDef op_cases[] = {
    {"warp", 1e-5f, make_warp},
    {"downsample", 1e-6f, make_downsample},
    {"resize", 1e-5f, make_resize},
    {"add_scaled", 1e-6f, make_add_scaled},
    {"median", 0.0f, make_median},
    {"scene_stats", 1e-3f, make_scene_stats},
    {"block_diff", 1e-5f, make_block_diff},
    {"dis_search", 1e-4f, make_dis_search},
    {"dis_densify", 1e-4f, make_dis_densify},
    {"var_derivs", 1e-5f, make_var_derivs},
    {"var_weights", 1e-4f, make_var_weights},
    {"var_sor", 1e-5f, make_var_sor},
    {"occlusion", 1e-4f, make_occlusion},
    {"synth_merge", 1e-4f, make_synth_merge},
    {"anime_warp", 1e-4f, make_anime_warp},
    {"anime_tiles", 1e-4f, make_anime_tiles},
    {"anime_merge", 1e-5f, make_anime_merge},
    {"anime_arc", 1e-4f, make_anime_arc},
    {"nn_conv", 1e-4f, make_nn_conv},
    {"nn_conv_sg", 1e-4f, make_nn_conv_sg},
    /* The _f16 variants: fp16 tensors; their inputs are fp16 values in both paths, so the
     * outputs differ by their rounding to fp16 (half an ulp: 2^-11 relative) */
    {"nn_conv_f16", 1e-3f, make_nn_conv},
    {"nn_conv_sg_f16", 1e-3f, make_nn_conv_sg},
    /* F(6x6, 3x3): transform coefficients up to 32 (A) and 5.25 (B) grow float rounding
     * between the C path's factored transforms and the shader's matrix products, 1.5e-4 of the
     * output here (F(4x4) with weights 8x as large: 4e-5) */
    {"nn_conv_wino", 3e-4f, make_nn_conv_wino},
    {"nn_conv_wino_f16", 1e-3f, make_nn_conv_wino},
    {"nn_deconv", 1e-4f, make_nn_deconv},
    {"nn_deconv_sg", 1e-4f, make_nn_deconv_sg},
    {"nn_deconv_f16", 1e-3f, make_nn_deconv},
    {"nn_deconv_sg_f16", 1e-3f, make_nn_deconv_sg},
    {"nn_unary", 1e-5f, make_nn_unary},
    {"nn_unary_f16", 1e-3f, make_nn_unary},
    {"nn_pixel_shuffle", 0.0f, make_nn_pixel_shuffle},
    {"nn_pixel_shuffle_tx", 0.0f, make_nn_pixel_shuffle},
    {"nn_pixel_shuffle_f16", 0.0f, make_nn_pixel_shuffle}, /* fp16 values moved: exact */
    {"nn_pixel_shuffle_tx_f16", 0.0f, make_nn_pixel_shuffle},
    {"nn_resize", 1e-5f, make_nn_resize},
    {"nn_resize_tx", 1e-5f, make_nn_resize},
    {"nn_resize_f16", 1e-3f, make_nn_resize},
    {"nn_resize_tx_f16", 1e-3f, make_nn_resize},
    {"nn_copy", 0.0f, make_nn_copy},
    {"nn_copy_f16", 0.0f, make_nn_copy},
    {"nn_binary", 1e-5f, make_nn_binary},
    {"nn_binary_tx", 1e-5f, make_nn_binary},
    {"nn_binary_f16", 1e-3f, make_nn_binary},
    {"nn_binary_tx_f16", 1e-3f, make_nn_binary},
    {"nn_warp", 1e-4f, make_nn_warp},
    {"nn_warp_tx", 1e-4f, make_nn_warp},
    {"nn_warp_f16", 1e-3f, make_nn_warp},
    {"nn_warp_tx_f16", 1e-3f, make_nn_warp},
    {"nn_pad", 1e-5f, make_nn_pad},
    {"nn_pad_tx", 1e-5f, make_nn_pad},
    {"nn_pad_f16", 1e-3f, make_nn_pad}, /* a picture into fp16 */
    {"nn_pad_tx_f16", 1e-3f, make_nn_pad},
    {"nn_pad_out_f16", 1e-5f, make_nn_pad}, /* fp16 into a picture (fp32): as nn_pad */
    {"nn_pad_out_tx_f16", 1e-5f, make_nn_pad},
    {"warp_homography", 1e-4f, make_warp_homography},
    {NULL, 0, NULL},
};

const OpCaseDef *op_case_find(const char *op)
{
    for (int i = 0; op_cases[i].op; i++)
        if (!strcmp(op_cases[i].op, op))
            return &op_cases[i];
    return NULL;
}

/*
 * Classical dense optical flow over ops: a coarse-to-fine pyramid where every level runs
 *  1. DIS patch inverse search with a parallel propagation pass and densification
 *     (Kroeger et al., "Fast Optical Flow using Dense Inverse Search", ECCV 2016), started
 *     from the coarser level's flow, then
 *  2. variational refinement with brightness and gradient constancy and a Charbonnier
 *     smoothness term (Brox et al., ECCV 2004), solved by lagged-nonlinearity fixed-point
 *     steps of red-black SOR, with re-warping, then
 *  3. a median filter of the flow between warps (Sun, Roth & Black, CVPR 2010).
 * The presets choose the finest level refined and the amount of work per level. All
 * per-pixel work is an op; this file is host-side control only.
 */
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "flow/flow_preset.h"
#include "ops/add_scaled.h"
#include "ops/dis_densify.h"
#include "ops/dis_search.h"
#include "ops/downsample.h"
#include "ops/median.h"
#include "ops/resize.h"
#include "ops/var_derivs.h"
#include "ops/var_sor.h"
#include "ops/var_weights.h"
#include "ops/warp.h"

#define FLOW_MAX_LEVELS 12

/* Scratch tensors of one pyramid level. */
typedef struct FlowLevel {
    int w, h;
    int computed;       /* flow is estimated at this level (else: pyramid only) */
    int dis;            /* DIS runs at this level */
    int ph, pw;         /* patch grid when dis */
    WeftTensor luma[2]; /* pyramid images (level > 0 only; level 0 is the input) */
    WeftTensor flow, flow_tmp, prior;
    WeftTensor dflow[2];
    WeftTensor warped, derivs, system;
    WeftTensor patches[2];
} FlowLevel;

struct FlowEstimator {
    Device *dev;
    FlowPreset preset;
    int w, h;
    int levels; /* levels in the pyramid: 0 .. levels - 1 */
    int finest; /* finest level computed */
    FlowLevel level[FLOW_MAX_LEVELS];
    float *zeros; /* host zeros for resetting increments */
};

static int level_alloc(Device *d, FlowLevel *lv, int index, const FlowPreset *ps)
{
    int err = 0;
    if (index > 0)
        for (int k = 0; k < 2 && err >= 0; k++)
            err = device_tensor(d, &lv->luma[k], 1, lv->h, lv->w);
    if (!lv->computed || err < 0)
        return err;
    WeftTensor *two[] = {&lv->flow, &lv->flow_tmp, &lv->prior};
    for (int k = 0; k < 3 && err >= 0; k++)
        err = device_tensor(d, two[k], 2, lv->h, lv->w);
    if (ps->var_warps > 0) {
        for (int k = 0; k < 2 && err >= 0; k++)
            err = device_tensor(d, &lv->dflow[k], 2, lv->h, lv->w);
        if (err >= 0)
            err = device_tensor(d, &lv->warped, 1, lv->h, lv->w);
        if (err >= 0)
            err = device_tensor(d, &lv->derivs, 8, lv->h, lv->w);
        if (err >= 0)
            err = device_tensor(d, &lv->system, 6, lv->h, lv->w);
    }
    if (lv->dis)
        for (int k = 0; k < 2 && err >= 0; k++)
            err = device_tensor(d, &lv->patches[k], 2, lv->ph, lv->pw);
    return err;
}

static void level_free(FlowLevel *lv)
{
    WeftTensor *all[] = {&lv->luma[0], &lv->luma[1],  &lv->flow,       &lv->flow_tmp,
                         &lv->prior,   &lv->dflow[0], &lv->dflow[1],   &lv->warped,
                         &lv->derivs,  &lv->system,   &lv->patches[0], &lv->patches[1]};
    for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
        device_tensor_free(all[k]);
}

int flow_create(FlowEstimator **out, Device *d, int quality, int width, int height)
{
    if (!out || !d || width < 1 || height < 1)
        return -EINVAL;
    *out = NULL;
    FlowEstimator *fe = calloc(1, sizeof(*fe));
    if (!fe)
        return -ENOMEM;
    fe->dev = d;
    fe->w = width;
    fe->h = height;
    int err = flow_preset_get(quality, &fe->preset);
    if (err < 0)
        goto fail;
    const FlowPreset *ps = &fe->preset;
    /* Levels: halve while the coarser level keeps a useful size. */
    int w = width, h = height, n = 1;
    fe->level[0].w = w;
    fe->level[0].h = h;
    while (n < FLOW_MAX_LEVELS && n <= ps->max_levels) {
        int nw = (w + 1) / 2, nh = (h + 1) / 2;
        if (nw < ps->coarsest_min_size || nh < ps->coarsest_min_size)
            break;
        w = nw;
        h = nh;
        fe->level[n].w = w;
        fe->level[n].h = h;
        n++;
    }
    fe->levels = n;
    fe->finest = ps->finest_level < n ? ps->finest_level : n - 1;
    size_t max_plane = 0;
    for (int k = 0; k < n; k++) {
        FlowLevel *lv = &fe->level[k];
        lv->computed = k >= fe->finest;
        lv->dis =
            lv->computed && k >= ps->dis_finest_level &&
            dis_grid_size(lv->h, lv->w, ps->patch_size, ps->patch_stride, &lv->ph, &lv->pw) == 0;
        if ((err = level_alloc(d, lv, k, ps)) < 0)
            goto fail;
        size_t plane = (size_t)lv->w * lv->h;
        if (lv->computed && plane > max_plane)
            max_plane = plane;
    }
    fe->zeros = calloc(2 * max_plane, sizeof(float));
    if (!fe->zeros) {
        err = -ENOMEM;
        goto fail;
    }
    *out = fe;
    return 0;
fail:
    flow_destroy(&fe);
    return err;
}

void flow_destroy(FlowEstimator **pfe)
{
    if (!pfe || !*pfe)
        return;
    FlowEstimator *fe = *pfe;
    for (int k = 0; k < FLOW_MAX_LEVELS; k++)
        level_free(&fe->level[k]);
    free(fe->zeros);
    free(fe);
    *pfe = NULL;
}

static void swap_tensors(WeftTensor *a, WeftTensor *b)
{
    WeftTensor t = *a;
    *a = *b;
    *b = t;
}

/* Variational refinement of lv->flow in place (Brox et al. 2004: linearisation per warp,
 * lagged nonlinearity per fixed-point step, red-black SOR inside). */
static int refine_level(FlowEstimator *fe, FlowLevel *lv, WeftTensor *i0, WeftTensor *i1)
{
    const FlowPreset *ps = &fe->preset;
    Device *d = fe->dev;
    OpVarWeightsParams vw = {.alpha = ps->alpha,
                             .delta = ps->delta,
                             .gamma = ps->gamma,
                             .zeta_sq = ps->zeta_sq,
                             .eps_data_sq = 1e-6f,
                             .eps_smooth_sq = 1e-6f};
    int err = 0;
    for (int warp = 0; warp < ps->var_warps && err >= 0; warp++) {
        if ((err = op_warp(d, i1, &lv->flow, 1.0f, &lv->warped)) < 0 ||
            (err = op_var_derivs(d, i0, &lv->warped, &lv->flow, &lv->derivs)) < 0 ||
            (err = device_upload(d, &lv->dflow[0], fe->zeros)) < 0)
            return err;
        for (int outer = 0; outer < ps->var_outer && err >= 0; outer++) {
            err = op_var_weights(d, &lv->derivs, &lv->flow, &lv->dflow[0], &vw, &lv->system);
            for (int inner = 0; inner < ps->var_inner && err >= 0; inner++) {
                err = op_var_sor(d, &lv->system, &lv->flow, &lv->dflow[0], 0, ps->sor_omega,
                                 &lv->dflow[1]);
                if (err >= 0)
                    err = op_var_sor(d, &lv->system, &lv->flow, &lv->dflow[1], 1, ps->sor_omega,
                                     &lv->dflow[0]);
            }
        }
        if (err >= 0)
            err = op_add_scaled(d, &lv->flow, &lv->dflow[0], 1.0f, &lv->flow_tmp);
        if (err >= 0)
            swap_tensors(&lv->flow, &lv->flow_tmp);
        if (err >= 0 && ps->median_radius > 0) {
            err = op_median(d, &lv->flow, ps->median_radius, &lv->flow_tmp);
            if (err >= 0)
                swap_tensors(&lv->flow, &lv->flow_tmp);
        }
    }
    return err;
}

/* DIS at one level: lv->prior holds the start; the result goes to lv->flow. */
static int dis_level(FlowEstimator *fe, FlowLevel *lv, WeftTensor *i0, WeftTensor *i1)
{
    const FlowPreset *ps = &fe->preset;
    Device *d = fe->dev;
    int err = op_dis_search(d, i0, i1, &lv->prior, NULL, ps->patch_size, ps->patch_stride,
                            ps->dis_iterations, &lv->patches[0]);
    int cur = 0;
    for (int pass = 0; pass < ps->dis_propagations && err >= 0; pass++) {
        err =
            op_dis_search(d, i0, i1, &lv->prior, &lv->patches[cur], ps->patch_size,
                          ps->patch_stride, ps->dis_propagation_iterations, &lv->patches[1 - cur]);
        cur = 1 - cur;
    }
    if (err >= 0)
        err = op_dis_densify(d, i0, i1, &lv->patches[cur], ps->patch_size, ps->patch_stride,
                             &lv->flow);
    return err;
}

/* One direction: flow from pyramid `from` to pyramid `to`, written to out (full size). */
static int flow_direction(FlowEstimator *fe, WeftTensor *const *from, WeftTensor *const *to,
                          WeftTensor *out)
{
    Device *d = fe->dev;
    int err = 0;
    for (int k = fe->levels - 1; k >= fe->finest && err >= 0; k--) {
        FlowLevel *lv = &fe->level[k];
        if (k == fe->levels - 1)
            err = device_upload(d, &lv->prior, fe->zeros);
        else
            err = op_resize_flow(d, &fe->level[k + 1].flow, &lv->prior);
        if (err < 0)
            break;
        if (lv->dis)
            err = dis_level(fe, lv, from[k], to[k]);
        else
            err = op_resize(d, &lv->prior, &lv->flow, 1.0f, 1.0f);
        if (err >= 0)
            err = refine_level(fe, lv, from[k], to[k]);
    }
    if (err >= 0)
        err = op_resize_flow(d, &fe->level[fe->finest].flow, out);
    return err;
}

int flow_compute(FlowEstimator *fe, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd)
{
    if (!fe || !a || !b || !fwd || a->c != 1 || b->c != 1 || a->w != fe->w || a->h != fe->h ||
        b->w != fe->w || b->h != fe->h || fwd->c != 2 || fwd->w != fe->w || fwd->h != fe->h ||
        (bwd && (bwd->c != 2 || bwd->w != fe->w || bwd->h != fe->h)))
        return -EINVAL;
    Device *d = fe->dev;
    WeftTensor *pyr_a[FLOW_MAX_LEVELS], *pyr_b[FLOW_MAX_LEVELS];
    pyr_a[0] = a;
    pyr_b[0] = b;
    int err = 0;
    for (int k = 1; k < fe->levels && err >= 0; k++) {
        pyr_a[k] = &fe->level[k].luma[0];
        pyr_b[k] = &fe->level[k].luma[1];
        err = op_downsample(d, pyr_a[k - 1], pyr_a[k]);
        if (err >= 0)
            err = op_downsample(d, pyr_b[k - 1], pyr_b[k]);
    }
    if (err >= 0)
        err = flow_direction(fe, pyr_a, pyr_b, fwd);
    if (err >= 0 && bwd)
        err = flow_direction(fe, pyr_b, pyr_a, bwd);
    return err;
}

/* synth_merge: the in-between at time t from two frames and their flows, in one pass.
 * tensors: 0 a (C x H x W, frame at time 0, C <= 4), 1 b (C x H x W, frame at time 1),
 *          2 fwd (2 x H x W, flow a -> b), 3 bwd (2 x H x W, flow b -> a),
 *          4 occ_a (1 x H x W, a's pixels hidden in b: 0..1, from op occlusion),
 *          5 occ_b (1 x H x W, b's pixels hidden in a), 6 out (C x H x W).
 * For output pixel x, side a looks for the point y of a that the flow carries to x at t:
 *   y + t fwd(y) = x, solved by the fixed-point iteration y <- x - t fwd(y) ("iterations"
 *   steps; fwd bilinear with clamped coordinates), started from y = x - t fwd(x) and, when
 *   candidates == 2, also from y = x + t bwd(x). Of the two results, the one with the lower
 *   score = res + occ_weight * occ_a(y), res = |y + t fwd(y) - x| wins (an occluded
 *   background point loses against the foreground point that covers it: the occlusion
 *   ordering of flow splatting, done as a gather). Side b likewise finds z with
 *   z + (1 - t) bwd(z) = x, started from x - (1 - t) bwd(x) (and x + (1 - t) fwd(x)).
 *   This inverts the flow at time t (instead of the approximation of Jiang et al., "Super
 *   SloMo", CVPR 2018, eq. 4, which it generalises).
 * Merge: conf = 1 / (1 + (res / res_scale)^2) per side, and
 *   wa = (1 - t) (conf_a (1 - occ_b(z)) + floor) pho_a,
 *   wb = t (conf_b (1 - occ_a(y)) + floor) pho_b
 *   (a point of b that a never shows cannot come from a, and the other way round; the
 *   floor keeps some of both sides, since a failed consistency check is more often a flow
 *   error than an occlusion, where averaging costs less than a wrong choice);
 *   pho_a = exp(-e_a / photo_sigma^2), e_a = mean over channels of (a_lin(y) -
 *   b_lin(y + fwd(y)))^2, the brightness-constancy error of a's point against where its
 *   own flow puts it in b (likewise pho_b with b(z) against a_lin(z + bwd(z))): a side
 *   whose point does not look like its match is hidden or mis-tracked there (the
 *   importance metric of Niklaus & Liu, "Softmax Splatting", CVPR 2020, used as a weight
 *   of the gather); photo_sigma == 0: pho = 1);
 *   lin = (wa a_lin(y) + wb b_lin(z)) / (wa + wb) with bilinear samples;
 *   with cubic_sigma > 0, also cub = the same with bicubic samples (Keys' kernel, a = -0.5:
 *   at half-pixel positions bilinear sampling visibly blurs texture) and
 *   out = s cub + (1 - s) lin, s = exp(-d2 / cubic_sigma^2), d2 = mean over channels of
 *   (a_lin(y) - b_lin(z))^2: sharp where both sides agree (the flow is right), the softer
 *   bilinear blend where they do not; cubic_sigma == 0: out = lin.
 *   Flows and masks are always sampled bilinearly; all taps clamp to the image.
 * params: c, h, w, iterations (>= 0), candidates (1 or 2), t (0 < t < 1), occ_weight (>= 0),
 * res_scale (> 0), floor (> 0), cubic_sigma (>= 0), photo_sigma (>= 0).
 * Rows: one per image row. */
#ifndef WEFT_OPS_SYNTH_MERGE_H
#define WEFT_OPS_SYNTH_MERGE_H

#include "core/device.h"

typedef struct OpSynthMergeParams {
    int32_t c, h, w, iterations, candidates;
    float t, occ_weight, res_scale, floor, cubic_sigma, photo_sigma;
} OpSynthMergeParams;

extern const OpInfo op_info_synth_merge;
/* p->c, h, w are filled from the tensors. */
int op_synth_merge(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd,
                   WeftTensor *occ_a, WeftTensor *occ_b, const OpSynthMergeParams *p,
                   WeftTensor *out);

#endif

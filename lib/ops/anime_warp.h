/* anime_warp: both frames warped to time t, and how much of each to keep where they agree
 * or disagree (the per-pixel half of the anime mode, lib/synth/anime.c).
 * tensors: 0 a (C x H x W, frame at time 0, C <= 4), 1 b (C x H x W, frame at time 1),
 *          2 fwd (2 x H x W, flow a -> b), 3 bwd (2 x H x W, flow b -> a),
 *          4 occ_a (1 x H x W, a's pixels hidden in b: 0..1), 5 occ_b (1 x H x W),
 *          6 warped (2C + 1 x H x W: planes 0..C-1 = wa, C..2C-1 = wb, 2C = keep_a).
 * For output pixel x, side a finds y with y + t fwd(y) = x by the fixed-point iteration
 * y <- x - t fwd(y) started from x - t fwd(x) ("iterations" steps, flow sampled bilinearly
 * with clamped coordinates), res_a = |y + t fwd(y) - x|, and keeps of the start and the
 * iterates the y with the smallest res_a (the first of equals): at a discontinuity of the
 * flow the iteration can cycle between two points instead of converging, and the last
 * iterate would depend on the parity of the count (3 or 4 steps: 0.15 dB apart on
 * AoT_S4E4_shot1). Side b finds z with z + (1 - t) bwd(z) = x likewise (res_b). wa = a(y), wb = b(z) (bilinear, clamped).
 * Confidence ca = (1 - t) ((1 - occ_a(y)) / (1 + res_a^2) + 1e-3), cb = t ((1 - occ_b(z)) /
 * (1 + res_b^2) + 1e-3). Where the two samples agree they are averaged by confidence; where
 * they disagree (d = max over channels |wa - wb|) one side is taken, never a see-through mix
 * of both (a half-transparent line is the ghost animators reject):
 *   agree = exp(-(d / sel)^2), pick = 1 / (1 + exp(-sharp (ca - cb) / (ca + cb))),
 *   keep_a = agree ca / (ca + cb) + (1 - agree) pick.
 * pick is a steep but continuous choice, so the C path and the shader agree near ties.
 * params: c, h, w, iterations (>= 0), t (0 < t < 1), sel (> 0), sharp (> 0).
 * Rows: one per image row. */
#ifndef WEFT_OPS_ANIME_WARP_H
#define WEFT_OPS_ANIME_WARP_H

#include "core/device.h"

typedef struct OpAnimeWarpParams {
    int32_t c, h, w, iterations;
    float t, sel, sharp;
} OpAnimeWarpParams;

extern const OpInfo op_info_anime_warp;
/* p->c, h, w are filled from the tensors. */
int op_anime_warp(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *fwd, WeftTensor *bwd,
                  WeftTensor *occ_a, WeftTensor *occ_b, const OpAnimeWarpParams *p,
                  WeftTensor *warped);

#endif

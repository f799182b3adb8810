/* anime_arc: a flow whose straight-line (chord) interpolation follows the arc of the local
 * rotation instead (the anime mode's in-between positions, lib/synth/anime.c).
 * Drawn limbs and props swing: a part that turns by an angle theta between two drawings
 * passes, half way, through the point of the arc, not the middle of the chord between its
 * two positions (which is closer to the pivot: a swung arm comes out shortened). With
 * theta the local rotation of flow f at x, a point that moves by f moves by time t
 *   d_t = f (1 - e^{i t theta}) / (1 - e^{i theta})      (2D vectors as complex numbers)
 *       = f e^{i (t - 1) theta / 2} sin(t theta / 2) / sin(theta / 2),
 * the exact position at t of a rotation about the centre that carries x to x + f (t f when
 * theta = 0). The output is d_t / t, so that the usual inversion y + t out(y) = x
 * (ops/anime_warp.h) follows the arc.
 * theta: from the flow's Jacobian by central differences over +-radius pixels (rows and
 * columns clamped to the picture, divided by the distance actually spanned; 0 where none),
 *   theta = atan2(dv/dx - du/dy, 2 + du/dx + dv/dy),
 * the angle of the rotation nearest the Jacobian I + grad f; clamped to +-max_angle
 * (a folded or noisy flow must not make a far-off arc), then scaled by 1 - occ(x): where
 * the forward-backward check fails the flow is no evidence of a rotation (measured on the
 * line-art sets: without it, a wrong flow's arcs misplace more lines).
 * |theta| < 1e-6: out = f.
 * tensors: 0 flow (2 x H x W), 1 occ (1 x H x W, the flow's pixels failing the forward-
 *          backward check: 0..1, ops/occlusion.h), 2 out (2 x H x W).
 * params: h, w, radius (>= 1), t (0 < t < 1), max_angle (0 <= max_angle < pi).
 * Rows: one per image row. */
#ifndef WEFT_OPS_ANIME_ARC_H
#define WEFT_OPS_ANIME_ARC_H

#include "core/device.h"

typedef struct OpAnimeArcParams {
    int32_t h, w, radius;
    float t, max_angle;
} OpAnimeArcParams;

extern const OpInfo op_info_anime_arc;
/* p->h, w are filled from the tensors. */
int op_anime_arc(Device *d, WeftTensor *flow, WeftTensor *occ, const OpAnimeArcParams *p,
                 WeftTensor *out);

#endif

/* anime_merge: the anime mode's in-between from the warped pair (anime_warp) and the
 * per-tile confidence (anime_tiles).
 * tensors: 0 a (C x H x W), 1 b (C x H x W), 2 warped (2C + 1 x H x W), 3 tiles
 *          (2 x TH x TW), 4 out (C x H x W).
 * trust and fade are read bilinearly between tile centres (gx = (x + 0.5) / tile - 0.5,
 * clamped to [0, TW - 1], likewise gy), so region decisions have no block edges:
 *   warp = keep_a wa + (1 - keep_a) wb,
 *   fallback = fade ((1 - t) a + t b) + (1 - fade) hold,
 *   out = trust warp + (1 - trust) fallback.
 * The hold shows, per pixel, the source the motion estimate supports: with
 * da = max over channels |a - warp| - ink ink(a), db likewise, where ink(v) = (1 - the
 * lowest colour channel of v) x alpha (4 channels: the last is alpha; else no alpha),
 * hold_a = 1 / (1 + exp(-sharp ((1 - t) db - t da))), hold = hold_a a + (1 - hold_a) b.
 * Where the warp is not trusted it is still evidence of which drawing's pixel belongs here:
 * a line of one drawing that the warp does not place near here is not shown (a misplaced
 * solid line costs more than a missing one); the ink term keeps a line the warp roughly
 * supports, so the lines do not thin out. The picture stays made of source pixels, never
 * a see-through mix (steep but continuous, so the C path and the shader agree near ties).
 * Near t = 0 or 1 it is the nearer drawing.
 * params: c, h, w, tile, tw, th, t (0 < t < 1), sharp (> 0), ink (>= 0).
 * Rows: one per image row. */
#ifndef WEFT_OPS_ANIME_MERGE_H
#define WEFT_OPS_ANIME_MERGE_H

#include "core/device.h"

typedef struct OpAnimeMergeParams {
    int32_t c, h, w, tile, tw, th;
    float t, sharp, ink;
} OpAnimeMergeParams;

extern const OpInfo op_info_anime_merge;
int op_anime_merge(Device *d, WeftTensor *a, WeftTensor *b, WeftTensor *warped, WeftTensor *tiles,
                   int tile, float t, float sharp, float ink, WeftTensor *out);

#endif

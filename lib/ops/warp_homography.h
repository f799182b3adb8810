/* warp_homography: resamples a picture through a plane projective map (camera correction
 * of stabilisation), and composes pictures where earlier ones left holes.
 * tensors: 0 src (C x H x W), 1 dst (C x OH x OW), 2 coverage (1 x OH x OW).
 * For each output pixel (x, y) (integer coordinates = pixel centres), the source position
 *   sx = (m0 x + m1 y + m2) / (m6 x + m7 y + m8),  sy = (m3 x + m4 y + m5) / (same)
 * is "inside" when the denominator is > 0 and -0.5 <= sx <= W - 0.5, -0.5 <= sy <= H - 0.5.
 * The sample is bilinear with the position clamped to [0, W-1] x [0, H-1] (the nearest
 * edge beyond it). Its weight a is 0 outside, and inside rises from 0 at the source's edge
 * to 1 at `feather` pixels from it (feather 0: 1 everywhere inside), so that pictures laid
 * one under another blend instead of meeting at a hard seam. coverage is the weight
 * gathered so far (dst is not premultiplied by it). mode:
 *   WARP_HOMOGRAPHY_ALL (0):   dst = sample; coverage = a
 *   WARP_HOMOGRAPHY_HOLES (1): where coverage < 1 and inside: the sample laid under dst,
 *                              b = (1 - coverage) a:
 *                              dst = (coverage dst + b sample) / (coverage + b),
 *                              coverage += b
 *   WARP_HOMOGRAPHY_EDGE (2):  where coverage < 1: dst = coverage dst + (1 - coverage)
 *                              sample (the nearest edge where outside; a denominator <= 0
 *                              samples the centre); coverage unchanged
 * Rows: one per output row (all channels). */
#ifndef WEFT_OPS_WARP_HOMOGRAPHY_H
#define WEFT_OPS_WARP_HOMOGRAPHY_H

#include "core/device.h"

enum { WARP_HOMOGRAPHY_ALL = 0, WARP_HOMOGRAPHY_HOLES = 1, WARP_HOMOGRAPHY_EDGE = 2 };

typedef struct OpWarpHomographyParams {
    int32_t c, h, w, oh, ow, mode;
    float m[9];
    float feather; /* pixels, >= 0 */
} OpWarpHomographyParams;

extern const OpInfo op_info_warp_homography;
/* m: output pixel -> source pixel, row-major. */
int op_warp_homography(Device *d, WeftTensor *src, WeftTensor *dst, WeftTensor *coverage,
                       const float m[9], int mode, float feather);

#endif

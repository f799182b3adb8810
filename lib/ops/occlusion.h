/* occlusion: forward-backward consistency check (as in Sundaram, Brox & Keutzer, ECCV
 * 2010, sec. 4.1): a pixel of frame a whose flow to b is not undone by b's flow back to a
 * is taken to be hidden in b.
 * tensors: 0 fwd (2 x H x W, flow a -> b), 1 bwd (2 x H x W, flow b -> a), 2 out
 *          (1 x H x W, occlusion of a's pixels in b: 0 visible .. 1 hidden).
 * For pixel x with f = fwd(x) and g = bwd(x + f) (bilinear, clamped coordinates):
 *   d2 = |f + g|^2, thr = rel * (|f|^2 + |g|^2) + abs_sq,
 *   out = clamp((d2 - thr) / thr, 0, 1), and out = 1 when x + f lies outside
 *   [0, W - 1] x [0, H - 1] (the pixel leaves the picture).
 * params: h, w, rel (>= 0), abs_sq (> 0). Rows: one per image row. */
#ifndef WEFT_OPS_OCCLUSION_H
#define WEFT_OPS_OCCLUSION_H

#include "core/device.h"

typedef struct OpOcclusionParams {
    int32_t h, w;
    float rel, abs_sq;
} OpOcclusionParams;

extern const OpInfo op_info_occlusion;
int op_occlusion(Device *d, WeftTensor *fwd, WeftTensor *bwd, float rel, float abs_sq,
                 WeftTensor *out);

#endif

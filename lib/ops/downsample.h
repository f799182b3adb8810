/* downsample: halves a tensor's size with an anti-alias filter (one pyramid level).
 * tensors: 0 src (C x H x W), 1 dst (C x OH x OW) with OH = (H + 1) / 2, OW = (W + 1) / 2.
 * Separable 4-tap filter [1 3 3 1] / 8 centred between source pixels 2x and 2x + 1 (the
 * binomial kernel that makes a 2:1 pyramid without aliasing, as in Burt & Adelson 1983):
 *   dst[c][y][x] = sum_{j,i in 0..3} k[j] k[i] src[c][clamp(2y - 1 + j)][clamp(2x - 1 + i)],
 *   k = {1, 3, 3, 1} / 8; coordinates outside the image clamp to the nearest edge pixel.
 * params: c, h, w (the source's shape). Any finite input. Rows: one per output row. */
#ifndef WEFT_OPS_DOWNSAMPLE_H
#define WEFT_OPS_DOWNSAMPLE_H

#include "core/device.h"

typedef struct OpDownsampleParams {
    int32_t c, h, w;
} OpDownsampleParams;

extern const OpInfo op_info_downsample;
/* dst must be (src->c, (src->h + 1) / 2, (src->w + 1) / 2). */
int op_downsample(Device *d, WeftTensor *src, WeftTensor *dst);

#endif

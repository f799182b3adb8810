/* warp: backward warp by a flow field.
 * tensors: 0 src (C x H x W), 1 flow (2 x H x W: u then v, pixels), 2 dst (C x H x W)
 * dst[c][y][x] = bilinear(src[c], x + scale * u[y][x], y + scale * v[y][x]),
 * sampling outside the image clamps to the nearest edge pixel. */
#ifndef WEFT_OPS_WARP_H
#define WEFT_OPS_WARP_H

#include "core/device.h"

typedef struct OpWarpParams {
    int32_t c, h, w;
    float scale;
} OpWarpParams;

extern const OpInfo op_info_warp;
int op_warp(Device *d, WeftTensor *src, WeftTensor *flow, float scale, WeftTensor *dst);

#endif

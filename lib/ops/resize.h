/* resize: bilinear resampling to another size, with a value scale (flow upsampling).
 * tensors: 0 src (C x H x W), 1 dst (C x OH x OW); any sizes >= 1.
 * Pixel centres map to pixel centres: sx = (x + 0.5) * W / OW - 0.5, likewise sy; the
 * source position clamps to [0, W - 1] x [0, H - 1]; then
 *   dst[c][y][x] = scale_c * bilinear(src[c], sx, sy),
 * with scale_c = scale_first for c == 0 and scale_rest for c >= 1. For a flow (u, v) use
 * scale_first = OW / W and scale_rest = OH / H so displacements stay in pixels of the new
 * size; for pictures use 1 and 1. params: c, h, w (source), oh, ow (destination).
 * Rows: one per output row of each channel. */
#ifndef WEFT_OPS_RESIZE_H
#define WEFT_OPS_RESIZE_H

#include "core/device.h"

typedef struct OpResizeParams {
    int32_t c, h, w, oh, ow;
    float scale_first, scale_rest;
} OpResizeParams;

extern const OpInfo op_info_resize;
int op_resize(Device *d, WeftTensor *src, WeftTensor *dst, float scale_first, float scale_rest);
/* A flow resized to dst's size with displacements rescaled to dst's pixels. */
int op_resize_flow(Device *d, WeftTensor *src, WeftTensor *dst);

#endif

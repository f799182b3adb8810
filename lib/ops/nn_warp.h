/* nn_warp: RIFE's backward warp (rife-ncnn-vulkan's rife.Warp), edge quirk included.
 * tensors: 0 image (C x H x W), 1 flow (2 x H x W: x then y, pixels), 2 out (C x H x W).
 * For output (x, y): sx = x + fx; x0 = floor(sx), x1 = x0 + 1, both clamped to [0, W-1];
 * alpha = sx - x0 (after clamping), so outside the image the value is extrapolated
 * linearly from the two edge pixels rather than replicated; same for y; then
 * v = lerp(lerp(v00, v01, alpha), lerp(v10, v11, alpha), beta).
 * Rows: one per image row (all channels). */
#ifndef WEFT_OPS_NN_WARP_H
#define WEFT_OPS_NN_WARP_H

#include "core/device.h"

typedef struct OpNnWarpParams {
    int32_t c, h, w;
} OpNnWarpParams;

extern const OpInfo op_info_nn_warp;
extern const OpInfo op_info_nn_warp_tx; /* texel-buffer inputs, for CPU-hosted drivers */
extern const OpInfo op_info_nn_warp_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_warp_tx_f16; /* fp16 activations (Device.storage16) */
int op_nn_warp(Device *d, WeftTensor *image, WeftTensor *flow, WeftTensor *out);

#endif

/* nn_resize: bilinear resize with align_corners = 0, as ncnn's Interp (mode 2):
 * source x = (x + 0.5) * scale_x - 0.5 with scale_x = in_w / out_w, clamped to the edge
 * (below 0: the first column; at or past in_w - 1: the last), same for y.
 * tensors: 0 in (C x H x W), 1 out (C x OH x OW).
 * Rows: one per output row of each channel. */
#ifndef WEFT_OPS_NN_RESIZE_H
#define WEFT_OPS_NN_RESIZE_H

#include "core/device.h"

typedef struct OpNnResizeParams {
    int32_t c, h, w, oh, ow;
    float scale_y, scale_x;
} OpNnResizeParams;

extern const OpInfo op_info_nn_resize;
extern const OpInfo op_info_nn_resize_tx; /* texel-buffer inputs, for CPU-hosted drivers */
extern const OpInfo op_info_nn_resize_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_resize_tx_f16; /* fp16 activations (Device.storage16) */
int op_nn_resize(Device *d, WeftTensor *in, WeftTensor *out);

#endif

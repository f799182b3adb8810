/* nn_pixel_shuffle: depth to space.
 * tensors: 0 in (C*r*r x H x W), 1 out (C x H*r x W*r);
 * out[c][y*r + i][x*r + j] = in[c*r*r + i*r + j][y][x].
 * Rows: one per output row of each output channel. */
#ifndef WEFT_OPS_NN_PIXEL_SHUFFLE_H
#define WEFT_OPS_NN_PIXEL_SHUFFLE_H

#include "core/device.h"

typedef struct OpNnPixelShuffleParams {
    int32_t c, h, w, r; /* output channels, input height and width, factor */
} OpNnPixelShuffleParams;

extern const OpInfo op_info_nn_pixel_shuffle;
extern const OpInfo op_info_nn_pixel_shuffle_tx; /* texel-buffer inputs, for CPU-hosted drivers */
extern const OpInfo op_info_nn_pixel_shuffle_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_pixel_shuffle_tx_f16; /* fp16 activations (Device.storage16) */
int op_nn_pixel_shuffle(Device *d, WeftTensor *in, int r, WeftTensor *out);

#endif

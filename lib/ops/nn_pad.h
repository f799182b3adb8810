/* nn_pad: copies a picture into a tensor of another size (zero padding right and bottom,
 * or cropping) through an affine colour transform: how frames enter and leave a network
 * (RGB/255 zero-padded to the network's multiple; YUV <-> RGB on the way).
 * tensors: 0 in (CIN x H x W), 1 out (COUT x OH x OW).
 * For c < min(COUT, 3): out[c][y][x] = (y < H && x < W)
 *     ? off[c] + sum_{k < min(CIN, 3)} m[c][k] * in[k][y][x] : 0.
 * Channels of out from 3 on are left untouched.
 * Rows: one per output row of each written channel. */
#ifndef WEFT_OPS_NN_PAD_H
#define WEFT_OPS_NN_PAD_H

#include "core/device.h"

typedef struct OpNnPadParams {
    int32_t cin, h, w, cout, oh, ow;
    float m[9]; /* row-major 3 x 3 */
    float off[3];
} OpNnPadParams;

extern const OpInfo op_info_nn_pad;
extern const OpInfo op_info_nn_pad_tx; /* texel-buffer input, for CPU-hosted drivers */
extern const OpInfo op_info_nn_pad_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_pad_tx_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_pad_out_f16; /* fp16 activations (Device.storage16) */
extern const OpInfo op_info_nn_pad_out_tx_f16; /* fp16 activations (Device.storage16) */
/* m, off: NULL for identity. */
int op_nn_pad(Device *d, WeftTensor *in, const float m[9], const float off[3], WeftTensor *out);

#endif

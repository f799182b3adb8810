/* nn_copy: copies a run of channels from one tensor into another (network Crop on the
 * channel axis, and Concat: one copy per input).
 * tensors: 0 in (in_c x H x W), 1 out (out_c x H x W).
 * out[dst_c + k] = in[src_c + k] for k < n; other channels of out are left untouched.
 * Rows: one per row of each copied channel. */
#ifndef WEFT_OPS_NN_COPY_H
#define WEFT_OPS_NN_COPY_H

#include "core/device.h"

typedef struct OpNnCopyParams {
    int32_t n, h, w, in_c, src_c, out_c, dst_c;
} OpNnCopyParams;

extern const OpInfo op_info_nn_copy;
extern const OpInfo op_info_nn_copy_f16; /* fp16 activations (Device.storage16) */
int op_nn_copy(Device *d, WeftTensor *in, int src_c, int n, WeftTensor *out, int dst_c);

#endif

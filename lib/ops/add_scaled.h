/* add_scaled: out = a + scale * b, elementwise.
 * tensors: 0 a (C x H x W), 1 b (C x H x W), 2 out (C x H x W).
 * params: c, h, w, scale. Rows: one per row of each channel. */
#ifndef WEFT_OPS_ADD_SCALED_H
#define WEFT_OPS_ADD_SCALED_H

#include "core/device.h"

typedef struct OpAddScaledParams {
    int32_t c, h, w;
    float scale;
} OpAddScaledParams;

extern const OpInfo op_info_add_scaled;
int op_add_scaled(Device *d, WeftTensor *a, WeftTensor *b, float scale, WeftTensor *out);

#endif

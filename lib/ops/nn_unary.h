/* nn_unary: elementwise activation of a network layer.
 * tensors: 0 in (C x H x W), 1 out (C x H x W); may not alias.
 * mode NN_UNARY_LEAKY: out = x > 0 ? x : slope * x (slope 0 = ReLU);
 * mode NN_UNARY_SIGMOID: out = 1 / (1 + exp(-x)).
 * Rows: one per row of each channel. */
#ifndef WEFT_OPS_NN_UNARY_H
#define WEFT_OPS_NN_UNARY_H

#include "core/device.h"

enum { NN_UNARY_LEAKY = 0, NN_UNARY_SIGMOID = 1 };

typedef struct OpNnUnaryParams {
    int32_t c, h, w, mode;
    float slope;
} OpNnUnaryParams;

extern const OpInfo op_info_nn_unary;
extern const OpInfo op_info_nn_unary_f16; /* fp16 tensors (Device.storage16) */
int op_nn_unary(Device *d, WeftTensor *in, int mode, float slope, WeftTensor *out);

#endif

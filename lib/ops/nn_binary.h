/* nn_binary: elementwise binary op of a network layer (BinaryOp and Eltwise).
 * tensors: 0 a (C x H x W), 1 b (C x H x W, or 1 x H x W: broadcast over channels; ignored
 * when use_scalar), 2 out (C x H x W); out may not alias a or b.
 * With use_scalar, b = scalar. The operands are scaled first: x = coef_a * a, y = coef_b * b,
 * then out = x + y | x - y | x * y | x / y | max | min | y - x | y / x (op NN_BIN_*).
 * Rows: one per row of each channel. */
#ifndef WEFT_OPS_NN_BINARY_H
#define WEFT_OPS_NN_BINARY_H

#include "core/device.h"

enum {
    NN_BIN_ADD = 0,
    NN_BIN_SUB,
    NN_BIN_MUL,
    NN_BIN_DIV,
    NN_BIN_MAX,
    NN_BIN_MIN,
    NN_BIN_RSUB,
    NN_BIN_RDIV
};

typedef struct OpNnBinaryParams {
    int32_t c, h, w, op, b_channels, use_scalar;
    float scalar, coef_a, coef_b;
} OpNnBinaryParams;

extern const OpInfo op_info_nn_binary;
extern const OpInfo op_info_nn_binary_tx; /* texel-buffer inputs, for CPU-hosted drivers */
extern const OpInfo op_info_nn_binary_f16;    /* fp16 tensors (Device.storage16) */
extern const OpInfo op_info_nn_binary_tx_f16; /* both */
/* b NULL: scalar operand. */
int op_nn_binary(Device *d, int op, WeftTensor *a, float coef_a, WeftTensor *b, float coef_b,
                 float scalar, WeftTensor *out);

#endif

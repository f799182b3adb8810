/* nn_conv_wino: 3x3 convolution, stride 1, padding 1, by Winograd's minimal filtering
 * F(4x4, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016;
 * interpolation points 0, 1, -1, 2, -2, infinity): per 4x4 output tile,
 * Y = A^T [ sum_i U_i (.) (B^T d_i B) ] A with U = G g G^T and d_i the 6x6 input patch,
 * which takes 36 multiplies per tile and input channel instead of 144. Same result as nn_conv
 * with stride 1 up to float rounding (the executor uses it on the C path).
 * tensors: 0 in (CIN x H x W), 1 weights packed by nn_conv_wino_pack() (1 x 1 x N,
 * N = nn_conv_wino_packed_count()), 2 bias (1 x 1 x COUT rounded up to 8), 3 residual
 * (COUT x H x W; read only when has_res), 4 out (COUT x H x W).
 * out = has_res ? res_act(act(conv + bias) + residual) : act(conv + bias), acts as nn_conv.
 * Packed layout: [36 positions xi = 6 * row + col of U][COUT/8 blocks][CIN][8 outputs].
 * Rows (C path): groups of consecutive 4x4 tiles counted across rows of tiles. */
#ifndef WEFT_OPS_NN_CONV_WINO_H
#define WEFT_OPS_NN_CONV_WINO_H

#include "core/device.h"

typedef struct OpNnConvWinoParams {
    int32_t cin, h, w, cout, act;
    float slope;
    int32_t has_res, res_act;
    float res_slope;
} OpNnConvWinoParams;

extern const OpInfo op_info_nn_conv_wino;
size_t nn_conv_wino_packed_count(int cout, int cin);
/* w: [cout][cin][3][3]. */
void nn_conv_wino_pack(const float *w, int cout, int cin, float *packed);
/* For the C paths of nn_conv_wino and nn_conv_wino6: a row of nx outputs of a run of n
 * tiles tile_w (4 or 6) wide, from the tile_w planes of Y's row (y[k * n + i]: column k of
 * tile i): dst[tile_w i + k] = act(y + bias), then the residual and its activation
 * (res NULL: none); act as the op's (neg: what negative values are multiplied by). */
void nn_wino_store_row(const float *y, int n, int tile_w, int nx, float bias, float neg,
                       const float *res, float res_neg, float *dst);
int op_nn_conv_wino(Device *d, WeftTensor *in, WeftTensor *weights, WeftTensor *bias, int act,
                    float slope, WeftTensor *residual, int res_act, float res_slope,
                    WeftTensor *out);

#endif
